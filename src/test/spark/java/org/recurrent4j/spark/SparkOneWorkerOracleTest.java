package org.recurrent4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.recurrent4j.train.ParallelWrapperTest.updaterState;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.BackpropType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.recurrent4j.conf.ElmanRnn;
import org.recurrent4j.conf.Gru;
import org.recurrent4j.seq2seq.Seq2SeqBuilder;
import org.recurrent4j.train.ParallelWrapperTest;

/**
 * Exact oracles for dl4j-spark's parameter averaging: with one worker that averages after every minibatch, Spark
 * training is a plain {@code fit} done elsewhere. The worker rebuilds the network from the broadcast configuration
 * (a clone, iteration count included), puts in the broadcast parameters and updater state, fits one minibatch
 * exported to and read back from files, and returns parameters and updater state, which the driver "averages" (one
 * term). Anything of ours that does not survive that round trip (state outside the flat parameter and updater views,
 * a configuration field lost in the clone, a Kryo or Java serialization difference of the data) makes the Spark step
 * differ from the plain one, so after each of several minibatches (Adam, double precision) the parameters and Adam's
 * moments of the network Spark holds must equal those of a plain {@code fit} on the same minibatches:
 * <ul>
 *   <li>a {@link Seq2SeqBuilder} RNNsearch {@code ComputationGraph} through {@code SparkComputationGraph}, whose
 *       workers start every round at iteration 0 (a DL4J limitation, checked too): the plain fits are given the same
 *       start;</li>
 *   <li>a {@code MultiLayerNetwork} of {@link Gru} and {@link ElmanRnn} through {@code SparkDl4jMultiLayer}.</li>
 * </ul>
 * Each minibatch is its own RDD and its own Spark {@code fit}: an RDD of several minibatches is split at random into
 * averaging rounds, so their order would not be that of the plain fits.
 */
class SparkOneWorkerOracleTest {
    /** One term averaged and the same operations on the same numbers: the states agree to rounding, if not exactly. */
    static final double TOLERANCE = 1e-9;
    private static final int STEPS = 3;
    /** Examples per minibatch of {@link ParallelWrapperTest#sentencePairs}. */
    static final int SENTENCE_PAIRS = 5;
    /** Examples per minibatch of {@link ParallelWrapperTest#sequences}. */
    private static final int SEQUENCES = 4;

    @RegisterExtension
    static final LocalSpark SPARK = new LocalSpark(1);

    @Test
    void rnnSearchGraphTrainedBySparkEqualsPlainFitsFromIterationZero() {
        ComputationGraph plain = ParallelWrapperTest.rnnSearch();
        SparkComputationGraph distributed = new SparkComputationGraph(SPARK.context(), plain.clone(),
                AveragingMasters.everyMinibatch(1, SENTENCE_PAIRS));
        for (int step = 0; step < STEPS; step++) {
            MultiDataSet batch = ParallelWrapperTest.sentencePairs(20 + step);
            plain.getConfiguration().setIterationCount(0);              // what a Spark worker's graph starts from
            plain.fit(batch);
            distributed.fitMultiDataSet(SPARK.oneMinibatch(batch));
            assertSameTrainingState(plain, distributed.getNetwork(), "RNNsearch, step " + (step + 1));
        }
    }

    /**
     * DL4J 1.0.0-M2.1's {@code ComputationGraphConfiguration.clone()} leaves out the iteration count, and a worker's
     * graph is built from such a clone: every averaging round, Adam's bias correction starts again from its first
     * step (and any iteration-based learning-rate schedule from its start). The driver's count is right. Moments of
     * Adam equal those of plain training, the parameters do not, from the second round on.
     */
    @Test
    void sparkWorkersOfAGraphStartEveryRoundAtIterationZero() {
        ComputationGraph plain = ParallelWrapperTest.rnnSearch();
        SparkComputationGraph distributed = new SparkComputationGraph(SPARK.context(), plain.clone(),
                AveragingMasters.everyMinibatch(1, SENTENCE_PAIRS));
        for (int step = 0; step < 2; step++) {
            MultiDataSet batch = ParallelWrapperTest.sentencePairs(20 + step);
            plain.fit(batch);
            distributed.fitMultiDataSet(SPARK.oneMinibatch(batch));
        }
        ComputationGraph trained = distributed.getNetwork();
        assertEquals(plain.getIterationCount(), trained.getIterationCount());
        assertEquals(0, trained.getConfiguration().clone().getIterationCount());
        assertTrue(updaterState(plain).equalsWithEps(updaterState(trained), TOLERANCE), "Adam's moments agree");
        double params = plain.params().sub(trained.params()).amaxNumber().doubleValue();
        System.out.printf("RNNsearch, plain fits from the running iteration count: parameters differ by %.3g%n", params);
        assertTrue(params > 1e-4, "the second round's step differs: " + params);
    }

    @Test
    void gruElmanNetworkTrainedBySparkEqualsPlainFit() {
        MultiLayerNetwork plain = ParallelWrapperTest.recurrentStack(BackpropType.Standard);
        SparkDl4jMultiLayer distributed = new SparkDl4jMultiLayer(SPARK.context(), plain.clone(),
                AveragingMasters.everyMinibatch(1, SEQUENCES));
        for (int step = 0; step < STEPS; step++) {
            DataSet batch = ParallelWrapperTest.sequences(30 + step);
            plain.fit(batch);
            distributed.fit(SPARK.oneMinibatch(batch));
            assertSameTrainingState(plain, distributed.getNetwork(), "Gru + ElmanRnn, step " + (step + 1));
        }
    }

    /** Parameters and updater state within {@link #TOLERANCE}; prints the largest differences. */
    static void assertSameTrainingState(Model expected, Model actual, String what) {
        double params = expected.params().sub(actual.params()).amaxNumber().doubleValue();
        double state = updaterState(expected).sub(updaterState(actual)).amaxNumber().doubleValue();
        System.out.printf("%s: max |difference| parameters %.3g, updater state %.3g%n", what, params, state);
        assertTrue(params <= TOLERANCE, what + ": parameters differ by up to " + params);
        assertTrue(state <= TOLERANCE, what + ": updater states differ by up to " + state);
    }
}
