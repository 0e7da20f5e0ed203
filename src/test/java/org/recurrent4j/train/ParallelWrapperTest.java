package org.recurrent4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.recurrent4j.nn.RecurrentTestSupport.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.deeplearning4j.datasets.iterator.ExistingDataSetIterator;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.BackpropType;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.parallelism.ParallelWrapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.recurrent4j.conf.ElmanRnn;
import org.recurrent4j.conf.Gru;
import org.recurrent4j.seq2seq.Seq2SeqBuilder;
import org.recurrent4j.seq2seq.Seq2SeqBuilderTest;

/**
 * Data-parallel training of networks of our layers and vertices with DL4J's {@code ParallelWrapper} (averaging mode,
 * two workers, double precision, Adam). A worker is a replica built from the configuration's JSON with the model's
 * parameters and updater state copied in (worker 0 trains the model itself); after every {@code averagingFrequency}
 * rounds the parameters and the updater states are averaged. Anything of ours held outside the flat parameter and
 * updater-state views, or computed differently on a worker thread, would make a worker's step differ from the same
 * step taken by a plain {@code fit}, which these exact oracles detect:
 * <ul>
 *   <li>the same minibatch given to both workers, averaged every round, equals one plain {@code fit} on it, parameters
 *       and updater state (Adam's moments): for a {@code MultiLayerNetwork} of {@link Gru}, {@link ElmanRnn} and an
 *       {@code RnnOutputLayer}, with full BPTT and with DL4J's own truncated BPTT, and for a {@link Seq2SeqBuilder}
 *       RNNsearch graph, whose updater state also carries over to the wrapper's next {@code fit};</li>
 *   <li>two different minibatches give the mean of the two plain steps taken separately from the same start
 *       (averaging of parameters and of updater state);</li>
 *   <li>{@link GlobalNormClipping}, attached to the model as a listener, clips each worker's gradient: ParallelWrapper
 *       hands the same listener instance to every worker, and it clips the gradient of the model it is called with;</li>
 *   <li>two workers on different minibatches train an RNNsearch graph (its loss falls).</li>
 * </ul>
 */
public class ParallelWrapperTest {
    /** Averaging identical numbers is exact; the mean of two steps is computed here with the same operations. */
    private static final double TOLERANCE = 1e-12;
    private static final int WORKERS = 2;
    private static final int SOURCE_WORDS = 9;
    private static final int TARGET_WORDS = 11;

    // --- models and data -------------------------------------------------------------------------------------

