package org.recurrent4j.nn.layers;

import org.recurrent4j.nn.RecurrentTestSupport;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.recurrent4j.nn.RecurrentTestSupport.*;

import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.recurrent4j.conf.ElmanRnn;

/** ElmanRnn computes DL4J SimpleRnn's function: same parameters (same flat layout) → same outputs and gradients. */
class ElmanVsSimpleRnnTest {

    @ParameterizedTest
    @EnumSource(value = Activation.class, names = {"TANH", "SIGMOID", "SOFTSIGN"})
    void sameOutputsAndGradientsAsSimpleRnn(Activation act) {
        for (RNNFormat f : RNNFormat.values()) {
            MultiLayerNetwork dl4j = net(new SimpleRnn.Builder().nIn(5).nOut(6).activation(act).dataFormat(f).build(),
                    6, 4, f, 3);
            MultiLayerNetwork ours = net(new ElmanRnn.Builder().nIn(5).nOut(6).activation(act).dataFormat(f).build(),
                    6, 4, f, 4);
            assertEquals(dl4j.numParams(), ours.numParams());
            ours.setParams(dl4j.params().dup());
            assertEquals(dl4j.getLayer(0).getParam("RW"), ours.getLayer(0).getParam("RW"));

            INDArray x = features(3, 5, 7, f, 8);
            INDArray y = labels(3, 4, 7, f, 9);
            // right padding: DL4J zeroes the state at padded steps, we carry it; outputs and gradients agree
            for (INDArray mask : new INDArray[] {null, rightPaddedMask(7, 7, 3, 5)}) {
                assertEquals(dl4j.output(x, false, mask, mask), ours.output(x, false, mask, mask), f + " " + act);
                Gradient gd = gradient(dl4j, x, y, mask);
                Gradient go = gradient(ours, x, y, mask);
                for (String key : new String[] {"0_W", "0_RW", "0_b", "1_W", "1_b"}) {
                    INDArray a = gd.getGradientFor(key);
                    INDArray b = go.getGradientFor(key).reshape(a.shape());
                    double rel = a.sub(b).norm2Number().doubleValue() / a.norm2Number().doubleValue();
                    assertTrue(rel < 1e-10, key + " relative error " + rel + " (" + f + ", " + act + ", mask " + (mask != null) + ")");
                }
                assertEquals(dl4j.score(), ours.score(), 1e-12);
            }
        }
    }

    private static Gradient gradient(MultiLayerNetwork net, INDArray x, INDArray y, INDArray mask) {
        net.setInput(x);
        net.setLabels(y);
        net.setLayerMaskArrays(mask, mask);
        net.computeGradientAndScore();
        Gradient g = net.gradient();
        net.clearLayerMaskArrays();
        return g;
    }
}
