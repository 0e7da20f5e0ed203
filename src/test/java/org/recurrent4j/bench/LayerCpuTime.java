package org.recurrent4j.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;

/**
 * The grid of {@link RecurrentLayerBenchmark} (layer × minibatch × size), timed by the calling thread's CPU time
 * as well as wall time. On a shared machine wall time measures the neighbours; with {@code OMP_NUM_THREADS=1} all of
 * ND4J's compute runs on the calling thread, so its CPU time is a fair same-run comparison. Prints a Markdown table
 * with the ratios ours/DL4J (ELMAN vs SIMPLE_RNN, GRU vs LSTM).
 *
 * <pre>mvn -Pbench test-compile exec:exec -Dbench.main=org.recurrent4j.bench.LayerCpuTime -Dbench.iterations=5</pre>
 */
public final class LayerCpuTime {
    private LayerCpuTime() {
    }

    public static void main(String[] args) {
        int iterations = Integer.getInteger("bench.iterations", 5);
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        String threads = System.getenv().getOrDefault("OMP_NUM_THREADS", "(unset)");
        System.out.println("| minibatch | size | layer | CPU ms/iter | wall ms/iter | CPU-time speed-up vs DL4J |");
        System.out.println("|---|---|---|---|---|---|");
        for (int mb : new int[] {32, 64}) {
            for (int size : new int[] {256, 512}) {
                double simpleRnn = 0;
                double lstm = 0;
                for (String layer : new String[] {"SIMPLE_RNN", "ELMAN", "LSTM", "GRU", "GRU_RESET_AFTER"}) {
                    RecurrentLayerBenchmark b = new RecurrentLayerBenchmark();
                    b.layer = layer;
                    b.minibatch = mb;
                    b.size = size;
                    b.setUp();
                    for (int i = 0; i < 2; i++) {
                        b.fit();
                    }
                    long cpu0 = mx.getCurrentThreadCpuTime();
                    long wall0 = System.nanoTime();
                    for (int i = 0; i < iterations; i++) {
                        b.fit();
                    }
                    double cpu = (mx.getCurrentThreadCpuTime() - cpu0) / 1e6 / iterations;
                    double wall = (System.nanoTime() - wall0) / 1e6 / iterations;
                    String ratio = "";
                    switch (layer) {
                        case "SIMPLE_RNN" -> simpleRnn = cpu;
                        case "LSTM" -> lstm = cpu;
                        case "ELMAN" -> ratio = String.format(Locale.ROOT, "%.2f× SimpleRnn", simpleRnn / cpu);
                        default -> ratio = String.format(Locale.ROOT, "%.2f× LSTM", lstm / cpu);
                    }
                    System.out.printf(Locale.ROOT, "| %d | %d | %s | %.1f | %.1f | %s |%n", mb, size, layer, cpu, wall, ratio);
                }
            }
        }
        System.out.println("\nOMP_NUM_THREADS=" + threads + ", T = 50, 64 classes, float32, " + iterations + " iterations after 2 warm-up.");
    }
}
