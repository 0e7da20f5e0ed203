package org.recurrent4j.data.parallel;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntUnaryOperator;

/**
 * Cuts a pool of pairs, in its order, into consecutive batches of at most {@code maxRows} rows whose padded size
 * {@code rows × max_i steps(i)} stays at most {@code maxTokens}: a batch takes the next pair while both bounds hold,
 * else the next batch starts with it. Without a token bound ({@code maxTokens = 0}) the batches are the pool's
 * consecutive runs of {@code maxRows}.
 *
 * @param maxRows   rows per batch, ≥ 1
 * @param maxTokens padded size per batch, or 0 for no bound; no single pair may need more
 * @param steps     the padded time steps a pair (by position) needs
 */
record BatchSplitter(int maxRows, long maxTokens, IntUnaryOperator steps) {
    /** @return the pool's positions, batch by batch, in pool order */
    List<int[]> split(List<Integer> pool) {
        List<int[]> batches = new ArrayList<>();
        int start = 0;
        int longest = 0;
        for (int i = 0; i < pool.size(); i++) {
            int rows = i - start;
            int widest = Math.max(longest, steps.applyAsInt(pool.get(i)));
            if (rows > 0 && (rows == maxRows || (maxTokens > 0 && (long) (rows + 1) * widest > maxTokens))) {
                batches.add(positions(pool, start, i));
                start = i;
                widest = steps.applyAsInt(pool.get(i));
            }
            longest = widest;
        }
        if (start < pool.size()) {
            batches.add(positions(pool, start, pool.size()));
        }
        return batches;
    }

    private static int[] positions(List<Integer> pool, int from, int to) {
        return pool.subList(from, to).stream().mapToInt(Integer::intValue).toArray();
    }
}
