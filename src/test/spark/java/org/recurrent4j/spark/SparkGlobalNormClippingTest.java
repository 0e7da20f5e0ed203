package org.recurrent4j.spark;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.recurrent4j.spark.SparkOneWorkerOracleTest.SENTENCE_PAIRS;
import static org.recurrent4j.spark.SparkOneWorkerOracleTest.assertSameTrainingState;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.recurrent4j.train.GlobalNormClipping;
import org.recurrent4j.train.ParallelWrapperTest;

/**
 * Where {@link GlobalNormClipping} acts when a graph trains on Spark. A worker builds its network from the
 * configuration, the parameters and the updater state; listeners are not part of these. What is true, checked on
 * one step of a tiny RNNsearch graph (one worker, so the Spark step is a plain step; see
 * {@link SparkOneWorkerOracleTest}), with a threshold far below the gradient's norm:
 * <ul>
 *   <li>given to Spark ({@code SparkComputationGraph.setListeners}), the listener reaches the workers: the training
 *       master ships it with each worker's task, and each worker clips with its own deserialized copy, so the step
 *       equals a plain clipped step, while the driver's instance never sees a gradient;</li>
 *   <li>added to the network only ({@code ComputationGraph.addListeners}), it never reaches the workers: the step
 *       equals a plain unclipped one.</li>
 * </ul>
 */
class SparkGlobalNormClippingTest {
    private static final double THRESHOLD = 1e-3;

    @RegisterExtension
    static final LocalSpark SPARK = new LocalSpark(1);

    @Test
    void listenerGivenToSparkClipsOnTheWorkers() {
        MultiDataSet batch = ParallelWrapperTest.sentencePairs(40);
        ComputationGraph start = ParallelWrapperTest.rnnSearch();
        ComputationGraph clipped = plainStep(start, batch, true);
        assertClippingChangesTheStep(clipped, plainStep(start, batch, false));

        SparkComputationGraph distributed = oneWorker(start.clone());
        GlobalNormClipping driverInstance = new GlobalNormClipping(THRESHOLD);
        distributed.setListeners(driverInstance);
        distributed.fitMultiDataSet(SPARK.oneMinibatch(batch));

        assertSameTrainingState(clipped, distributed.getNetwork(), "GlobalNormClipping given to Spark");
        assertTrue(Double.isNaN(driverInstance.lastNorm()), "the workers clip with copies of the listener");
    }

    @Test
    void listenerOfTheNetworkDoesNotReachTheWorkers() {
        MultiDataSet batch = ParallelWrapperTest.sentencePairs(41);
        ComputationGraph start = ParallelWrapperTest.rnnSearch();
        ComputationGraph unclipped = plainStep(start, batch, false);
        assertClippingChangesTheStep(plainStep(start, batch, true), unclipped);

        ComputationGraph network = start.clone();
        network.addListeners(new GlobalNormClipping(THRESHOLD));
        SparkComputationGraph distributed = oneWorker(network);
        distributed.fitMultiDataSet(SPARK.oneMinibatch(batch));

        assertSameTrainingState(unclipped, distributed.getNetwork(), "GlobalNormClipping on the network only");
    }

    /** A copy of {@code start} after one plain step on {@code batch}, clipped or not (and the clipping must bite). */
    private static ComputationGraph plainStep(ComputationGraph start, MultiDataSet batch, boolean clip) {
        ComputationGraph copy = start.clone();
        GlobalNormClipping clipping = new GlobalNormClipping(THRESHOLD);
        if (clip) {
            copy.addListeners(clipping);
        }
        copy.fit(batch);
        assertTrue(!clip || clipping.lastNorm() > 10 * THRESHOLD, "the gradient is clipped: " + clipping.lastNorm());
        return copy;
    }

    /** The two plain steps differ by far more than the oracle's tolerance: the checks tell them apart. */
    private static void assertClippingChangesTheStep(ComputationGraph clipped, ComputationGraph unclipped) {
        double difference = clipped.params().sub(unclipped.params()).amaxNumber().doubleValue();
        System.out.printf("clipped and unclipped steps differ by %.3g%n", difference);
        assertTrue(difference > 1000 * SparkOneWorkerOracleTest.TOLERANCE, "clipping changes the step: " + difference);
    }

    private static SparkComputationGraph oneWorker(ComputationGraph graph) {
        return new SparkComputationGraph(SPARK.context(), graph, AveragingMasters.everyMinibatch(1, SENTENCE_PAIRS));
    }
}
