package org.recurrent4j.seq2seq;

import java.util.List;

/**
 * What {@link BeamSearch} needs of a translation model: encode a batch of source sentences, advance every live row
 * by one target word, and keep a chosen subset of the rows. A row is one hypothesis; at the start there is one row
 * per sentence, row {@code i} being sentence {@code i}.
 *
 * <p>{@link Seq2SeqStepModel} implements it with a {@link Seq2SeqModel}'s graph; tests implement it with scripted
 * log-probabilities.
 */
interface StepModel {

    /** @return the target vocabulary size: the words every row is scored over */
    int vocabularySize();

    /**
     * Starts a batch: one live row per sentence, nothing decoded yet.
     *
     * @param sourceIds per sentence its source ids in the order the model reads them; none empty
     */
    void encode(List<int[]> sourceIds);

    /**
     * Advances every live row by one word.
     *
     * @param previousTokens per live row the word it ended with ({@code <s>} at the first step)
     * @return the log-probabilities of the next word of every row (valid until the next call)
     */
    Step step(int[] previousTokens);

    /**
     * Keeps the given rows of the last step, in the given order: row {@code i} of the next step continues row
     * {@code parentRows[i]} of the last one. Called between two steps only.
     *
     * @param parentRows   per next row, the row of the last step it continues (a row may be continued by several)
     * @param rowSentences per next row, the sentence it belongs to
     */
    void selectRows(long[] parentRows, long[] rowSentences);

    /** The outcome of one step, for all rows of that step. */
    interface Step {
        /** @return the natural-log probability that row {@code row}'s next word is {@code word} */
        double logProbability(int row, int word);

        /** @return per row the attention weights of this step over the padded source [rows][Tx], or null without attention */
        double[][] alignment();
    }
}
