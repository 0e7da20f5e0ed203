package org.recurrent4j.nn.cell;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Column-block views of gate-stacked matrices: block {@code i} of width {@code n} is columns [i·n, (i+k)·n). */
final class Blocks {
    private Blocks() {
    }

    /** @return the view of columns [first·n, (first+count)·n) of a 2-d array */
    static INDArray cols(INDArray a, long n, int first, int count) {
        return a.get(NDArrayIndex.all(), NDArrayIndex.interval(first * n, (first + count) * n));
    }

    /** @return the view of column block {@code i} of width n */
    static INDArray col(INDArray a, long n, int i) {
        return cols(a, n, i, 1);
    }
}