    /** Gru(3→5) → ElmanRnn(5→4) → softmax RnnOutputLayer(4→3), Adam, double precision. */
    public static MultiLayerNetwork recurrentStack(BackpropType backprop) {
        MultiLayerNetwork net = new MultiLayerNetwork(doubleBase(3).updater(new Adam(0.05)).list()
                .layer(new Gru.Builder().nIn(3).nOut(5).build())
                .layer(new ElmanRnn.Builder().nIn(5).nOut(4).build())
                .layer(new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX)
                        .nIn(4).nOut(3).build())
                .backpropType(backprop).tBPTTForwardLength(3).tBPTTBackwardLength(3)
                .build());
        net.init();
        return net;
    }

    /** Random sequences [4, 3, 7] with one-hot labels, right-padded to lengths 7, 5, 3, 6. */
    public static DataSet sequences(long seed) {
        INDArray mask = rightPaddedMask(7, 7, 5, 3, 6);
        return new DataSet(features(4, 3, 7, RNNFormat.NCW, seed), labels(4, 3, 7, RNNFormat.NCW, seed + 1), mask, mask);
    }

    /** A tiny RNNsearch graph (see {@link Seq2SeqBuilderTest#tiny}), Adam, double precision. */
    public static ComputationGraph rnnSearch() {
        return Seq2SeqBuilderTest.tiny(Seq2SeqBuilder.rnnSearch()).updater(new Adam(0.02)).dataType(DataType.DOUBLE)
                .seed(4).build(Seq2SeqBuilderTest.vocabulary("s", SOURCE_WORDS),
                        Seq2SeqBuilderTest.vocabulary("t", TARGET_WORDS)).graph();
    }

    /** Random sentence pairs of unequal lengths, 5 per minibatch. */
    public static MultiDataSet sentencePairs(long seed) {
        return Seq2SeqBuilderTest.batch(new Random(seed), 5, SOURCE_WORDS, TARGET_WORDS);
    }

    /**
     * Two workers in averaging mode, updater states averaged too, no prefetching: the minibatches go to the workers in
     * order; with a {@link ReplicaStartBarrier}, so that every worker starts from the model's state.
     */
    static ParallelWrapper twoWorkers(Model model, int averagingFrequency) {
        model.addListeners(new ReplicaStartBarrier(WORKERS));
        return new ParallelWrapper.Builder<>(model).workers(WORKERS).prefetchBuffer(0)
                .trainingMode(ParallelWrapper.TrainingMode.AVERAGING).averagingFrequency(averagingFrequency)
                .averageUpdaters(true).build();
    }

    /**
     * {@code wrapper.fit(data)} for a {@code MultiLayerNetwork}, keeping its updater state: at the end of every
     * {@code fit}, DL4J 1.0.0-M2.1's {@code DefaultTrainer} calls {@code clear()} on the model, and
     * {@code MultiLayerNetwork.clear()} drops the solver and with it the updater, so the next update would start
     * from a zero state (Adam's moments lost; {@code ComputationGraph.clear()} keeps it). The state view the
     * workers averaged into is put back.
     */
    static void fitKeepingUpdaterState(ParallelWrapper wrapper, MultiLayerNetwork net, DataSetIterator data) {
        INDArray state = net.getUpdater().getStateViewArray();
        wrapper.fit(data);
        net.getUpdater().setStateViewArray(net, state, false);
    }

    public static INDArray updaterState(Model model) {
        return model instanceof MultiLayerNetwork net ? net.getUpdater().getStateViewArray()
                : ((ComputationGraph) model).getUpdater().getStateViewArray();
    }

    /** Asserts parameters and updater state within {@link #TOLERANCE}; prints the largest differences. */
    static void assertSameTrainingState(INDArray expectedParams, INDArray expectedUpdaterState, Model actual, String what) {
        double params = expectedParams.sub(actual.params()).amaxNumber().doubleValue();
        double state = expectedUpdaterState.sub(updaterState(actual)).amaxNumber().doubleValue();
        System.out.printf("%s: max |difference| parameters %.3g, updater state %.3g%n", what, params, state);
        assertTrue(params <= TOLERANCE, what + ": parameters differ by up to " + params);
        assertTrue(state <= TOLERANCE, what + ": updater states differ by up to " + state);
    }

    // --- oracles ------------------------------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(value = BackpropType.class, names = {"Standard", "TruncatedBPTT"})
    void multiLayerSameBatchOnBothWorkersEqualsOnePlainStep(BackpropType backprop) {
        DataSet batch = sequences(11);
        MultiLayerNetwork plain = recurrentStack(backprop);
        MultiLayerNetwork parallel = plain.clone();
        plain.fit(batch);

        fitKeepingUpdaterState(twoWorkers(parallel, 1), parallel, new ExistingDataSetIterator(List.of(batch, batch)));
        assertSameTrainingState(plain.params(), updaterState(plain), parallel, "MultiLayerNetwork " + backprop);
        assertEquals(plain.getIterationCount(), parallel.getIterationCount());

        plain.fit(batch);                                  // and the next update continues from the same state
        parallel.fit(batch);
        assertSameTrainingState(plain.params(), updaterState(plain), parallel, "MultiLayerNetwork " + backprop
                + ", then a plain step");
    }

    @Test
    void rnnSearchSameBatchOnBothWorkersEqualsOnePlainStep() {
        MultiDataSet batch = sentencePairs(12);
        ComputationGraph plain = rnnSearch();
        ComputationGraph parallel = plain.clone();
        plain.fit(batch);

        ParallelWrapper wrapper = twoWorkers(parallel, 1);
        wrapper.fit(new ListMultiDataSetIterator(List.of(batch, batch)));
        assertSameTrainingState(plain.params(), updaterState(plain), parallel, "RNNsearch");

        plain.fit(batch);                                  // a graph keeps its updater state from one fit to the next
        wrapper.fit(new ListMultiDataSetIterator(List.of(batch, batch)));
        assertSameTrainingState(plain.params(), updaterState(plain), parallel, "RNNsearch, second fit");
    }

    @Test
    void rnnSearchDifferentBatchesGiveTheMeanOfTheTwoPlainSteps() {
        MultiDataSet first = sentencePairs(13);
        MultiDataSet second = sentencePairs(14);
        ComputationGraph parallel = rnnSearch();
        ComputationGraph onFirst = parallel.clone();
        ComputationGraph onSecond = parallel.clone();
        onFirst.fit(first);
        onSecond.fit(second);

        twoWorkers(parallel, 1).fit(new ListMultiDataSetIterator(List.of(first, second)));
        assertSameTrainingState(onFirst.params().add(onSecond.params()).divi(2),
                updaterState(onFirst).add(updaterState(onSecond)).divi(2), parallel, "RNNsearch, two minibatches");
    }

    @Test
    void globalNormClippingClipsOnEveryWorker() {
        double threshold = 1e-3;
        DataSet batch = sequences(15);
        MultiLayerNetwork unclipped = recurrentStack(BackpropType.Standard);
        MultiLayerNetwork clipped = unclipped.clone();
        MultiLayerNetwork parallel = unclipped.clone();
        unclipped.fit(batch);
        GlobalNormClipping plainClipping = new GlobalNormClipping(threshold);
        clipped.addListeners(plainClipping);
        clipped.fit(batch);
        assertTrue(plainClipping.lastNorm() > 10 * threshold, "the gradient is clipped: norm " + plainClipping.lastNorm());
        // a worker that skipped clipping would move the average towards the unclipped step, this far:
        assertTrue(unclipped.params().sub(clipped.params()).amaxNumber().doubleValue() > 1e-3);

        GlobalNormClipping workerClipping = new GlobalNormClipping(threshold);
        parallel.addListeners(workerClipping);
        fitKeepingUpdaterState(twoWorkers(parallel, 1), parallel, new ExistingDataSetIterator(List.of(batch, batch)));
        assertSameTrainingState(clipped.params(), updaterState(clipped), parallel, "GlobalNormClipping on two workers");
        assertEquals(plainClipping.lastNorm(), workerClipping.lastNorm(), 1e-9);
    }

    @Test
    void twoWorkersOnDifferentBatchesTrainRnnSearch() {
        ComputationGraph graph = rnnSearch();
        List<MultiDataSet> batches = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            batches.add(sentencePairs(100 + i));
        }
        double before = meanScore(graph, batches);
        ParallelWrapper wrapper = twoWorkers(graph, 1);
        ListMultiDataSetIterator data = new ListMultiDataSetIterator(batches);
        for (int epoch = 0; epoch < 25; epoch++) {
            data.reset();
            wrapper.fit(data);
        }
        double after = meanScore(graph, batches);
        System.out.printf("RNNsearch on two workers: mean loss %.4f -> %.4f after %d updates%n", before, after,
                graph.getIterationCount());
        assertTrue(after < 0.8 * before, "loss " + before + " -> " + after);
    }

    private static double meanScore(ComputationGraph graph, List<MultiDataSet> batches) {
        return batches.stream().mapToDouble(b -> graph.score(b, false)).average().orElseThrow();
    }
}
