package org.recurrent4j.train;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.dataset.adapter.SingletonMultiDataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.recurrent4j.train.TbpttFixtures.MB;
import static org.recurrent4j.train.TbpttFixtures.features;
import static org.recurrent4j.train.TbpttFixtures.labels;
import static org.recurrent4j.train.TbpttFixtures.lstmGraph;
import static org.recurrent4j.train.TbpttFixtures.steppable;
import static org.recurrent4j.train.UnrolledWindowOracle.relativeError;

/** {@link TruncatedBptt#fit(ComputationGraph, org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator)} against the oracle. */
class TruncatedBpttGraphTest {

    private static final Logger log = LoggerFactory.getLogger(TruncatedBpttGraphTest.class);

    @BeforeAll
    static void setUp() {
        TbpttFixtures.doublePrecision();
    }

    @Test
    void graphGradientsMatchTheOracleWithMasks() {
        long t = 10;
        INDArray fMask = Nd4j.ones(DataType.DOUBLE, MB, t);
        for (int s = 8; s < t; s++) {
            fMask.putScalar(0, s, 0.0);
        }
        INDArray lMask = fMask.dup();
        lMask.putScalar(1, 4, 0.0);
        INDArray f = features(t, 11).muli(fMask.reshape(MB, 1, t));
        INDArray y = labels(t, 11);

        ComputationGraph net = lstmGraph(0.0);
        TbpttFixtures.Recorder rec = new TbpttFixtures.Recorder();
        net.setListeners(rec);
        TruncatedBptt.builder().k1(3).k2(5).build().fit(net, new SingletonMultiDataSetIterator(
                new MultiDataSet(new INDArray[]{f}, new INDArray[]{y}, new INDArray[]{fMask}, new INDArray[]{lMask})));

        long[][] windows = {{0, 0, 3}, {1, 3, 6}, {4, 6, 9}, {5, 9, 10}};
        assertEquals(windows.length, rec.gradients.size());
        assertEquals(windows.length, net.getIterationCount());
        assertEquals(1, net.getEpochCount());
        for (int u = 0; u < windows.length; u++) {
            long[] w = windows[u];
            INDArray oracle = UnrolledWindowOracle.gradient(steppable(net), f, y, lMask, w[0], w[1], w[2]);
            double err = relativeError(rec.gradients.get(u), oracle);
            log.info("ComputationGraph k1=3,k2=5,masks: update {} window [{}, {}): relative error vs oracle = {}", u, w[0], w[2], err);
            assertTrue(err < TruncatedBpttGradientTest.TOLERANCE, "update " + u + ": relative error " + err);
        }
    }
}
