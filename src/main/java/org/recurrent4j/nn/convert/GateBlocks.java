package org.recurrent4j.nn.convert;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A reordering of the gate blocks of a recurrent weight matrix [rows, G·n] (G contiguous column blocks of width n),
 * with some blocks negated: block j of the result is {@code sign_j ·} block {@code order[j]} of the source. Each
 * framework's layout is one such map from it to ours; {@link #inverse()} maps back.
 */
final class GateBlocks {
    private final int[] order;
    private final boolean[] negated;

    /**
     * @param order   result block j = source block order[j] (a permutation of 0..G−1)
     * @param negated negated[j]: result block j is negated
     */
    GateBlocks(int[] order, boolean[] negated) {
        if (order.length != negated.length) {
            throw new IllegalArgumentException("order and negated must have the same length");
        }
        this.order = order.clone();
        this.negated = negated.clone();
    }

    /** @return the number of gate blocks G */
    int gates() {
        return order.length;
    }

    /** @return the map back: applied after this one, the identity */
    GateBlocks inverse() {
        int[] inv = new int[order.length];
        boolean[] neg = new boolean[order.length];
        for (int j = 0; j < order.length; j++) {
            inv[order[j]] = j;
            neg[order[j]] = negated[j];
        }
        return new GateBlocks(inv, neg);
    }

    /** @return a new c-order [rows, G·n] array with the blocks of {@code a} [rows, G·n] reordered and negated */
    INDArray apply(INDArray a, long n) {
        INDArray[] blocks = new INDArray[order.length];
        for (int j = 0; j < order.length; j++) {
            INDArray b = block(a, n, order[j]).dup('c');      // [rows, n]
            blocks[j] = negated[j] ? b.negi() : b;
        }
        return Nd4j.hstack(blocks);                            // [rows, G·n]
    }

    private static INDArray block(INDArray a, long n, int i) {
        return a.get(all(), interval(i * n, (i + 1) * n));
    }
}
