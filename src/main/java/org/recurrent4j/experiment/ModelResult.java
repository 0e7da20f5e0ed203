package org.recurrent4j.experiment;

import org.recurrent4j.eval.BleuByLengthResult;
import org.recurrent4j.eval.BleuScore;

import java.util.List;

/**
 * One model's results on the test split.
 *
 * @param spec          which model
 * @param parameters    number of parameters
 * @param training      what training cost
 * @param byLength      corpus BLEU per source-length bucket, all test sentences (the curve of Fig. 2)
 * @param noUnk         the same on the sentences without unknown words (Table 1, "No UNK")
 * @param longSentences corpus BLEU of the sentences with at least {@link ExperimentSettings#longSentenceLength()}
 *                      source tokens; null if there are none
 * @param longCount     how many such sentences
 * @param trend         the slope of {@code byLength} ({@link LengthTrend})
 * @param decodeWallSeconds elapsed time of translating the test split
 * @param decodeCpuSeconds  CPU time of the translating thread
 * @param hypotheses    the translations, parallel to the test split
 */
public record ModelResult(ModelSpec spec, long parameters, TrainingStats training, BleuByLengthResult byLength,
                          BleuByLengthResult noUnk, BleuScore longSentences, int longCount, LengthTrend trend,
                          double decodeWallSeconds, double decodeCpuSeconds, List<String> hypotheses) {

    /** @return corpus BLEU of all test sentences (Table 1, "All") */
    public double bleuAll() {
        return byLength.overall().map(BleuScore::score).orElse(Double.NaN);
    }

    /** @return corpus BLEU of the sentences without unknown words (Table 1, "No UNK"); NaN if none */
    public double bleuNoUnk() {
        return noUnk.overall().map(BleuScore::score).orElse(Double.NaN);
    }

    /** @return corpus BLEU of the long sentences; NaN if none */
    public double bleuLong() {
        return longSentences == null ? Double.NaN : longSentences.score();
    }
}
