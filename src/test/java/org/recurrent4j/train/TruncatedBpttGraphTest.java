package org.recurrent4j.train;

import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.recurrent4j.train.TbpttFixtures.MB;
import static org.recurrent4j.train.TbpttFixtures.features;
import static org.recurrent4j.train.TbpttFixtures.labels;
import static org.recurrent4j.train.TbpttFixtures.lstmGraph;

/** {@link TruncatedBptt#fit(ComputationGraph, org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator)} against the oracle. */
class TruncatedBpttGraphTest {

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
        long[][] windows = {{0, 0, 3}, {1, 3, 6}, {4, 6, 9}, {5, 9, 10}};
        TruncatedBpttGradientTest.checkAgainstOracle(net, RNNFormat.NCW, "ComputationGraph k1=3,k2=5,masks", 3, 5,
                f, y, fMask, lMask, windows);
        assertEquals(windows.length, net.getIterationCount());
        assertEquals(1, net.getEpochCount());
    }
}
