package org.recurrent4j.eval;

import java.util.Arrays;

/**
 * The sufficient statistics of BLEU (sacreBLEU's per-segment {@code [hyp_len, ref_len] + correct + total}),
 * for one segment or summed over many: corpus BLEU is computed from the sum of its segments' statistics,
 * never from an average of sentence scores. Immutable.
 *
 * @param hypLen  number of hypothesis tokens
 * @param refLen  sum of the closest reference lengths
 * @param correct {@code correct[n-1]}: clipped matches of hypothesis n-grams, {@code 1 <= n <= maxOrder}
 * @param total   {@code total[n-1]}: number of hypothesis n-grams
 * @param nrefs   number of (non-null) references per segment, or {@link #VARIABLE_NREFS} when it varies
 */
public record BleuStatistics(long hypLen, long refLen, long[] correct, long[] total, int nrefs) {

    /** {@link #nrefs()} of statistics whose segments have different numbers of references ({@code nrefs:var}). */
    public static final int VARIABLE_NREFS = -1;

    /** Validates and defensively copies the arrays. */
    public BleuStatistics {
        if (correct == null || total == null || correct.length != total.length || correct.length == 0) {
            throw new IllegalArgumentException("BleuStatistics: correct and total must be non-null arrays of the "
                    + "same length >= 1 (one entry per n-gram order), got " + Arrays.toString(correct) + " and "
                    + Arrays.toString(total));
        }
        if (hypLen < 0 || refLen < 0) {
            throw new IllegalArgumentException("BleuStatistics: hypLen and refLen must be >= 0, got hypLen="
                    + hypLen + ", refLen=" + refLen);
        }
        for (int i = 0; i < correct.length; i++) {
            if (correct[i] < 0 || correct[i] > total[i]) {
                throw new IllegalArgumentException("BleuStatistics: expected 0 <= correct <= total for order "
                        + (i + 1) + ", got correct=" + correct[i] + ", total=" + total[i]);
            }
        }
        if (nrefs < 1 && nrefs != VARIABLE_NREFS) {
            throw new IllegalArgumentException("BleuStatistics: nrefs must be >= 1 or VARIABLE_NREFS (-1), got "
                    + nrefs);
        }
        correct = correct.clone();
        total = total.clone();
    }

    /** @return the maximum n-gram order these statistics count */
    public int maxOrder() {
        return correct.length;
    }

    @Override
    public long[] correct() {
        return correct.clone();
    }

    @Override
    public long[] total() {
        return total.clone();
    }

    /** @return the element-wise sum (sacreBLEU's {@code sum_of_lists}); nrefs becomes variable if they differ */
    public BleuStatistics plus(BleuStatistics other) {
        if (other.maxOrder() != maxOrder()) {
            throw new IllegalArgumentException("BleuStatistics.plus: max n-gram orders differ: " + maxOrder()
                    + " vs " + other.maxOrder());
        }
        long[] c = new long[maxOrder()];
        long[] t = new long[maxOrder()];
        for (int i = 0; i < c.length; i++) {
            c[i] = correct[i] + other.correct[i];
            t[i] = total[i] + other.total[i];
        }
        int n = nrefs == other.nrefs ? nrefs : VARIABLE_NREFS;
        return new BleuStatistics(hypLen + other.hypLen, refLen + other.refLen, c, t, n);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BleuStatistics s && s.hypLen == hypLen && s.refLen == refLen && s.nrefs == nrefs
                && Arrays.equals(s.correct, correct) && Arrays.equals(s.total, total);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(hypLen) * 31 + Long.hashCode(refLen) * 17 + Arrays.hashCode(correct) * 7
                + Arrays.hashCode(total) + nrefs;
    }

    @Override
    public String toString() {
        return "BleuStatistics[hypLen=" + hypLen + ", refLen=" + refLen + ", correct=" + Arrays.toString(correct)
                + ", total=" + Arrays.toString(total) + ", nrefs=" + (nrefs == VARIABLE_NREFS ? "var" : nrefs)
                + "]";
    }
}
