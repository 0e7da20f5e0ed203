package org.recurrent4j.seq2seq;

import java.util.List;

/**
 * One finished output sequence of a source sentence.
 *
 * @param tokens         the output words, without {@code </s>} (with {@code <unk>} replaced if the translator does so)
 * @param ids            the target-vocabulary ids of the output words, without {@code </s>} ({@code <unk>} stays 1)
 * @param logProbability {@code log P(y_1 … y_n </s> | x)} under the model (natural log, computed in double)
 * @param score          what hypotheses are ranked by: the log-probability normalised by the
 *                       {@link LengthPenalty}, plus the coverage penalty
 * @param alignment      [n + 1][Tx] attention weights: row i for output word i, the last row for {@code </s>};
 *                       column j is source word j in the original (not reversed) order; rows of zero length for
 *                       a model without attention (RNNenc)
 */
public record Hypothesis(List<String> tokens, int[] ids, double logProbability, double score, double[][] alignment) {
}
