package org.recurrent4j.train;

import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.recurrent4j.train.TbpttFixtures.MB;
import static org.recurrent4j.train.TbpttFixtures.features;
import static org.recurrent4j.train.TbpttFixtures.labels;
import static org.recurrent4j.train.TbpttFixtures.lstmNet;
import static org.recurrent4j.train.TbpttFixtures.steppable;
import static org.recurrent4j.train.UnrolledWindowOracle.relativeError;

/** Update counting, state carrying, parameter changes, refused layers, and DL4J's built-in TBPTT against the oracle. */
class TruncatedBpttTrainingTest {

    private static final Logger log = LoggerFactory.getLogger(TruncatedBpttTrainingTest.class);

    @BeforeAll
    static void setUp() {
        TbpttFixtures.doublePrecision();
    }

    private static ListDataSetIterator<DataSet> data(DataSet... batches) {
        return new ListDataSetIterator<>(List.of(batches), 1);
    }

    private static TbpttFixtures.Recorder fit(MultiLayerNetwork net, TruncatedBptt tbptt, DataSet... batches) {
        TbpttFixtures.Recorder rec = new TbpttFixtures.Recorder();
        net.setListeners(rec);
        tbptt.fit(net, data(batches));
        return rec;
    }

    @Test
    void updatesIterationsAndEpochsAreCounted() {
        MultiLayerNetwork net = lstmNet(0.1);
        INDArray before = net.params().dup();
        // T = 11, k1 = 3: updates at 3, 6, 9, 11 -> 4 per minibatch, 2 minibatches
        TbpttFixtures.Recorder rec = fit(net, TruncatedBptt.builder().k1(3).k2(5).build(),
                new DataSet(features(11, 1), labels(11, 1)), new DataSet(features(11, 2), labels(11, 2)));
        assertEquals(8, rec.gradients.size());
        assertEquals(8, rec.iterationsDone);
        assertEquals(8, net.getIterationCount());
        assertEquals(1, net.getEpochCount());
        assertNotEquals(before, net.params());
    }

    @Test
    void windowWithoutAnyLabelIsSkipped() {
        long t = 9;
        INDArray lMask = Nd4j.ones(DataType.DOUBLE, MB, t);
        lMask.get(NDArrayIndex.all(), NDArrayIndex.interval(3, 6)).assign(0.0);
        TbpttFixtures.Recorder rec = fit(lstmNet(0.1), TruncatedBptt.builder().k1(3).k2(6).build(),
                new DataSet(features(t, 3), labels(t, 3), null, lMask));
        assertEquals(2, rec.gradients.size(), "the window [3, 6) has no label");
    }

    /**
     * Learning rate 0.5: the carried state of update u is advanced from that of update u − 1 with update u − 1's
     * parameters (recorded), the gradient taken at update u's parameters; k1 = 3, k2 = 5, T = 11.
     */
    @Test
    void carriedStateFollowsTheChangingParameters() {
        long t = 11;
        INDArray f = features(t, 7);
        INDArray y = labels(t, 7);
        MultiLayerNetwork net = lstmNet(0.5);
        TbpttFixtures.Recorder rec = fit(net, TruncatedBptt.builder().k1(3).k2(5).build(), new DataSet(f, y));
        long[][] windows = {{0, 0, 3}, {1, 3, 6}, {4, 6, 9}, {6, 9, 11}};
        assertEquals(windows.length, rec.gradients.size());

        UnrolledWindowOracle.SteppableNet oracleNet = steppable(net);
        Object state = UnrolledWindowOracle.carriedState(oracleNet, f, 0);
        for (int u = 0; u < windows.length; u++) {
            if (u > 0) {
                net.setParams(rec.params.get(u - 1));
                state = UnrolledWindowOracle.advance(oracleNet, state, f, windows[u - 1][0], windows[u][0]);
            }
            net.setParams(rec.params.get(u));
            INDArray oracle = UnrolledWindowOracle.gradientFrom(oracleNet, state, f, y, null,
                    windows[u][0], windows[u][1], windows[u][2]);
            double err = relativeError(rec.gradients.get(u), oracle);
            log.info("lr 0.5, k1=3, k2=5: update {}: relative error vs oracle = {}", u, err);
            assertTrue(err < TruncatedBpttGradientTest.TOLERANCE, "update " + u + ": relative error " + err);
        }
        assertNotEquals(rec.params.get(0), rec.params.get(3), "the parameters must have changed");
    }

    @Test
    void carryStateAcrossBatchesContinuesTheStream() {
        INDArray f = features(12, 8);
        INDArray y = labels(12, 8);
        DataSet whole = new DataSet(f, y);
        DataSet first = new DataSet(slice(f, 0, 6), slice(y, 0, 6));
        DataSet second = new DataSet(slice(f, 6, 12), slice(y, 6, 12));

        TbpttFixtures.Recorder reference = fit(lstmNet(0.0), TruncatedBptt.builder().k1(3).k2(3).build(), whole);
        TbpttFixtures.Recorder carried = fit(lstmNet(0.0),
                TruncatedBptt.builder().k1(3).k2(3).carryStateAcrossBatches(true).build(), first, second);
        TbpttFixtures.Recorder reset = fit(lstmNet(0.0), TruncatedBptt.builder().k1(3).k2(3).build(), first, second);

        assertEquals(4, reference.gradients.size());
        assertEquals(4, carried.gradients.size());
        for (int u = 0; u < 4; u++) {
            double err = relativeError(reference.gradients.get(u), carried.gradients.get(u));
            assertTrue(err < 1e-12, "update " + u + ": carried chunks differ from the whole sequence by " + err);
        }
        double resetErr = relativeError(reference.gradients.get(2), reset.gradients.get(2));
        log.info("chunked stream without carrying the state: update 2 differs by relative error {}", resetErr);
        assertTrue(resetErr > 1e-3, "without carrying, the second chunk starts from zero");
    }

