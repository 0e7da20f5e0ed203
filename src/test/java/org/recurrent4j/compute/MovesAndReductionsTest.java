package org.recurrent4j.compute;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.recurrent4j.compute.Reference.table;

import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The moves and reductions of {@link ComputeEngine} against loops in double, each with its operands in one layout and
 * its output in another (row- and column-major, each with and without a gap between rows or columns): copy, fill, add,
 * multiply, scale, axpy, addRowVector, columnSums, scaleRows, sum, dot, maxAbs, gatherRows, scatterAddRows, and the
 * sequence layouts to and from time-major rows.
 */
class MovesAndReductionsTest extends EngineTestSupport {
    /** FLOAT32: one or two roundings of values ≤ 4 */
    private static final double FLOAT32 = 2.5e-7;
    private static final int ROWS = 5;
    private static final int COLS = 4;

    private double[][] a;
    private double[][] b;

    @BeforeEach
    void data() {
        a = random(ROWS, COLS, 2);
        b = random(ROWS, COLS, 2);
    }

    @ParameterizedTest(name = "{0} {1} to {2}")
    @MethodSource("precisionsAndLayoutPairs")
    void copyMovesEveryElement(Precision p, Layout in, Layout out) {
        Matrix dst = nans(p, out, ROWS, COLS);
        ENGINE.copy(matrix(p, in, a), dst);
        assertClose(a, dst, 0, "copy");
    }

