package org.recurrent4j.data;

import java.util.Arrays;
import java.util.Collection;

/**
 * Summary of sentence lengths (in tokens): count, mean, 90th percentile (nearest rank: the smallest length
 * that at least 90% of the sentences do not exceed), maximum, and the share of sentences over 30 and over
 * 50 tokens (the length limits of Bahdanau et al. 2014).
 */
public record LengthStatistics(int count, double mean, int p90, int max, double shareOver30, double shareOver50) {

    /** @return the statistics of {@code lengths}; must be non-empty */
    public static LengthStatistics of(Collection<Integer> lengths) {
        if (lengths.isEmpty()) {
            throw new IllegalArgumentException("LengthStatistics.of: no lengths");
        }
        int[] sorted = lengths.stream().mapToInt(Integer::intValue).sorted().toArray();
        int n = sorted.length;
        double mean = Arrays.stream(sorted).asDoubleStream().sum() / n;
        int p90 = sorted[(int) Math.ceil(0.9 * n) - 1];
        double over30 = Arrays.stream(sorted).filter(l -> l > 30).count() / (double) n;
        double over50 = Arrays.stream(sorted).filter(l -> l > 50).count() / (double) n;
        return new LengthStatistics(n, mean, p90, sorted[n - 1], over30, over50);
    }
}
