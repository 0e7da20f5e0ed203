package org.recurrent4j.train;

import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.recurrent4j.train.TbpttFixtures.MB;
import static org.recurrent4j.train.TbpttFixtures.features;
import static org.recurrent4j.train.TbpttFixtures.labels;
import static org.recurrent4j.train.TbpttFixtures.lstmNet;
import static org.recurrent4j.train.UnrolledWindowOracle.relativeError;

/** Global-norm clipping with ordinary DL4J {@code fit} and with {@link TruncatedBptt}. */
class GlobalNormClippingTest {

    private static final Logger log = LoggerFactory.getLogger(GlobalNormClippingTest.class);
    private static final double LR = 0.1;

    @BeforeAll
    static void setUp() {
        TbpttFixtures.doublePrecision();
    }

    /** The minibatch-mean gradient of {@code net} on {@code ds}, from DL4J's own backprop. */
    private static INDArray meanGradient(MultiLayerNetwork like, DataSet ds) {
        MultiLayerNetwork ref = lstmNet(LR);
        ref.setParams(like.params());
        ref.setInput(ds.getFeatures());
        ref.setLabels(ds.getLabels());
        ref.computeGradientAndScore();
        return ref.gradient().gradient().div(MB);
    }

    @Test
    void ordinaryFitClipsTheGlobalNormAndKeepsTheDirection() {
        DataSet ds = new DataSet(features(8, 1), labels(8, 1));
        MultiLayerNetwork net = lstmNet(LR);
        INDArray unclipped = meanGradient(net, ds);
        double norm = unclipped.norm2Number().doubleValue();
        double threshold = 0.25 * norm;

        GlobalNormClipping clipping = new GlobalNormClipping(threshold);
        TbpttFixtures.Recorder rec = new TbpttFixtures.Recorder();
        net.setListeners(clipping, rec);      // listeners run in order: the recorder sees the clipped gradient
        INDArray before = net.params().dup();
        net.fit(ds);

        INDArray clipped = rec.gradients.get(0);
        double clippedNorm = clipped.norm2Number().doubleValue();
        double directionErr = relativeError(clipped.mul(norm / threshold), unclipped);
        log.info("ordinary fit: norm {} clipped to {} (threshold {}), direction relative error {}", norm, clippedNorm,
                threshold, directionErr);
        assertEquals(threshold, clippedNorm, 1e-12 * threshold);
        assertTrue(directionErr < 1e-12, "direction changed: " + directionErr);
        assertEquals(norm, clipping.lastNorm(), 1e-12 * norm);
        // plain SGD: the step used the clipped gradient
        double stepErr = relativeError(before.sub(net.params()), clipped.mul(LR));
        assertTrue(stepErr < 1e-10, "the updater did not use the clipped gradient: " + stepErr);
    }

    @Test
    void gradientBelowTheThresholdIsUnchanged() {
        DataSet ds = new DataSet(features(8, 2), labels(8, 2));
        MultiLayerNetwork net = lstmNet(LR);
        INDArray unclipped = meanGradient(net, ds);
        TbpttFixtures.Recorder rec = new TbpttFixtures.Recorder();
        net.setListeners(new GlobalNormClipping(2 * unclipped.norm2Number().doubleValue()), rec);
        net.fit(ds);
        assertTrue(relativeError(rec.gradients.get(0), unclipped) < 1e-12);
    }

    @Test
    void truncatedBpttClipsEveryUpdate() {
        DataSet ds = new DataSet(features(9, 3), labels(9, 3));
        MultiLayerNetwork plain = lstmNet(0.0);
        MultiLayerNetwork clippedNet = lstmNet(0.0);
        TbpttFixtures.Recorder plainRec = new TbpttFixtures.Recorder();
        TbpttFixtures.Recorder clippedRec = new TbpttFixtures.Recorder();
        plain.setListeners(plainRec);
        clippedNet.setListeners(clippedRec);
        double threshold = 1e-3;
        TruncatedBptt.builder().k1(3).k2(3).build().fit(plain, new ListDataSetIterator<>(List.of(ds)));
        TruncatedBptt.builder().k1(3).k2(3).clipGlobalNorm(threshold).build()
                .fit(clippedNet, new ListDataSetIterator<>(List.of(ds)));
        assertEquals(3, clippedRec.gradients.size());
        for (int u = 0; u < 3; u++) {
            INDArray g = clippedRec.gradients.get(u);
            INDArray ref = plainRec.gradients.get(u);
            double norm = ref.norm2Number().doubleValue();
            assertTrue(norm > threshold);
            assertEquals(threshold, g.norm2Number().doubleValue(), 1e-12 * threshold);
            assertTrue(relativeError(g.mul(norm / threshold), ref) < 1e-12, "direction changed at update " + u);
        }
    }

    @Test
    void staticClipAndInvalidInput() {
        INDArray g = Nd4j.createFromArray(3.0, 4.0);
        assertEquals(5.0, GlobalNormClipping.clip(g, 1.0), 1e-15);
        assertEquals(0.6, g.getDouble(0), 1e-15);
        assertEquals(0.8, g.getDouble(1), 1e-15);
        assertThrows(IllegalArgumentException.class, () -> new GlobalNormClipping(-1));
        assertThrows(IllegalArgumentException.class, () -> new GlobalNormClipping(Double.NaN));
        assertThrows(IllegalStateException.class,
                () -> GlobalNormClipping.clip(Nd4j.createFromArray(1.0, Double.NaN).castTo(DataType.DOUBLE), 1.0));
    }
}