    @ParameterizedTest(name = "{0} {1} to {2}")
    @MethodSource("precisionsAndLayoutPairs")
    void copyMovesEveryElementOfMatricesLargerThanATile(Precision p, Layout in, Layout out) {
        for (int[] shape : new int[][] {{70, 300}, {300, 70}}) {
            double[][] big = random(shape[0], shape[1], 2);
            Matrix dst = nans(p, out, shape[0], shape[1]);
            ENGINE.copy(matrix(p, in, big), dst);
            assertClose(big, dst, 0, "copy " + shape[0] + " × " + shape[1]);
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("precisionsAndLayouts")
    void fillSetsEveryElement(Precision p, Layout layout) {
        for (double value : new double[] {2.5, 0}) {
            Matrix dst = nans(p, layout, ROWS, COLS);
            ENGINE.fill(dst, value);
            assertClose(filled(ROWS, COLS, value), dst, 0, "fill " + value);
        }
    }

    @ParameterizedTest(name = "{0} {1} to {2}")
    @MethodSource("precisionsAndLayoutPairs")
    void addAndMultiplyWorkElementWiseAndInPlace(Precision p, Layout in, Layout out) {
        double tol = tolerance(p, FLOAT32);
        double[][] sum = table(ROWS, COLS, (i, j) -> a[i][j] + b[i][j]);
        double[][] product = table(ROWS, COLS, (i, j) -> a[i][j] * b[i][j]);
        Matrix o = nans(p, out, ROWS, COLS);
        ENGINE.add(matrix(p, in, a), matrix(p, out, b), o);
        assertClose(sum, o, tol, "add");
        ENGINE.multiply(matrix(p, in, a), matrix(p, out, b), o);
        assertClose(product, o, tol, "multiply");
        Matrix x = matrix(p, in, a);
        ENGINE.add(x, matrix(p, out, b), x);
        assertClose(sum, x, tol, "add into a");
        Matrix y = matrix(p, out, b);
        ENGINE.multiply(matrix(p, in, a), y, y);
        assertClose(product, y, tol, "multiply into b");
    }

    @ParameterizedTest(name = "{0} {1} to {2}")
    @MethodSource("precisionsAndLayoutPairs")
    void axpyAddsAlphaX(Precision p, Layout in, Layout out) {
        Matrix y = matrix(p, out, b);
        ENGINE.axpy(-1.5, matrix(p, in, a), y);
        assertClose(table(ROWS, COLS, (i, j) -> b[i][j] - 1.5 * a[i][j]), y, tolerance(p, FLOAT32), "axpy");
    }

    @ParameterizedTest(name = "{0} row {1}, matrix {2}")
    @MethodSource("precisionsAndLayoutPairs")
    void addRowVectorAddsTheRowToEveryRow(Precision p, Layout in, Layout out) {
        Matrix row = matrix(p, in, random(3, COLS, 2)).rows(1, 1);                  // strided when column-major
        double[][] r = read(row);
        Matrix m = matrix(p, out, a);
        ENGINE.addRowVector(row, m);
        assertClose(table(ROWS, COLS, (i, j) -> a[i][j] + r[0][j]), m, tolerance(p, FLOAT32), "addRowVector");
    }

    @ParameterizedTest(name = "{0} matrix {1}, sums {2}")
    @MethodSource("precisionsAndLayoutPairs")
    void columnSumsAddBetaTimesTheOutput(Precision p, Layout in, Layout out) {
        double[][] old = random(3, COLS, 2);
        Matrix sums = matrix(p, out, old).rows(1, 1);
        ENGINE.columnSums(matrix(p, in, a), 0.5, sums);
        double[][] expected = table(1, COLS, (i, j) -> {
            double s = 0.5 * old[1][j];
            for (double[] row : a) {
                s += row[j];
            }
            return s;
        });
        assertClose(expected, sums, tolerance(p, 4 * FLOAT32), "columnSums, β = 0.5");
        Matrix fresh = nans(p, out, 3, COLS).rows(1, 1);
        ENGINE.columnSums(matrix(p, in, a), 0, fresh);
        assertClose(table(1, COLS, (i, j) -> expected[0][j] - 0.5 * old[1][j]), fresh, tolerance(p, 4 * FLOAT32),
                "columnSums, β = 0 over NaN");
    }

    @ParameterizedTest(name = "{0} factors {1}, matrix {2}")
    @MethodSource("precisionsAndLayoutPairs")
    void scaleRowsZeroesRowsOfFactorZeroEvenWhenTheyHoldNaN(Precision p, Layout in, Layout out) {
        double[] f = {0, 1, 0.5, -2, 0};
        double[][] m = random(ROWS, COLS, 2);
        m[4][2] = Double.NaN;
        Matrix factors = matrix(p, in, table(ROWS, 2, (i, j) -> j == 1 ? f[i] : 9)).cols(1, 1);
        Matrix x = matrix(p, out, m);
        ENGINE.scaleRows(factors, x);
        assertClose(table(ROWS, COLS, (i, j) -> f[i] == 0 ? 0 : f[i] * m[i][j]), x, tolerance(p, FLOAT32),
                "scaleRows by " + Arrays.toString(f));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("precisionsAndLayouts")
    void scaleMultipliesEveryElementAndSumAddsThemUp(Precision p, Layout layout) {
        Matrix x = matrix(p, layout, a);
        ENGINE.scale(x, -2.5);
        assertClose(table(ROWS, COLS, (i, j) -> -2.5 * a[i][j]), x, tolerance(p, FLOAT32), "scale");
        double sum = 0;
        for (double[] row : a) {
            for (double v : row) {
                sum += v;
            }
        }
        assertClose(sum, ENGINE.sum(matrix(p, layout, a)), tolerance(p, 1e-6), "sum");
    }

    /** row indices into a [5, 4] matrix: repeated, and −1 (none) */
    private static final long[] INDICES = {3, -1, 0, 3, 4, 1};

    @ParameterizedTest(name = "{0} {1} to {2}")
    @MethodSource("precisionsAndLayoutPairs")
    void gatherRowsCopiesIndexedRowsAndZeroesForNegativeIndices(Precision p, Layout in, Layout out) {
        Matrix dst = nans(p, out, INDICES.length, COLS);
        ENGINE.gatherRows(matrix(p, in, a), INDICES, dst);
        assertClose(table(INDICES.length, COLS, (i, j) -> INDICES[i] < 0 ? 0 : a[(int) INDICES[i]][j]), dst, 0,
                "gatherRows " + Arrays.toString(INDICES));
        assertThrows(IllegalArgumentException.class, () -> ENGINE.gatherRows(matrix(p, in, a), INDICES,
                nans(p, out, ROWS, COLS)), "one index per row of dst");
    }

    @ParameterizedTest(name = "{0} {1} to {2}")
    @MethodSource("precisionsAndLayoutPairs")
    void scatterAddRowsAccumulatesRepeatedIndicesAndSkipsNegativeOnes(Precision p, Layout in, Layout out) {
        double[][] src = random(INDICES.length, COLS, 2);
        double[][] expected = table(ROWS, COLS, (r, j) -> {
            double s = b[r][j];
            for (int i = 0; i < INDICES.length; i++) {
                s += INDICES[i] == r ? src[i][j] : 0;
            }
            return s;
        });
        Matrix dst = matrix(p, out, b);
        ENGINE.scatterAddRows(matrix(p, in, src), INDICES, dst);
        assertClose(expected, dst, tolerance(p, 2 * FLOAT32), "scatterAddRows " + Arrays.toString(INDICES));
        assertThrows(IllegalArgumentException.class, () -> ENGINE.scatterAddRows(matrix(p, in, a), INDICES, dst),
                "one index per row of src");
    }

    @ParameterizedTest(name = "{0} {1} with {2}")
    @MethodSource("precisionsAndLayoutPairs")
    void dotAndMaxAbsReduceAllElements(Precision p, Layout in, Layout out) {
        double dot = 0;
        for (int i = 0; i < ROWS; i++) {
            for (int j = 0; j < COLS; j++) {
                dot += a[i][j] * b[i][j];
            }
        }
        double tol = tolerance(p, 1e-6);
        assertClose(dot, ENGINE.dot(matrix(p, in, a), matrix(p, out, b)), tol, "dot");
        a[3][1] = -7.5;                                                            // the largest magnitude, negative
        assertClose(7.5, ENGINE.maxAbs(matrix(p, in, a)), 0, "maxAbs");
        assertClose(0, ENGINE.maxAbs(nans(p, in, 0, COLS)), 0, "maxAbs of an empty matrix");
    }

    /** How a DL4J sequence of [mb, size, T] lies in memory: the strides of (example, feature, step). */
    enum SequenceLayout {
        NCW_C, NCW_F, NWC_C;

        long[] strides(long mb, long size, long steps) {
            return switch (this) {
                case NCW_C -> new long[] {size * steps, steps, 1};
                case NCW_F -> new long[] {1, mb, mb * size};
                case NWC_C -> new long[] {steps * size, 1, size};                 // storage [mb, T, size] 'c'
            };
        }
    }

    /**
     * Each layout with small sizes, and with sizes beyond one tile of the transposing copies (32 rows × 256 columns)
     * in either direction.
     */
    static Stream<Arguments> sequenceLayouts() {
        return precisionsAndLayouts().flatMap(a -> Stream.of(SequenceLayout.values())
                .flatMap(s -> Stream.of(Arguments.of(a.get()[0], s, a.get()[1], new int[] {3, 4, 5}),
                        Arguments.of(a.get()[0], s, a.get()[1], new int[] {2, 70, 67}),
                        Arguments.of(a.get()[0], s, a.get()[1], new int[] {2, 300, 40}),
                        Arguments.of(a.get()[0], s, a.get()[1], new int[] {3, 40, 300}))));
    }

    @ParameterizedTest(name = "{0} {1} and {2}, [mb, size, T] = {3}")
    @MethodSource("sequenceLayouts")
    void sequencesGoToTimeMajorRowsAndBack(Precision p, SequenceLayout sequence, Layout layout, int[] sizes) {
        int mb = sizes[0];
        int size = sizes[1];
        int steps = sizes[2];
        double[][] rows = random(steps * mb, size, 2);                             // row t·mb + i: (i, :, t)
        long[] shape = {mb, size, steps};
        Tensor3 src = new Tensor3(flat(p, mb * size * steps).address(), p, shape, sequence.strides(mb, size, steps));
        for (int r = 0; r < rows.length; r++) {
            for (int j = 0; j < size; j++) {
                put(p, src.at(r % mb, j, r / mb), rows[r][j]);
            }
        }
        Matrix timeMajor = nans(p, layout, steps * mb, size);
        ENGINE.toTimeMajor(src, timeMajor);
        assertClose(rows, timeMajor, 0, "toTimeMajor");

        Tensor3 dst = new Tensor3(flat(p, mb * size * steps).address(), p, shape, sequence.strides(mb, size, steps));
        ENGINE.fromTimeMajor(timeMajor, dst);
        for (int r = 0; r < rows.length; r++) {
            for (int j = 0; j < size; j++) {
                assertClose(rows[r][j], get(p, dst.at(r % mb, j, r / mb)), 0, "fromTimeMajor row " + r + " col " + j);
            }
        }
    }
}
