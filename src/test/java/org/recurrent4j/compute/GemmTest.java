package org.recurrent4j.compute;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link ComputeEngine#gemm} and {@link ComputeEngine#gemmBatched} against loops in double: every transposition with
 * every layout of the operands and the output (with ld beyond the width), matrix-matrix and matrix-vector shapes,
 * α and β other than 0 and 1, strided batches, and shapes that do not fit.
 */
class GemmTest extends EngineTestSupport {
    /** FLOAT32: sums of at most 7 products of values ≤ 2, rounded in float (≈ 7 · 2⁻²⁴ · 4 · 7) */
    private static final double FLOAT32 = 1e-5;

    /** {m, k, n}: matrix-matrix, one output column, one output row, a dot product */
    private static final int[][] SHAPES = {{5, 7, 4}, {5, 7, 1}, {1, 7, 4}, {1, 7, 1}};

    /** @return precision × transA × transB × layouts of a, b and c (row- and column-major, ld beyond the width) */
    static Stream<Arguments> transpositionsAndLayouts() {
        Layout[] layouts = {Layout.ROWS_PADDED, Layout.COLUMNS_PADDED};
        Stream.Builder<Arguments> cases = Stream.builder();
        for (Precision p : Precision.values()) {
            for (int bits = 0; bits < 32; bits++) {
                cases.add(Arguments.of(p, (bits & 1) != 0, (bits & 2) != 0, layouts[bits >> 2 & 1],
                        layouts[bits >> 3 & 1], layouts[bits >> 4 & 1]));
            }
        }
        return cases.build();
    }

