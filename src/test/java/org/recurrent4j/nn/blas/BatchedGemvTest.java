package org.recurrent4j.nn.blas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link BatchedGemv} against scalar loops in double: the OpenBLAS path (plain c-order float and double on the CPU
 * backend), the ND4J fallback (strided views), both orientations, offsets into a larger buffer, and bad shapes.
 */
class BatchedGemvTest {

    /** @return y[b] = alpha · op(A[b]) x[b] by loops */
    private static double[][] loops(INDArray a, boolean transpose, INDArray x, double alpha) {
        int mb = (int) a.size(0);
        int m = (int) a.size(1);
        int k = (int) a.size(2);
        double[][] y = new double[mb][transpose ? k : m];
        for (int b = 0; b < mb; b++) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < k; j++) {
                    if (transpose) {
                        y[b][j] += alpha * a.getDouble(b, i, j) * x.getDouble(b, i);
                    } else {
                        y[b][i] += alpha * a.getDouble(b, i, j) * x.getDouble(b, j);
                    }
                }
            }
        }
        return y;
    }

    private static void assertMatches(double[][] expected, INDArray y, double tol, String what) {
        for (int b = 0; b < expected.length; b++) {
            for (int i = 0; i < expected[b].length; i++) {
                assertEquals(expected[b][i], y.getDouble(b, i), tol * Math.max(1, Math.abs(expected[b][i])),
                        what + " b=" + b + " i=" + i);
            }
        }
    }

    @ParameterizedTest(name = "{0} transpose={1}")
    @CsvSource({"FLOAT,false", "FLOAT,true", "DOUBLE,false", "DOUBLE,true"})
    void plainArraysMatchTheLoops(DataType type, boolean transpose) {
        Nd4j.getRandom().setSeed(3);
        long mb = 4, m = 5, k = 7;
        INDArray a = Nd4j.randn(type, mb, m, k);
        INDArray x = Nd4j.randn(type, mb, transpose ? m : k);
        INDArray y = Nd4j.create(type, mb, transpose ? k : m).assign(99);                 // overwritten
        assertSame(y, BatchedGemv.gemv(a, transpose, x, 2.5, y));
        double tol = type == DataType.FLOAT ? 1e-5 : 1e-12;
        assertMatches(loops(a, transpose, x, 2.5), y, tol, type + " OpenBLAS path");
        INDArray viaNd4j = BatchedGemv.viaMatmul(a, transpose, x, 2.5, y.ulike());
        assertMatches(loops(a, transpose, x, 2.5), viaNd4j, tol, type + " ND4J path");
    }

    @Test
    void viewsWithOffsetsAndStridesGiveTheSameResult() {
        Nd4j.getRandom().setSeed(4);
        // A a row block of a larger c array (offset, plain strides): the OpenBLAS path with an offset
        INDArray big = Nd4j.randn(DataType.DOUBLE, 6, 5, 7);
        INDArray a = big.get(interval(2, 5), all(), all());                              // [3, 5, 7]
        // x a strided column block, y a strided view: copied in and out
        INDArray xBig = Nd4j.randn(DataType.DOUBLE, 3, 12);
        INDArray x = xBig.get(all(), interval(3, 10));                                   // [3, 7]
        INDArray yBig = Nd4j.zeros(DataType.DOUBLE, 3, 9);
        INDArray y = yBig.get(all(), interval(2, 7));                                    // [3, 5]
        BatchedGemv.gemv(a, false, x, 1.0, y);
        assertMatches(loops(a, false, x, 1.0), y, 1e-12, "offset A, strided x and y");
        assertEquals(0.0, yBig.get(all(), interval(0, 2)).sumNumber().doubleValue(), 0.0, "nothing outside y written");
        // x and y row blocks of larger arrays (plain, with offsets): read and written in place
        INDArray xRows = Nd4j.randn(DataType.DOUBLE, 5, 7).get(interval(1, 4), all());      // [3, 7]
        INDArray yRowsBig = Nd4j.zeros(DataType.DOUBLE, 6, 5);
        INDArray yRows = yRowsBig.get(interval(2, 5), all());                               // [3, 5]
        BatchedGemv.gemv(a, false, xRows, 1.0, yRows);
        assertMatches(loops(a, false, xRows, 1.0), yRows, 1e-12, "offset A, x and y");
        assertEquals(0.0, yRowsBig.get(interval(0, 2), all()).sumNumber().doubleValue(), 0.0, "rows before y untouched");
        // A a strided view (every other source position): the ND4J path
        INDArray aStrided = big.get(all(), interval(0, 2, 5), all());                    // [6, 3, 7], not plain
        INDArray x2 = Nd4j.randn(DataType.DOUBLE, 6, 3);
        INDArray y2 = Nd4j.create(DataType.DOUBLE, 6, 7);
        BatchedGemv.gemv(aStrided, true, x2, 1.0, y2);
        assertMatches(loops(aStrided, true, x2, 1.0), y2, 1e-12, "strided A");
    }

    @Test
    void theCpuBackendTakesTheOpenBlasPath() {
        assertTrue(BatchedGemv.onCpuBackend(), "the tests run on ND4J's CPU backend");
    }

    @Test
    void badShapesAreRejectedWithTheShapes() {
        INDArray a = Nd4j.zeros(DataType.FLOAT, 2, 3, 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BatchedGemv.gemv(a, false, Nd4j.zeros(DataType.FLOAT, 2, 3), 1.0, Nd4j.zeros(DataType.FLOAT, 2, 3)));
        assertTrue(e.getMessage().contains("x [2, 4]") && e.getMessage().contains("[2, 3]"), e.getMessage());
    }
}
