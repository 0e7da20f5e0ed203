package org.recurrent4j.train;

import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.dataset.adapter.SingletonDataSetIterator;
import org.nd4j.linalg.dataset.adapter.SingletonMultiDataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.recurrent4j.train.TbpttFixtures.MB;
import static org.recurrent4j.train.TbpttFixtures.features;
import static org.recurrent4j.train.TbpttFixtures.inFormat;
import static org.recurrent4j.train.TbpttFixtures.inNcw;
import static org.recurrent4j.train.TbpttFixtures.labels;
import static org.recurrent4j.train.TbpttFixtures.lstmNet;
import static org.recurrent4j.train.TbpttFixtures.steppable;
import static org.recurrent4j.train.UnrolledWindowOracle.relativeError;

/**
 * Each update's gradient of {@link TruncatedBptt} (DL4J LSTM, double precision) against the finite-difference
 * oracle over the explicitly unrolled window from the carried state. The learning rate is 0, so the parameters,
 * and with them the carried states, are those of a plain forward pass from step 0.
 * The expected windows {start, lossStart, end} are written out by hand from the definition in the Javadoc.
 */
class TruncatedBpttGradientTest {

    private static final Logger log = LoggerFactory.getLogger(TruncatedBpttGradientTest.class);
    static final double TOLERANCE = 1e-6;

    @BeforeAll
    static void setUp() {
        TbpttFixtures.doublePrecision();
    }

    @Test
    void k2SmallerThanK1() {
        checkAgainstOracle("k1=5,k2=3", 5, 3, features(12, 1), labels(12, 1), null, null,
                new long[][]{{2, 2, 5}, {7, 7, 10}, {9, 10, 12}});
    }

    @Test
    void k2EqualToK1() {
        checkAgainstOracle("k1=k2=4", 4, 4, features(12, 2), labels(12, 2), null, null,
                new long[][]{{0, 0, 4}, {4, 4, 8}, {8, 8, 12}});
    }

    @Test
    void k2LargerThanK1OverlappingWindows() {
        checkAgainstOracle("k1=3,k2=7", 3, 7, features(11, 3), labels(11, 3), null, null,
                new long[][]{{0, 0, 3}, {0, 3, 6}, {2, 6, 9}, {4, 9, 11}});
    }

    @Test
    void withMasksAndUnequalLengths() {
        long t = 10;
        // example 1 is 7 steps long (right-padded); example 0 has unlabelled steps 1 and 5
        INDArray fMask = Nd4j.ones(DataType.DOUBLE, MB, t);
        for (int s = 7; s < t; s++) {
            fMask.putScalar(1, s, 0.0);
        }
        INDArray lMask = fMask.dup();
        lMask.putScalar(0, 1, 0.0);
        lMask.putScalar(0, 5, 0.0);
        INDArray f = features(t, 4).muli(fMask.reshape(MB, 1, t));    // padded steps are zero
        checkAgainstOracle("k1=3,k2=5,masks", 3, 5, f, labels(t, 4), fMask, lMask,
                new long[][]{{0, 0, 3}, {1, 3, 6}, {4, 6, 9}, {5, 9, 10}});
    }

    @Test
    void labelsEndingEarlyStopTraining() {
        // no example has labels after step 6: training stops at 7 (windows end at 3, 6, 7), k1=3, k2=4
        long t = 12;
        INDArray lMask = Nd4j.ones(DataType.DOUBLE, MB, t);
        for (int s = 7; s < t; s++) {
            lMask.putScalar(0, s, 0.0);
            lMask.putScalar(1, s, 0.0);
        }
        checkAgainstOracle("k1=3,k2=4,labels end at 7", 3, 4, features(t, 5), labels(t, 5), null, lMask,
                new long[][]{{0, 0, 3}, {2, 3, 6}, {3, 6, 7}});
    }

    @Test
    void stackedLayersWithPreprocessors() {
        checkAgainstOracle(TbpttFixtures.stackedNet(0.0), "stacked, k1=3,k2=4", 3, 4, features(7, 8), labels(7, 8), null, null,
                new long[][]{{0, 0, 3}, {2, 3, 6}, {3, 6, 7}});
    }

    @Test
    void k1EqualsK2EqualsLengthIsFullBptt() {
        long t = 9;
        INDArray fMask = Nd4j.ones(DataType.DOUBLE, MB, t);
        fMask.putScalar(1, 8, 0.0);
        fMask.putScalar(1, 7, 0.0);
        INDArray lMask = fMask.dup();
        lMask.putScalar(0, 2, 0.0);
        INDArray f = features(t, 6).muli(fMask.reshape(MB, 1, t));
        INDArray y = labels(t, 6);

        MultiLayerNetwork net = lstmNet(0.0);
        TbpttFixtures.Recorder rec = new TbpttFixtures.Recorder();
        net.setListeners(rec);
        TruncatedBptt.builder().k1((int) t).k2((int) t).build()
                .fit(net, new ListDataSetIterator<>(List.of(new DataSet(f, y, fMask, lMask))));
        assertEquals(1, rec.gradients.size());

        MultiLayerNetwork reference = lstmNet(0.0);
        reference.setParams(net.params());
        reference.setInput(f);
        reference.setLabels(y);
        reference.setLayerMaskArrays(fMask, lMask);
        reference.computeGradientAndScore();
        // DL4J's gradient is summed over the minibatch (the updater divides it by mb)
        double err = relativeError(rec.gradients.get(0), reference.gradient().gradient().div(MB));
        log.info("k1 = k2 = T = {}: relative error vs net.computeGradientAndScore() = {}", t, err);
        assertTrue(err < 1e-12, "relative error " + err);
        assertEquals(reference.score(), rec.scores.get(0), 1e-12 * Math.abs(reference.score()));
    }

