package org.recurrent4j.compute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.provider.Arguments;
import org.recurrent4j.compute.cpu.CpuEngine;
import sun.misc.Unsafe;

/**
 * What the engine tests share: the CPU engine, engine memory for test matrices, element access, random data, the
 * parameter sources (precision × layout) and the comparison with a double-precision reference.
 *
 * <p>Every matrix a test allocates sits in a larger allocation filled with a sentinel value: a margin before and after,
 * and the gap between rows (or columns) when {@code ld} exceeds the width. After each test, every element outside the
 * views must still hold the sentinel, so a kernel that writes outside its operands fails the test that called it.
 * Matrices that a kernel overwrites start as NaN, so an element it forgets to write fails the comparison.
 */
abstract class EngineTestSupport {
    static final ComputeEngine ENGINE = CpuEngine.get();

    /**
     * The absolute error bound of the FLOAT32 engine's tanh (and so of σ = ½ + ½ tanh(x/2)), checked by
     * {@code FloatTanhAccuracyTest}; float tolerances below are multiples of it plus float rounding.
     */
    static final double FAST_FUNCTION_ERROR = 4e-7;

    /** Relative tolerance of FLOAT64 results against the double reference. */
    static final double FLOAT64_TOLERANCE = 1e-12;

    private static final double SENTINEL = -7777.25;
    private static final int MARGIN = 5;
    private static final Unsafe UNSAFE = unsafe();

    /** How a test matrix lies in memory. */
    enum Layout {
        /** row-major, ld = cols (contiguous: the engine's memcpy paths) */
        ROWS,
        /** row-major, ld = cols + 3 */
        ROWS_PADDED,
        /** column-major, ld = rows (contiguous) */
        COLUMNS,
        /** column-major, ld = rows + 2 */
        COLUMNS_PADDED;

        boolean columnMajor() {
            return this == COLUMNS || this == COLUMNS_PADDED;
        }

        long ld(long rows, long cols) {
            return switch (this) {
                case ROWS -> Math.max(1, cols);
                case ROWS_PADDED -> cols + 3;
                case COLUMNS -> Math.max(1, rows);
                case COLUMNS_PADDED -> rows + 2;
            };
        }
    }

    private record Allocation(EngineBuffer buffer, Matrix view) {
    }

    private final List<Allocation> allocations = new ArrayList<>();
    final Random random = new Random(20240917);

    // ------------------------------------------------------------------------------------------------
    // Parameter sources

    /** @return every precision with every layout */
    static Stream<Arguments> precisionsAndLayouts() {
        return Stream.of(Precision.values()).flatMap(p -> Stream.of(Layout.values()).map(l -> Arguments.of(p, l)));
    }

    /** @return every precision with every (input layout, output layout) pair */
    static Stream<Arguments> precisionsAndLayoutPairs() {
        return precisionsAndLayouts().flatMap(a -> Stream.of(Layout.values()).map(out -> Arguments.of(a.get()[0],
                a.get()[1], out)));
    }

    // ------------------------------------------------------------------------------------------------
    // Memory

    /** @return a [rows, cols] matrix of engine memory holding {@code values} */
    Matrix matrix(Precision p, Layout layout, double[][] values) {
        Matrix m = allocate(p, layout, values.length, values.length == 0 ? 0 : values[0].length);
        write(m, values);
        return m;
    }

    /** @return a [rows, cols] matrix of NaN: an output the kernel must overwrite */
    Matrix nans(Precision p, Layout layout, int rows, int cols) {
        Matrix m = allocate(p, layout, rows, cols);
        write(m, filled(rows, cols, Double.NaN));
        return m;
    }

    /** @return a matrix view of {@code elements} contiguous elements (row-major [1, elements]), all NaN */
    Matrix flat(Precision p, long elements) {
        Matrix m = allocate(p, Layout.ROWS, 1, elements);
        write(m, filled(1, (int) elements, Double.NaN));
        return m;
    }

    private Matrix allocate(Precision p, Layout layout, long rows, long cols) {
        long ld = layout.ld(rows, cols);
        long span = ld * Math.max(1, layout.columnMajor() ? cols : rows);
        EngineBuffer buffer = ENGINE.allocate(p, span + 2 * MARGIN);
        for (long e = 0; e < buffer.capacity(); e++) {
            put(p, buffer.address() + e * p.bytes(), SENTINEL);
        }
        Matrix view = new Matrix(buffer.address() + (long) MARGIN * p.bytes(), p, rows, cols, ld, layout.columnMajor());
        allocations.add(new Allocation(buffer, view));
        return view;
    }

    @AfterEach
    void nothingWasWrittenOutsideTheViews() {
        try {
            for (Allocation a : allocations) {
                Matrix v = a.view();
                long inner = v.columnMajor() ? v.rows() : v.cols();
                long outer = v.columnMajor() ? v.cols() : v.rows();
                for (long e = 0; e < a.buffer().capacity(); e++) {
                    long offset = e - MARGIN;
                    boolean inView = offset >= 0 && offset / v.ld() < outer && offset % v.ld() < inner;
                    double x = get(v.precision(), a.buffer().address() + e * v.precision().bytes());
                    if (!inView && x != SENTINEL) {
                        fail("element " + offset + " outside the view " + v.describe() + " (ld " + v.ld()
                                + ") was overwritten with " + x);
                    }
                }
            }
        } finally {
            allocations.forEach(a -> a.buffer().close());
            allocations.clear();
        }
    }

