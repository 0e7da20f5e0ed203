package org.recurrent4j.compute.cpu;

import java.util.ArrayList;
import java.util.List;

/**
 * The working rows of one thread's kernel calls: slot k holds an array of at least the requested length, reused from
 * call to call (a step allocates nothing once the pool has grown to its size).
 */
final class RowPool<A> {
    private final RowMath<A> math;
    private final List<A> rows = new ArrayList<>();
    private final List<Integer> lengths = new ArrayList<>();

    RowPool(RowMath<A> math) {
        this.math = math;
    }

    /** @return slot k's array, at least n long (contents undefined) */
    A get(int k, int n) {
        while (rows.size() <= k) {
            rows.add(null);
            lengths.add(0);
        }
        if (lengths.get(k) < n) {
            rows.set(k, math.newRow(n));
            lengths.set(k, n);
        }
        return rows.get(k);
    }
}
