package org.recurrent4j.eval;

import java.util.Arrays;
import java.util.StringJoiner;

/**
 * A BLEU score with everything sacreBLEU's {@code BLEUScore} carries, plus the signature of the metric that
 * computed it. Immutable.
 *
 * <p>One deliberate difference: with {@code add-k} smoothing sacreBLEU's {@code counts} and {@code totals}
 * include the added k for orders {@code n > 1} (it mutates its lists); {@link #counts()} and {@link #totals()}
 * here are always the raw integer statistics. {@link #precisions()}, {@link #score()} and the result line are
 * the smoothed values, as in sacreBLEU.
 */
public final class BleuScore {

    private final double score;
    private final BleuStatistics statistics;
    private final double[] precisions;
    private final double brevityPenalty;
    private final String signature;

    BleuScore(double score, BleuStatistics statistics, double[] precisions, double brevityPenalty,
              String signature) {
        this.score = score;
        this.statistics = statistics;
        this.precisions = precisions.clone();
        this.brevityPenalty = brevityPenalty;
        this.signature = signature;
    }

    /** @return the BLEU score, 0..100 */
    public double score() {
        return score;
    }

    /**
     * @return sacreBLEU's signature of the metric that computed this score, e.g.
     *         {@code nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0}
     */
    public String signature() {
        return signature;
    }

    /** @return the sufficient statistics this score was computed from */
    public BleuStatistics statistics() {
        return statistics;
    }

    /** @return clipped n-gram matches per order, {@code counts()[n-1]} for order n (raw, see class doc) */
    public long[] counts() {
        return statistics.correct();
    }

    /** @return hypothesis n-grams per order, {@code totals()[n-1]} for order n (raw, see class doc) */
    public long[] totals() {
        return statistics.total();
    }

    /** @return the (smoothed) n-gram precisions in percent, one per order up to the max order */
    public double[] precisions() {
        return precisions.clone();
    }

    /** @return the brevity penalty BP, 0..1 */
    public double brevityPenalty() {
        return brevityPenalty;
    }

    /** @return the number of hypothesis tokens (sacreBLEU's {@code sys_len}) */
    public long sysLen() {
        return statistics.hypLen();
    }

    /** @return the sum of the closest reference lengths (sacreBLEU's {@code ref_len}) */
    public long refLen() {
        return statistics.refLen();
    }

    /** @return {@code sysLen / refLen}, or 0 when {@code refLen} is 0 (as sacreBLEU) */
    public double ratio() {
        return refLen() == 0 ? 0.0 : (double) sysLen() / refLen();
    }

    /**
     * sacreBLEU's {@code BLEUScore.format(width, signature=...)}, e.g.
     * {@code BLEU = 48.53 82.4/50.0/45.5/37.5 (BP = 0.943 ratio = 0.944 hyp_len = 17 ref_len = 18)}, or with the
     * signature {@code BLEU|nrefs:2|...|version:2.6.0 = 48.53 ...}. Numbers are rounded as Python does.
     *
     * @param width            decimals of the score (sacreBLEU's API default 2, its command line's 1)
     * @param includeSignature whether to put the signature after the name
     */
    public String format(int width, boolean includeSignature) {
        if (width < 0) {
            throw new IllegalArgumentException("BleuScore.format: width must be >= 0, got " + width);
        }
        StringJoiner prec = new StringJoiner("/");
        for (double p : precisions) {
            prec.add(PythonFormat.fixed(p, 1));
        }
        String name = includeSignature ? "BLEU|" + signature : "BLEU";
        return name + " = " + PythonFormat.fixed(score, width) + " " + prec
                + " (BP = " + PythonFormat.fixed(brevityPenalty, 3)
                + " ratio = " + PythonFormat.fixed(ratio(), 3)
                + " hyp_len = " + sysLen() + " ref_len = " + refLen() + ")";
    }

    /** @return sacreBLEU's {@code repr} of the score, {@code format(2, false)} */
    @Override
    public String toString() {
        return format(2, false);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BleuScore s && Double.compare(s.score, score) == 0 && s.statistics.equals(statistics)
                && Arrays.equals(s.precisions, precisions) && Double.compare(s.brevityPenalty, brevityPenalty) == 0
                && s.signature.equals(signature);
    }

    @Override
    public int hashCode() {
        return Double.hashCode(score) * 31 + statistics.hashCode() * 7 + signature.hashCode();
    }
}
