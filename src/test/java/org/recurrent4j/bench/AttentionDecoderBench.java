package org.recurrent4j.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.recurrent4j.conf.graph.AttentionDecoderVertex;
import org.recurrent4j.nn.decoder.AttentionDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Benchmark (not a test): forward + backward of the attention decoder (GRU, Bahdanau) at mb 64, Tx = Ty = 30,
 * e = 256, n = 512, dh = 1024 (a bidirectional 512 encoder), a = 512, in float on the CPU; the GEMM FLOPs of that
 * pass versus the machine's large-GEMM rate measured in the same run, both by wall time and by the main thread's CPU
 * time. With {@code OMP_NUM_THREADS=1} all work runs on the main thread, so the CPU-time fraction does not depend on
 * what else the machine is running (on a shared machine, compare those).
 *
 * Each repetition measures the GEMM rate right before its forward + backward; the fractions reported are medians
 * of the per-repetition fractions, so that a shared (virtual) machine whose speed drifts between repetitions
 * compares like with like.
 *
 * <pre>
 * OMP_NUM_THREADS=1 mvn -q test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=org.recurrent4j.bench.AttentionDecoderBench -Dexec.args=7
 * </pre>
 */
public final class AttentionDecoderBench {
    private static final Logger log = LoggerFactory.getLogger(AttentionDecoderBench.class);

    public static void main(String[] args) {
        Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
        long mb = 64, tx = 30, ty = 30, e = 256, n = 512, dh = 1024, a = 512;
        int reps = args.length > 0 ? Integer.parseInt(args[0]) : 7;

        AttentionDecoderVertex conf = new AttentionDecoderVertex.Builder().embeddingSize(e).annotationSize(dh).nOut(n)
                .attentionSize(a).build();
        AttentionDecoder dec = conf.createDecoder();
        Map<String, INDArray> p = new LinkedHashMap<>();
        Map<String, INDArray> g = new LinkedHashMap<>();
        conf.paramShapes().forEach((k, s) -> {
            p.put(k, Nd4j.create(DataType.FLOAT, s, 'f'));
            g.put(k, Nd4j.create(DataType.FLOAT, s, 'f'));
        });
        dec.initParams(p);
        INDArray y = Nd4j.randn(DataType.FLOAT, mb, e, ty);
        INDArray h = Nd4j.randn(DataType.FLOAT, mb, dh, tx);
        INDArray dOut = Nd4j.randn(DataType.FLOAT, mb, n, ty);

        double flops = flops(mb, tx, ty, e, n, dh, a, conf.isKeepAttentionHidden());
        dec.backward(p, dec.forward(p, y, null, h, null, true), dOut, g);                // warm-up
        gemmRate(GEMM_SIZE, 1);
        // each repetition measures the GEMM rate right before the decoder, so that the per-repetition fraction
        // compares the two under the same conditions even when a shared host drifts; medians over repetitions
        double[] wallFraction = new double[reps];
        double[] cpuFraction = new double[reps];
        double[] wallMs = new double[reps];
        double[] cpuMs = new double[reps];
        double[] forwardMs = new double[reps];
        double[] gemmWall = new double[reps];
        double[] gemmCpu = new double[reps];
        for (int i = 0; i < reps; i++) {
            double[] rate = gemmRate(GEMM_SIZE, 1);                                     // wall, CPU
            long c0 = cpuNanos();
            long t0 = System.nanoTime();
            AttentionDecoder.Forward f = dec.forward(p, y, null, h, null, true);
            long t1 = System.nanoTime();
            dec.backward(p, f, dOut, g);
            long t2 = System.nanoTime();
            long c2 = cpuNanos();
            wallMs[i] = (t2 - t0) / 1e6;
            cpuMs[i] = (c2 - c0) / 1e6;
            forwardMs[i] = (t1 - t0) / 1e6;
            gemmWall[i] = rate[0];
            gemmCpu[i] = rate[1];
            wallFraction[i] = flops / (wallMs[i] / 1e3) / rate[0];
            cpuFraction[i] = flops / (cpuMs[i] / 1e3) / rate[1];
        }
        log.info(String.format("decoder GRU+Bahdanau fwd+bwd: %.2f GFLOP, medians of %d repetitions (OMP_NUM_THREADS=%s):"
                + " wall %.1f ms (forward %.1f ms) = %.0f%% of the GEMM rate %.1f GFLOP/s; main-thread CPU %.1f ms"
                + " = %.0f%% of the GEMM CPU rate %.1f GFLOP/s", flops / 1e9, reps, System.getenv("OMP_NUM_THREADS"),
                median(wallMs), median(forwardMs), 100 * median(wallFraction), median(gemmWall) / 1e9, median(cpuMs),
                100 * median(cpuFraction), median(gemmCpu) / 1e9));
        log.info(String.format("per repetition, CPU fraction: %s", java.util.Arrays.toString(
                java.util.Arrays.stream(cpuFraction).map(x -> Math.round(1000 * x) / 10.0).toArray())));
    }

    /** Side of the square GEMM whose rate is the reference (2·2048³ = 17.2 GFLOP, well past every packing cost). */
    private static final int GEMM_SIZE = 2048;

    private static double median(double[] x) {
        double[] s = x.clone();
        java.util.Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    /**
     * GEMM FLOPs of one forward + backward: backward two GEMMs per forward GEMM, plus the recomputed score layers when
     * the forward pass does not keep them ({@code keepAttentionHidden(false)}; kept by default, then nothing is
     * recomputed and nothing is counted for it).
     */
    static double flops(long mb, long tx, long ty, long e, long n, long dh, long a, boolean hiddenKept) {
        double perStep = 2.0 * mb * e * 3 * n       // input projection (all steps in one GEMM)
                + 2.0 * mb * dh * 3 * n              // context into the gates
                + 2.0 * mb * n * 3 * n               // recurrent
                + 2.0 * mb * n * a                   // query projection
                + 2.0 * mb * tx * a                  // vᵀ tanh(...)
                + 2.0 * mb * tx * dh;                // context Σ α h
        double forward = ty * perStep + 2.0 * mb * tx * dh * a;   // + key projection once
        double recompute = ty * (2.0 * mb * n * a + 2.0 * mb * tx * a);
        return 3 * forward + (hiddenKept ? 0 : recompute);
    }

    private static long cpuNanos() {
        return java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    }

    /** The operands of the reference GEMM, kept so that each measurement times the GEMM alone. */
    private static INDArray[] gemmOperands;

    /** @return FLOP/s of a large square float GEMM: by wall time, by the main thread's CPU time */
    static double[] gemmRate(int size, int reps) {
        if (gemmOperands == null || gemmOperands[0].size(0) != size) {
            gemmOperands = new INDArray[] {Nd4j.rand(DataType.FLOAT, size, size), Nd4j.rand(DataType.FLOAT, size, size),
                    Nd4j.create(DataType.FLOAT, new long[] {size, size}, 'f')};
        }
        INDArray x = gemmOperands[0];
        INDArray w = gemmOperands[1];
        INDArray c = gemmOperands[2];
        Nd4j.gemm(x, w, c, false, false, 1.0, 0.0);
        long c0 = cpuNanos();
        long t0 = System.nanoTime();
        for (int i = 0; i < reps; i++) {
            Nd4j.gemm(x, w, c, false, false, 1.0, 0.0);
        }
        double sec = (System.nanoTime() - t0) / 1e9 / reps;
        double cpuSec = (cpuNanos() - c0) / 1e9 / reps;
        double f = 2.0 * size * size * (double) size;
        return new double[] {f / sec, f / cpuSec};
    }
}
