package org.recurrent4j.compute.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.stream.Stream;
import org.bytedeco.javacpp.FloatPointer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.recurrent4j.compute.Reference;

/**
 * Both libraries that can make the CPU engine's float products, called directly, against the engine tests' loops in
 * double ({@link Reference#gemm}): every transposition, leading dimensions beyond the width, α and β other than 0 and
 * 1, at sizes that are no multiple of any kernel's block (so edge kernels run too). And how the system property
 * chooses between them.
 */
class FloatGemmLibraryTest {
    /** {m, k, n}: below, at and above typical register blocks */
    private static final int[][] SHAPES = {{67, 129, 70}, {1, 33, 17}, {16, 48, 1}};
    private static final int PAD = 3;

    static Stream<Arguments> librariesAndTranspositions() {
        Stream.Builder<Arguments> cases = Stream.builder();
        for (FloatGemmLibrary library : FloatGemmLibrary.values()) {
            for (int t = 0; t < 4; t++) {
                cases.add(Arguments.of(library, (t & 1) != 0, (t & 2) != 0));
            }
        }
        return cases.build();
    }

    @ParameterizedTest(name = "{0} transA={1} transB={2}")
    @MethodSource("librariesAndTranspositions")
    void productMatchesTheLoop(FloatGemmLibrary library, boolean transA, boolean transB) {
        Random random = new Random(7);
        for (int[] s : SHAPES) {
            int m = s[0];
            int k = s[1];
            int n = s[2];
            int rowsA = transA ? k : m;
            int colsA = transA ? m : k;
            int rowsB = transB ? n : k;
            int colsB = transB ? k : n;
            float[] a = random(random, rowsA * (colsA + PAD));                      // row-major, ld = width + PAD
            float[] b = random(random, rowsB * (colsB + PAD));
            float[] c = random(random, m * (n + PAD));
            double[][] expected = Reference.gemm(1.5, unpadded(a, rowsA, colsA), transA, unpadded(b, rowsB, colsB),
                    transB, -0.75, unpadded(c, m, n));
            try (FloatPointer pa = new FloatPointer(a); FloatPointer pb = new FloatPointer(b);
                 FloatPointer pc = new FloatPointer(c)) {
                library.sgemm(transA, transB, m, n, k, 1.5f, pa, colsA + PAD, pb, colsB + PAD, -0.75f, pc, n + PAD);
                pc.get(c);
            }
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    // sums of at most 129 products of values ≤ 1 in float: |error| ≤ 129 · 2⁻²³ ≈ 1.5e-5
                    assertEquals(expected[i][j], c[i * (n + PAD) + j], 2e-5,
                            library + " [m, k, n] = [" + m + ", " + k + ", " + n + "] at (" + i + ", " + j + ")");
                }
                for (int j = n; j < n + PAD; j++) {
                    assertTrue(c[i * (n + PAD) + j] >= -1 && c[i * (n + PAD) + j] <= 1,
                            library + " wrote into the padding at (" + i + ", " + j + ")");
                }
            }
        }
    }

    @Test
    void oneDnnIsTheDefaultWhereItsNativesLoad() {
        assertEquals(FloatGemmLibrary.ONEDNN, FloatGemmLibrary.choose(null));
        assertEquals(FloatGemmLibrary.ONEDNN, FloatGemmLibrary.choose(" "));
    }

    @Test
    void thePropertyNamesTheLibraryInAnyCase() {
        assertEquals(FloatGemmLibrary.OPENBLAS, FloatGemmLibrary.choose("openblas"));
        assertEquals(FloatGemmLibrary.ONEDNN, FloatGemmLibrary.choose(" OneDNN "));
    }

    @Test
    void anUnknownLibraryIsRefusedNamingThePropertyAndTheChoices() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FloatGemmLibrary.choose("mkl"));
        assertEquals("System property recurrent4j.cpu.sgemm: expected onednn or openblas, got 'mkl'", e.getMessage());
    }

    /** @return the [rows, cols] matrix stored row-major with leading dimension cols + PAD */
    private static double[][] unpadded(float[] values, int rows, int cols) {
        double[][] m = new double[rows][cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                m[i][j] = values[i * (cols + PAD) + j];
            }
        }
        return m;
    }

    private static float[] random(Random random, int length) {
        float[] values = new float[length];
        for (int i = 0; i < length; i++) {
            values[i] = random.nextFloat() * 2 - 1;
        }
        return values;
    }
}
