package org.recurrent4j.experiment;

import java.util.Locale;

/**
 * The paper's two qualitative claims, checked on a run's results for one length filter (the longest, 50):
 * <ol>
 *   <li>on long test sentences (≥ {@link ExperimentSettings#longSentenceLength()} source tokens) RNNsearch beats
 *       RNNenc by at least {@link ExperimentSettings#claimMargin()} BLEU points;</li>
 *   <li>RNNenc's BLEU falls faster with length than RNNsearch's: its {@link LengthTrend} slope is lower.</li>
 * </ol>
 *
 * @param maxLength     the length filter of the pair compared
 * @param searchLong    RNNsearch's BLEU on long sentences
 * @param encLong       RNNenc's BLEU on long sentences
 * @param margin        the required difference
 * @param searchSlope   RNNsearch's slope (BLEU per 10 tokens)
 * @param encSlope      RNNenc's slope (BLEU per 10 tokens)
 */
public record PaperClaims(int maxLength, double searchLong, double encLong, double margin, double searchSlope,
                          double encSlope) {

    /** @return the claims for the models trained with {@code maxLength} */
    public static PaperClaims check(ExperimentResult result, int maxLength) {
        ModelResult search = require(result, new ModelSpec(true, maxLength));
        ModelResult enc = require(result, new ModelSpec(false, maxLength));
        return new PaperClaims(maxLength, search.bleuLong(), enc.bleuLong(), result.settings().claimMargin(),
                search.trend().slopePer10Tokens(), enc.trend().slopePer10Tokens());
    }

    /** @return whether RNNsearch beats RNNenc on long sentences by the margin (false if either is NaN) */
    public boolean longSentencesHold() {
        return searchLong - encLong >= margin;
    }

    /** @return whether RNNenc's slope is below RNNsearch's (false if either is NaN) */
    public boolean slopesHold() {
        return encSlope < searchSlope;
    }

    /** @return both claims hold */
    public boolean hold() {
        return longSentencesHold() && slopesHold();
    }

    /** @return a two-line report with the values and the verdicts */
    public String report() {
        return String.format(Locale.ROOT,
                "claim 1 (long sentences): RNNsearch-%d %.2f − RNNenc-%d %.2f = %.2f BLEU, required ≥ %.2f: %s%n"
                        + "claim 2 (slope): RNNenc-%d %.3f < RNNsearch-%d %.3f BLEU per 10 tokens: %s",
                maxLength, searchLong, maxLength, encLong, searchLong - encLong, margin,
                longSentencesHold() ? "holds" : "FAILS",
                maxLength, encSlope, maxLength, searchSlope, slopesHold() ? "holds" : "FAILS");
    }

    private static ModelResult require(ExperimentResult result, ModelSpec spec) {
        return result.model(spec.name()).orElseThrow(() -> new IllegalArgumentException("PaperClaims: the results "
                + "have no model " + spec.name() + "; the claims need RNNenc and RNNsearch trained with length filter "
                + spec.maxLength()));
    }
}
