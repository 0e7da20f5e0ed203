package org.recurrent4j.bench;

import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import org.bytedeco.javacpp.FloatPointer;
import org.recurrent4j.compute.ComputeEngine;
import org.recurrent4j.compute.Matrix;
import org.recurrent4j.compute.Precision;
import org.recurrent4j.nn.engine.Engines;

/**
 * How fast the CPU engine's {@code gemm} (float products with oneDNN, or with OpenBLAS under
 * {@code -Drecurrent4j.cpu.sgemm=openblas}) runs the layers' product shapes
 * {@code C [m, n] = A [m, k] · B [k, n]} with C stored row-major and with C stored column-major (which the engine
 * computes as {@code Cᵀ = Bᵀ Aᵀ}), one thread, operands in cache; and whether both give the same floats. Not a test:
 * a Markdown table on stdout.
 *
 * <pre>
 * OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 java [-Drecurrent4j.cpu.sgemm=openblas] \
 *     -cp target/test-classes:target/classes:$(cat CLASSPATH_FILE) org.recurrent4j.bench.GemmOrientation
 * </pre>
 */
public final class GemmOrientation {
    /** {m, k, n}: the per-step recurrent products, then the input projection and weight-gradient products, T·mb = 1600. */
    private static final int[][] SHAPES = {{32, 128, 128}, {64, 128, 128}, {32, 128, 384}, {64, 128, 384},
        {32, 512, 512}, {64, 512, 512}, {64, 512, 1536}, {1600, 128, 128}, {1600, 128, 384}, {1600, 512, 512},
        {128, 1600, 128}, {128, 1600, 384}, {512, 1600, 512}};
    private static final int ROUNDS = 5;
    private static final double FLOPS_PER_ROUND = 2e9;

    private GemmOrientation() {
    }

    public static void main(String[] args) {
        ComputeEngine engine = Engines.current();
        System.out.println("Engine: " + engine.describe() + "\n");
        System.out.println("| m × k · k × n | C row-major, GFLOP/s | C column-major, GFLOP/s | same floats |");
        System.out.println("|---|---|---|---|");
        Random random = new Random(1);
        for (int[] s : SHAPES) {
            int m = s[0];
            int k = s[1];
            int n = s[2];
            FloatPointer a = randomMatrix(random, (long) m * k);
            FloatPointer b = randomMatrix(random, (long) k * n);
            FloatPointer rowMajor = new FloatPointer((long) m * n);
            FloatPointer columnMajor = new FloatPointer((long) m * n);
            Matrix aView = Matrix.rowMajor(a.address(), Precision.FLOAT32, m, k);                   // [m, k]
            Matrix bView = Matrix.rowMajor(b.address(), Precision.FLOAT32, k, n);                   // [k, n]
            Matrix cRows = Matrix.rowMajor(rowMajor.address(), Precision.FLOAT32, m, n);            // [m, n]
            Matrix cColumns = Matrix.rowMajor(columnMajor.address(), Precision.FLOAT32, n, m).transpose();
            int reps = (int) Math.max(20, FLOPS_PER_ROUND / ROUNDS / (2.0 * m * n * k));
            double rowRate = rate(m, n, k, reps, () -> engine.gemm(1, aView, false, bView, false, 0, cRows));
            double columnRate = rate(m, n, k, reps, () -> engine.gemm(1, aView, false, bView, false, 0, cColumns));
            float[] c1 = new float[m * n];
            float[] c2 = new float[m * n];
            rowMajor.get(c1);
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    c2[i * n + j] = columnMajor.get((long) j * m + i);
                }
            }
            System.out.println(String.format(Locale.ROOT, "| %d × %d · %d × %d | %.1f | %.1f | %s |", m, k, k, n,
                    rowRate, columnRate, Arrays.equals(c1, c2) ? "yes" : "no"));
        }
    }

    private static FloatPointer randomMatrix(Random random, long size) {
        FloatPointer p = new FloatPointer(size);
        for (long i = 0; i < size; i++) {
            p.put(i, random.nextFloat() - 0.5f);
        }
        return p;
    }

    /** @return GFLOP/s of the best of {@link #ROUNDS} rounds of {@code reps} products */
    private static double rate(int m, int n, int k, int reps, Runnable product) {
        double best = Double.MAX_VALUE;
        for (int round = 0; round < ROUNDS; round++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < reps; i++) {
                product.run();
            }
            best = Math.min(best, (System.nanoTime() - t0) / (double) reps);
        }
        return 2.0 * m * n * k / best;
    }
}