    @ParameterizedTest(name = "{0} transA={1} transB={2} a {3} b {4} c {5}")
    @MethodSource("transpositionsAndLayouts")
    void productMatchesTheLoops(Precision p, boolean transA, boolean transB, Layout la, Layout lb, Layout lc) {
        for (int[] s : SHAPES) {
            double[][] a = transA ? random(s[1], s[0], 2) : random(s[0], s[1], 2);
            double[][] b = transB ? random(s[2], s[1], 2) : random(s[1], s[2], 2);
            double[][] c = random(s[0], s[2], 2);
            Matrix cm = matrix(p, lc, c);
            ENGINE.gemm(1.5, matrix(p, la, a), transA, matrix(p, lb, b), transB, -0.75, cm);
            assertClose(Reference.gemm(1.5, a, transA, b, transB, -0.75, c), cm, tolerance(p, FLOAT32),
                    "[m, k, n] = " + Arrays.toString(s));
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("precisionsAndLayouts")
    void betaZeroOverwritesWhateverTheOutputHeld(Precision p, Layout layout) {
        for (int[] s : SHAPES) {
            double[][] a = random(s[0], s[1], 2);
            double[][] b = random(s[1], s[2], 2);
            Matrix c = nans(p, layout, s[0], s[2]);
            ENGINE.gemm(2, matrix(p, layout, a), false, matrix(p, layout, b), false, 0, c);
            assertClose(Reference.gemm(2, a, false, b, false, 0, null), c, tolerance(p, FLOAT32),
                    "β = 0 over NaN, [m, k, n] = " + Arrays.toString(s));
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("precisionsAndLayouts")
    void anEmptyInnerDimensionLeavesBetaTimesC(Precision p, Layout layout) {
        double[][] c = random(3, 4, 2);
        Matrix cm = matrix(p, layout, c);
        ENGINE.gemm(2, nans(p, layout, 3, 0), false, nans(p, layout, 0, 4), false, 0.5, cm);
        assertClose(Reference.table(3, 4, (i, j) -> 0.5 * c[i][j]), cm, 0, "k = 0, β = 0.5");
        Matrix garbage = nans(p, layout, 3, 4);
        ENGINE.gemm(2, nans(p, layout, 3, 0), false, nans(p, layout, 0, 4), false, 0, garbage);
        assertClose(new double[3][4], garbage, 0, "k = 0, β = 0 over NaN");
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("precisionsAndLayouts")
    void batchedProductsMoveEachOperandByItsStride(Precision p, Layout layout) {
        int batch = 3;
        int m = 4;
        int k = 5;
        int n = 3;
        for (int t = 0; t < 4; t++) {
            boolean transA = (t & 1) != 0;
            boolean transB = (t & 2) != 0;
            double[][] b = transB ? random(n, k, 2) : random(k, n, 2);            // shared: stride 0
            Matrix bm = matrix(p, layout, b);
            Batch as = new Batch(p, layout, batch, transA ? k : m, transA ? m : k, 2);
            Batch cs = new Batch(p, layout, batch, m, n, 1);
            ENGINE.gemmBatched(batch, 1.25, as.first, as.stride, transA, bm, 0, transB, 0.5, cs.first, cs.stride);
            for (int e = 0; e < batch; e++) {
                assertClose(Reference.gemm(1.25, as.values[e], transA, b, transB, 0.5, cs.values[e]), cs.member(e),
                        tolerance(p, FLOAT32), "batch member " + e + " transA=" + transA + " transB=" + transB);
            }
        }
    }

    /** {@code count} random [rows, cols] matrices at a fixed stride (beyond their span) in one allocation. */
    private final class Batch {
        final Matrix first;
        final long stride;
        final double[][][] values;

        Batch(Precision p, Layout layout, int count, int rows, int cols, int gap) {
            long ld = layout.ld(rows, cols);
            stride = ld * (layout.columnMajor() ? cols : rows) + gap;
            Matrix all = flat(p, count * stride);
            first = new Matrix(all.address(), p, rows, cols, ld, layout.columnMajor());
            values = new double[count][][];
            for (int e = 0; e < count; e++) {
                values[e] = random(rows, cols, 2);
                write(member(e), values[e]);
            }
        }

        Matrix member(int e) {
            return new Matrix(first.address() + e * stride * first.precision().bytes(), first.precision(), first.rows(),
                    first.cols(), first.ld(), first.columnMajor());
        }
    }

    @Test
    void shapesThatDoNotFitAreRejected() {
        Precision d = Precision.FLOAT64;
        Matrix a = nans(d, Layout.ROWS, 3, 4);
        Matrix b = nans(d, Layout.ROWS, 4, 2);
        Matrix c = nans(d, Layout.ROWS, 3, 2);
        Class<IllegalArgumentException> bad = IllegalArgumentException.class;
        assertThrows(bad, () -> ENGINE.gemm(1, a, false, nans(d, Layout.ROWS, 5, 2), false, 0, c), "inner sizes");
        assertThrows(bad, () -> ENGINE.gemm(1, a, true, b, false, 0, c), "inner sizes after transposing a");
        assertThrows(bad, () -> ENGINE.gemm(1, a, false, b, true, 0, c), "inner sizes after transposing b");
        assertThrows(bad, () -> ENGINE.gemm(1, a, false, b, false, 0, nans(d, Layout.ROWS, 2, 2)), "output rows");
        assertThrows(bad, () -> ENGINE.gemm(1, a, false, b, false, 0, nans(d, Layout.ROWS, 3, 3)), "output columns");
        assertThrows(bad, () -> ENGINE.gemm(1, a, false, nans(d, Layout.ROWS, 4, 1), false, 0,
                nans(d, Layout.ROWS, 3, 2)), "matrix-vector output");
        assertThrows(bad, () -> ENGINE.gemm(1, a, false, b, false, 0, nans(Precision.FLOAT32, Layout.ROWS, 3, 2)),
                "mixed precisions");
        assertThrows(bad, () -> ENGINE.gemmBatched(2, 1, a, 12, false, b, 0, false, 0, nans(d, Layout.ROWS, 3, 3), 9),
                "batched output columns");
    }

    @Test
    void shapesThatDoNotFitAreRejectedWhenTheInnerSizeOfAIsZero() {
        Precision d = Precision.FLOAT64;
        Matrix empty = nans(d, Layout.ROWS, 3, 0);
        assertThrows(IllegalArgumentException.class, () -> ENGINE.gemm(1, empty, false, nans(d, Layout.ROWS, 2, 2),
                false, 0, nans(d, Layout.ROWS, 3, 2)), "a [3, 0] × b [2, 2]");
        assertThrows(IllegalArgumentException.class, () -> ENGINE.gemm(1, empty, false, nans(d, Layout.ROWS, 0, 2),
                false, 0, nans(d, Layout.ROWS, 7, 9)), "a [3, 0] × b [0, 2] into c [7, 9]");
    }
}