    /** Trains one epoch over one minibatch and compares every update's gradient with the oracle. */
    static void checkAgainstOracle(String name, int k1, int k2, INDArray f, INDArray y, INDArray fMask, INDArray lMask,
                                   long[][] expectedWindows) {
        checkAgainstOracle(lstmNet(0.0), name, k1, k2, f, y, fMask, lMask, expectedWindows);
    }

    static void checkAgainstOracle(MultiLayerNetwork net, String name, int k1, int k2, INDArray f, INDArray y,
                                   INDArray fMask, INDArray lMask, long[][] expectedWindows) {
        checkAgainstOracle(net, RNNFormat.NCW, name, k1, k2, f, y, fMask, lMask, expectedWindows);
    }

    /**
     * Trains {@code net}, whose input and output are in {@code format}, for one epoch over one minibatch (the NCW
     * {@code f} and {@code y} in {@code format}) and compares every update's gradient with the oracle.
     */
    static void checkAgainstOracle(MultiLayerNetwork net, RNNFormat format, String name, int k1, int k2, INDArray f,
                                   INDArray y, INDArray fMask, INDArray lMask, long[][] expectedWindows) {
        checkAgainstOracle(net, format, inNcw(steppable(net), format), name, k1, k2, f, y, fMask, lMask, expectedWindows);
    }

    /** As above, with the oracle stepping {@code oracleView} (NCW) instead of {@code net}. */
    static void checkAgainstOracle(MultiLayerNetwork net, RNNFormat format, UnrolledWindowOracle.SteppableNet oracleView,
                                   String name, int k1, int k2, INDArray f, INDArray y, INDArray fMask, INDArray lMask,
                                   long[][] expectedWindows) {
        // not ListDataSetIterator: it merges the DataSets it returns, assuming NCW
        DataSet data = new DataSet(inFormat(f, format), inFormat(y, format), fMask, lMask);
        assertUpdatesMatchOracle(name, net, () -> TruncatedBptt.builder().k1(k1).k2(k2).build()
                .fit(net, new SingletonDataSetIterator(data)), oracleView, f, y, lMask, expectedWindows);
    }

    /** As {@link #checkAgainstOracle(MultiLayerNetwork, RNNFormat, String, int, int, INDArray, INDArray, INDArray, INDArray, long[][])} for a graph. */
    static void checkAgainstOracle(ComputationGraph net, RNNFormat format, String name, int k1, int k2, INDArray f,
                                   INDArray y, INDArray fMask, INDArray lMask, long[][] expectedWindows) {
        checkAgainstOracle(net, format, inNcw(steppable(net), format), name, k1, k2, f, y, fMask, lMask, expectedWindows);
    }

    /** As above, with the oracle stepping {@code oracleView} (NCW) instead of {@code net}. */
    static void checkAgainstOracle(ComputationGraph net, RNNFormat format, UnrolledWindowOracle.SteppableNet oracleView,
                                   String name, int k1, int k2, INDArray f, INDArray y, INDArray fMask, INDArray lMask,
                                   long[][] expectedWindows) {
        MultiDataSet data = new MultiDataSet(new INDArray[]{inFormat(f, format)}, new INDArray[]{inFormat(y, format)},
                new INDArray[]{fMask}, new INDArray[]{lMask});
        assertUpdatesMatchOracle(name, net, () -> TruncatedBptt.builder().k1(k1).k2(k2).build()
                .fit(net, new SingletonMultiDataSetIterator(data)), oracleView, f, y, lMask, expectedWindows);
    }

    private static void assertUpdatesMatchOracle(String name, Model net, Runnable fit,
                                                 UnrolledWindowOracle.SteppableNet oracleView, INDArray f, INDArray y,
                                                 INDArray lMask, long[][] expectedWindows) {
        INDArray initialParams = net.params().dup();
        TbpttFixtures.Recorder rec = new TbpttFixtures.Recorder();
        net.setListeners(rec);
        fit.run();

        assertEquals(expectedWindows.length, rec.gradients.size(), name + ": number of updates");
        assertEquals(initialParams, net.params(), "learning rate 0 must leave the parameters unchanged");
        for (int u = 0; u < expectedWindows.length; u++) {
            long[] w = expectedWindows[u];
            INDArray oracle = UnrolledWindowOracle.gradient(oracleView, f, y, lMask, w[0], w[1], w[2]);
            double err = relativeError(rec.gradients.get(u), oracle);
            log.info("{}: update {} window [{}, {}) losses [{}, {}): |g| = {}, relative error vs oracle = {}",
                    name, u, w[0], w[2], w[1], w[2], oracle.norm2Number().doubleValue(), err);
            assertTrue(oracle.norm2Number().doubleValue() > 1e-3, "oracle gradient must not be trivial");
            assertTrue(err < TOLERANCE, name + " update " + u + ": relative error " + err);
        }
    }
}