    // ------------------------------------------------------------------------------------------------
    // Elements

    static double get(Matrix m, long i, long j) {
        return get(m.precision(), m.at(i, j));
    }

    static void set(Matrix m, long i, long j, double v) {
        put(m.precision(), m.at(i, j), v);
    }

    static double get(Precision p, long address) {
        return p == Precision.FLOAT32 ? UNSAFE.getFloat(address) : UNSAFE.getDouble(address);
    }

    static void put(Precision p, long address, double v) {
        if (p == Precision.FLOAT32) {
            UNSAFE.putFloat(address, (float) v);
        } else {
            UNSAFE.putDouble(address, v);
        }
    }

    static double[][] read(Matrix m) {
        double[][] v = new double[(int) m.rows()][(int) m.cols()];
        for (int i = 0; i < v.length; i++) {
            for (int j = 0; j < v[i].length; j++) {
                v[i][j] = get(m, i, j);
            }
        }
        return v;
    }

    static void write(Matrix m, double[][] values) {
        for (int i = 0; i < values.length; i++) {
            for (int j = 0; j < values[i].length; j++) {
                set(m, i, j, values[i][j]);
            }
        }
    }

    // ------------------------------------------------------------------------------------------------
    // Data

    /** @return uniform values in [−scale, scale], representable in FLOAT32 (so both precisions hold them exactly) */
    double[][] random(int rows, int cols, double scale) {
        double[][] v = new double[rows][cols];
        for (double[] row : v) {
            for (int j = 0; j < cols; j++) {
                row[j] = (float) (scale * (2 * random.nextDouble() - 1));
            }
        }
        return v;
    }

    /** @return uniform values in (lo, hi), representable in FLOAT32 (e.g. gate values in (0, 1)) */
    double[][] uniform(int rows, int cols, double lo, double hi) {
        double[][] v = random(rows, cols, 1);
        for (double[] row : v) {
            for (int j = 0; j < cols; j++) {
                row[j] = (float) (lo + (hi - lo) * (row[j] + 1) / 2);
            }
        }
        return v;
    }

    /**
     * @return a random recurrent layer problem: parameters small enough to keep the gates away from saturation, an
     *     input, dL/d(outputs), and the given mask, initial state (random when asked) and window
     */
    Reference.Problem problem(Reference.Cell cell, MaskedSteps mode, int mb, int steps, int nIn, int n,
                              double[][] mask, boolean initialState, int backLength) {
        int gn = cell.gates * n;
        Reference.Params params = new Reference.Params(random(nIn, gn, 0.6), random(1, gn, 0.5)[0],
                random(n, gn, 0.6), cell.hasRecurrentBias() ? random(1, gn, 0.5)[0] : null);
        double[][][] x = new double[steps][][];
        double[][][] eps = new double[steps][][];
        for (int t = 0; t < steps; t++) {
            x[t] = random(mb, nIn, 1);
            eps[t] = random(mb, n, 1);
        }
        double[][] init = initialState ? random(mb, cell.stateWidth(n), 0.8) : null;
        return new Reference.Problem(cell, mode, params, x, mask, init, eps, backLength);
    }

    static double[][] filled(int rows, int cols, double value) {
        double[][] v = new double[rows][cols];
        for (double[] row : v) {
            Arrays.fill(row, value);
        }
        return v;
    }

    // ------------------------------------------------------------------------------------------------
    // Comparison

    /** @return {@link #FLOAT64_TOLERANCE} for FLOAT64, {@code float32} for FLOAT32 */
    static double tolerance(Precision p, double float32) {
        return p == Precision.FLOAT64 ? FLOAT64_TOLERANCE : float32;
    }

    /** Asserts {@code |actual − expected| ≤ tol · max(1, |expected|)} for every element (NaN never matches). */
    static void assertClose(double[][] expected, Matrix actual, double tol, String what) {
        assertEquals(expected.length, actual.rows(), what + ": rows");
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i].length, actual.cols(), what + ": columns");
            for (int j = 0; j < expected[i].length; j++) {
                assertClose(expected[i][j], get(actual, i, j), tol, what + " (" + i + ", " + j + ")");
            }
        }
    }

    static void assertClose(double expected, double actual, double tol, String what) {
        if (!(Math.abs(actual - expected) <= tol * Math.max(1, Math.abs(expected)))) {
            fail(what + ": expected " + expected + ", got " + actual + " (difference " + (actual - expected)
                    + ", tolerance " + tol + ")");
        }
    }

    private static Unsafe unsafe() {
        try {
            Field f = Unsafe.class.getDeclaredField("theUnsafe");
            f.setAccessible(true);
            return (Unsafe) f.get(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
