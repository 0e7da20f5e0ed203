package org.recurrent4j.experiment;

import java.util.Locale;

/**
 * The paper's two qualitative claims, checked on a run's results for one length filter (the longest, 50):
 * <ol>
 *   <li>on long test sentences (≥ {@link ExperimentSettings#longSentenceLength()} source tokens) RNNsearch beats
 *       RNNenc by at least {@link ExperimentSettings#claimMargin()} BLEU points;</li>
 *   <li>RNNenc's BLEU falls faster with length than RNNsearch's: its relative change per 10 source tokens
 *       ({@link LengthTrend#relativeChangePer10Tokens()}, the slope of a weighted fit of ln BLEU over the buckets) is
 *       lower. Relative, not in BLEU points: at small scale RNNenc sits near BLEU's floor, where it has few points
 *       left to lose, so a difference of point slopes would mostly measure the difference of levels. The point
 *       slopes are reported alongside.</li>
 * </ol>
 *
 * @param maxLength     the length filter of the pair compared
 * @param searchLong    RNNsearch's BLEU on long sentences
 * @param encLong       RNNenc's BLEU on long sentences
 * @param margin        the required difference
 * @param searchSlope   RNNsearch's point slope (BLEU per 10 tokens; reported, not judged)
 * @param encSlope      RNNenc's point slope (BLEU per 10 tokens; reported, not judged)
 * @param searchRelative RNNsearch's relative change of BLEU per 10 tokens
 * @param encRelative    RNNenc's relative change of BLEU per 10 tokens
 */
public record PaperClaims(int maxLength, double searchLong, double encLong, double margin, double searchSlope,
                          double encSlope, double searchRelative, double encRelative) {

    /** @return the claims for the models trained with {@code maxLength} */
    public static PaperClaims check(ExperimentResult result, int maxLength) {
        ModelResult search = require(result, new ModelSpec(true, maxLength));
        ModelResult enc = require(result, new ModelSpec(false, maxLength));
        return new PaperClaims(maxLength, search.bleuLong(), enc.bleuLong(), result.settings().claimMargin(),
                search.trend().slopePer10Tokens(), enc.trend().slopePer10Tokens(),
                search.trend().relativeChangePer10Tokens(), enc.trend().relativeChangePer10Tokens());
    }

    /** @return whether RNNsearch beats RNNenc on long sentences by the margin (false if either is NaN) */
    public boolean longSentencesHold() {
        return searchLong - encLong >= margin;
    }

    /** @return whether RNNenc's relative change per 10 tokens is below RNNsearch's (false if either is NaN) */
    public boolean slopesHold() {
        return encRelative < searchRelative;
    }

    /** @return both claims hold */
    public boolean hold() {
        return longSentencesHold() && slopesHold();
    }

    /** @return whether the claims of {@code checked} hold (the others are reported, not judged) */
    public boolean hold(Checked checked) {
        return switch (checked) {
            case ALL -> hold();
            case LONG_SENTENCES -> longSentencesHold();
        };
    }

    /**
     * Which claims a run is judged on. {@code ALL}: both. {@code LONG_SENTENCES}: claim 1 only, claim 2 still
     * computed and reported — for the quick scale, where claim 2's verdict has been seen to change with the
     * training trajectory alone (README, "The quick run, measured").
     */
    public enum Checked { ALL, LONG_SENTENCES }

    /** @return a two-line report with the values and the verdicts */
    public String report() {
        return String.format(Locale.ROOT,
                "claim 1 (long sentences): RNNsearch-%d %.2f − RNNenc-%d %.2f = %.2f BLEU, required ≥ %.2f: %s%n"
                        + "claim 2 (falls faster with length): RNNenc-%d %+.1f%% < RNNsearch-%d %+.1f%% BLEU per 10 tokens: %s"
                        + " (in BLEU points per 10 tokens: %.3f and %.3f)",
                maxLength, searchLong, maxLength, encLong, searchLong - encLong, margin,
                longSentencesHold() ? "holds" : "FAILS",
                maxLength, 100 * encRelative, maxLength, 100 * searchRelative, slopesHold() ? "holds" : "FAILS",
                encSlope, searchSlope);
    }

    private static ModelResult require(ExperimentResult result, ModelSpec spec) {
        return result.model(spec.name()).orElseThrow(() -> new IllegalArgumentException("PaperClaims: the results "
                + "have no model " + spec.name() + "; the claims need RNNenc and RNNsearch trained with length filter "
                + spec.maxLength()));
    }
}
