package org.recurrent4j.bench;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Consumer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.parallelism.ParallelWrapper;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.recurrent4j.data.parallel.EncodedPair;
import org.recurrent4j.data.parallel.Seq2SeqIterator;
import org.recurrent4j.data.vocab.Vocabulary;
import org.recurrent4j.seq2seq.Seq2SeqBuilder;
import org.recurrent4j.train.ListMultiDataSetIterator;

/**
 * Benchmark (not a test): training throughput (sentence pairs per second) of a small RNNsearch (e = 64, encoder 64
 * per direction, decoder 64, maxout 32, attention 64, vocabularies 1,000, float, CPU) with a plain
 * {@code ComputationGraph.fit} and with DL4J's {@code ParallelWrapper} in averaging mode, 2 workers, averaging every
 * minibatch and every 4 minibatches ({@code ParallelWrapper} refuses fewer than 2 workers). The minibatches (32 pairs,
 * 10–20 words a side) are built beforehand, so only training is timed; each setting gets one warm-up epoch, then
 * {@code bench.iterations} timed epochs of 16 minibatches. Prints wall time and the process's CPU time per pair, since on
 * a shared machine wall time includes the neighbours' load, and how many cores the process kept busy. Run with {@code OMP_NUM_THREADS=1} (one core per worker).
 *
 * <pre>
 * OMP_NUM_THREADS=1 mvn -Pbench test-compile exec:exec -Dbench.main=org.recurrent4j.bench.ParallelWrapperThroughput \
 *     -Dbench.iterations=3
 * </pre>
 */
public final class ParallelWrapperThroughput {
    private static final int VOCABULARY = 1000;
    private static final int MINIBATCH = 32;
    private static final int MINIBATCHES = 16;

    private ParallelWrapperThroughput() {
    }

    public static void main(String[] args) {
        Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
        int epochs = Integer.getInteger("bench.iterations", 3);
        List<MultiDataSet> batches = batches(new Random(1));
        System.out.println("| training | pairs/s (wall) | CPU ms/pair (process) | cores busy (CPU/wall) |");
        System.out.println("|---|---|---|---|");
        measure("plain fit", epochs, graph -> graph.fit(new ListMultiDataSetIterator(batches)));
        for (int averagingFrequency : new int[] {1, 4}) {
            measure("ParallelWrapper, 2 workers, averaging every " + averagingFrequency, epochs, graph -> {
                ParallelWrapper wrapper = new ParallelWrapper.Builder<>(graph).workers(2).prefetchBuffer(0)
                        .trainingMode(ParallelWrapper.TrainingMode.AVERAGING).averagingFrequency(averagingFrequency)
                        .averageUpdaters(true).build();
                wrapper.fit(new ListMultiDataSetIterator(batches));
            });
        }
        System.out.println("\nOMP_NUM_THREADS=" + System.getenv().getOrDefault("OMP_NUM_THREADS", "(unset)") + ", "
                + Runtime.getRuntime().availableProcessors() + " processors, " + epochs + " timed epochs of "
                + MINIBATCHES + " × " + MINIBATCH + " pairs after 1 warm-up epoch.");
    }

    /** Trains a fresh graph one warm-up epoch, then {@code epochs} timed epochs, and prints a table row. */
    private static void measure(String name, int epochs, Consumer<ComputationGraph> epoch) {
        ComputationGraph graph = graph();
        epoch.accept(graph);
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        long wall0 = System.nanoTime();
        for (int e = 0; e < epochs; e++) {
            epoch.accept(graph);
        }
        double pairs = (double) epochs * MINIBATCHES * MINIBATCH;
        double wall = (System.nanoTime() - wall0) / 1e9;
        double cpuMs = (os.getProcessCpuTime() - cpu0) / 1e6;
        System.out.printf(Locale.ROOT, "| %s | %.1f | %.2f | %.2f |%n", name, pairs / wall, cpuMs / pairs,
                cpuMs / 1e3 / wall);
    }

    private static ComputationGraph graph() {
        List<String> words = new ArrayList<>();
        for (int i = 0; i < VOCABULARY; i++) {
            words.add("w" + i);
        }
        Vocabulary vocabulary = Vocabulary.of(words);
        return Seq2SeqBuilder.rnnSearch().embeddingSize(64).encoderSize(64).decoderSize(64).maxoutSize(32)
                .attentionSize(64).updater(new Adam(1e-3)).seed(3).build(vocabulary, vocabulary).graph();
    }

    private static List<MultiDataSet> batches(Random rnd) {
        List<MultiDataSet> out = new ArrayList<>();
        for (int b = 0; b < MINIBATCHES; b++) {
            List<EncodedPair> pairs = new ArrayList<>();
            for (int i = 0; i < MINIBATCH; i++) {
                pairs.add(new EncodedPair(i, sentence(rnd), sentence(rnd)));
            }
            out.add(Seq2SeqIterator.toMultiDataSet(pairs));
        }
        return out;
    }

    private static int[] sentence(Random rnd) {
        int[] ids = new int[10 + rnd.nextInt(11)];
        for (int t = 0; t < ids.length; t++) {
            ids[t] = Vocabulary.SPECIALS.size() + rnd.nextInt(VOCABULARY);
        }
        return ids;
    }
}