    @Test
    void invalidArgumentsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> TruncatedBptt.builder().k1(0).k2(3).build());
        assertThrows(IllegalArgumentException.class, () -> TruncatedBptt.builder().k1(3).build());
        assertThrows(IllegalArgumentException.class, () -> TruncatedBptt.builder().k1(3).k2(3).clipGlobalNorm(0).build());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TruncatedBptt.builder().k1(3).k2(3).build()
                .fit(lstmNet(0.0), data(new DataSet(features(6, 1), labels(5, 1)))));
        assertTrue(e.getMessage().contains("time steps"), e.getMessage());
    }

    /**
     * Documents DL4J 1.0.0-M2.1's built-in TBPTT (tBPTTLength 4, T = 12): the second segment's gradient is not
     * the gradient of the loss it computed from the carried state (its backward pass recomputes from zero), while
     * ours is. If this test fails because DL4J's error became small, DL4J fixed the bug.
     */
    @Test
    void dl4jBuiltInTbpttGradientIsWrongOursIsRight() {
        INDArray f = features(12, 9).muli(3);    // strong inputs: a state that matters
        INDArray y = labels(12, 9);
        MultiLayerNetwork dl4j = TbpttFixtures.lstmNetWithDl4jTbptt(0.0, 4);
        TbpttFixtures.Recorder dl4jRec = new TbpttFixtures.Recorder();
        dl4j.setListeners(dl4jRec);
        dl4j.fit(new DataSet(f, y));
        assertEquals(3, dl4jRec.gradients.size());

        MultiLayerNetwork ours = lstmNet(0.0);
        ours.setParams(dl4j.params());
        TbpttFixtures.Recorder ourRec = fit(ours, TruncatedBptt.builder().k1(4).k2(4).build(), new DataSet(f, y));

        for (int u = 1; u < 3; u++) {
            INDArray oracle = UnrolledWindowOracle.gradient(steppable(ours), f, y, null, 4L * u, 4L * u, 4L * u + 4);
            double dl4jErr = relativeError(dl4jRec.gradients.get(u), oracle);
            double ourErr = relativeError(ourRec.gradients.get(u), oracle);
            // the output layer's gradient is right (DL4J's forward pass does use the carried state); the LSTM's is not
            double dl4jLstmErr = relativeError(lstmPart(dl4j, dl4jRec.gradients.get(u)), lstmPart(dl4j, oracle));
            log.info("window [{}, {}) from the carried state: relative error of DL4J built-in TBPTT {} (LSTM parameters: {}), "
                    + "of TruncatedBptt {}", 4 * u, 4 * u + 4, dl4jErr, dl4jLstmErr, ourErr);
            assertTrue(dl4jLstmErr > 0.1, "DL4J's built-in TBPTT now matches the oracle (relative error " + dl4jLstmErr + ")");
            assertTrue(ourErr < TruncatedBpttGradientTest.TOLERANCE, "relative error " + ourErr);
        }
    }

    /**
     * Documents that DL4J 1.0.0-M2.1's {@code fit} ignores the TBPTT backward length: backward lengths 1 and 4
     * (forward length 4) give identical gradients. If this fails, DL4J started honouring it.
     */
    @Test
    void dl4jBuiltInTbpttIgnoresTheBackwardLength() {
        DataSet ds = new DataSet(features(8, 10), labels(8, 10));
        TbpttFixtures.Recorder[] recs = new TbpttFixtures.Recorder[2];
        int[] backLengths = {1, 4};
        for (int i = 0; i < 2; i++) {
            MultiLayerNetwork net = TbpttFixtures.lstmNetWithDl4jTbptt(0.0, 4, backLengths[i]);
            recs[i] = new TbpttFixtures.Recorder();
            net.setListeners(recs[i]);
            net.fit(ds);
        }
        double err = relativeError(recs[0].gradients.get(1), recs[1].gradients.get(1));
        log.info("DL4J built-in TBPTT, backward length 1 vs 4: relative difference of the gradients {}", err);
        assertTrue(err < 1e-12, "DL4J now honours the backward length (difference " + err + ")");
    }

    /** The LSTM layer's (layer 0's) part of a flattened gradient. */
    private static INDArray lstmPart(MultiLayerNetwork net, INDArray flat) {
        return flat.get(NDArrayIndex.interval(0, net.getLayer(0).numParams()));
    }

    private static INDArray slice(INDArray a, long from, long to) {
        return a.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(from, to)).dup();
    }
}
