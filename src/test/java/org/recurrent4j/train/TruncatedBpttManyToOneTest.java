package org.recurrent4j.train;

import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.dataset.adapter.SingletonMultiDataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.recurrent4j.train.TbpttFixtures.MB;
import static org.recurrent4j.train.TbpttFixtures.N_OUT;
import static org.recurrent4j.train.TbpttFixtures.features;
import static org.recurrent4j.train.TbpttFixtures.labels;
import static org.recurrent4j.train.TbpttFixtures.steppable;
import static org.recurrent4j.train.UnrolledWindowOracle.relativeError;

/** Many-to-one: one update, forward over the whole sequence, backpropagation through its last k2 steps. */
class TruncatedBpttManyToOneTest {

    private static final Logger log = LoggerFactory.getLogger(TruncatedBpttManyToOneTest.class);

    @BeforeAll
    static void setUp() {
        TbpttFixtures.doublePrecision();
    }

    /** RnnOutputLayer with a label mask set only at the last step: T = 10, k1 = 3, k2 = 4. */
    @Test
    void labelMaskAtTheLastStep() {
        long t = 10;
        INDArray f = features(t, 21);
        INDArray y = labels(t, 21);
        INDArray lMask = Nd4j.zeros(DataType.DOUBLE, MB, t);
        lMask.get(NDArrayIndex.all(), NDArrayIndex.point(t - 1)).assign(1.0);

        MultiLayerNetwork net = TbpttFixtures.lstmNet(0.0);
        TbpttFixtures.Recorder rec = new TbpttFixtures.Recorder();
        net.setListeners(rec);
        TruncatedBptt.builder().k1(3).k2(4).build()
                .fit(net, new ListDataSetIterator<>(List.of(new DataSet(f, y, null, lMask))));
        assertEquals(1, rec.gradients.size(), "one label, one update");
        INDArray oracle = UnrolledWindowOracle.gradient(steppable(net), f, y, lMask, 6, 9, 10);
        double err = relativeError(rec.gradients.get(0), oracle);
        log.info("many-to-one (label mask), k2 = 4: relative error vs oracle = {}", err);
        assertTrue(err < TruncatedBpttGradientTest.TOLERANCE, "relative error " + err);
    }

    /** Graph with LastTimeStepVertex, labels [mb, nOut]: T = 9, k2 = 4; k2 = T is full BPTT. */
    @Test
    void lastTimeStepVertexWithRank2Labels() {
        long t = 9;
        INDArray f = features(t, 22);
        INDArray y = labels(1, 22).reshape(MB, N_OUT);
        ComputationGraph net = TbpttFixtures.lstmLastStepGraph(0.0);
        TbpttFixtures.Recorder rec = new TbpttFixtures.Recorder();
        net.setListeners(rec);
        TruncatedBptt.builder().k1(2).k2(4).build().fit(net, new SingletonMultiDataSetIterator(new MultiDataSet(f, y)));
        assertEquals(1, rec.gradients.size());
        INDArray oracle = UnrolledWindowOracle.gradient(steppable(net), f, y, null, t - 4, t - 4, t);
        double err = relativeError(rec.gradients.get(0), oracle);
        log.info("many-to-one (LastTimeStepVertex), k2 = 4: relative error vs oracle = {}", err);
        assertTrue(err < TruncatedBpttGradientTest.TOLERANCE, "relative error " + err);

        ComputationGraph full = TbpttFixtures.lstmLastStepGraph(0.0);
        TbpttFixtures.Recorder fullRec = new TbpttFixtures.Recorder();
        full.setListeners(fullRec);
        TruncatedBptt.builder().k1(2).k2((int) t).build().fit(full, new SingletonMultiDataSetIterator(new MultiDataSet(f, y)));
        full.setInputs(f);
        full.setLabels(y);
        full.computeGradientAndScore();
        double fullErr = relativeError(fullRec.gradients.get(0), full.gradient().gradient().div(MB));
        log.info("many-to-one, k2 = T: relative error vs computeGradientAndScore = {}", fullErr);
        assertTrue(fullErr < 1e-12, "relative error " + fullErr);
    }

    @Test
    void exampleEndingBeforeTheWindowIsRejected() {
        long t = 9;
        INDArray fMask = Nd4j.ones(DataType.DOUBLE, MB, t);
        fMask.get(NDArrayIndex.point(1), NDArrayIndex.interval(3, t)).assign(0.0);   // example 1: 3 steps
        INDArray y = labels(1, 23).reshape(MB, N_OUT);
        MultiDataSet mds = new MultiDataSet(new INDArray[]{features(t, 23)}, new INDArray[]{y}, new INDArray[]{fMask}, null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TruncatedBptt.builder().k1(2).k2(4)
                .build().fit(TbpttFixtures.lstmLastStepGraph(0.0), new SingletonMultiDataSetIterator(mds)));
        assertTrue(e.getMessage().contains("example 1"), e.getMessage());
    }
}
