package org.recurrent4j.nn.layers;

import org.recurrent4j.nn.RecurrentTestSupport;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.recurrent4j.nn.RecurrentTestSupport.*;

import java.util.Map;
import org.deeplearning4j.nn.api.layers.RecurrentLayer;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.recurrent4j.nn.layers.RecurrentSequenceLayer;

/**
 * Stored state: rnnTimeStep step by step equals the full forward pass; and the TBPTT hooks
 * (rnnActivateUsingStoredState + tbpttBackpropGradient) give exactly the finite-difference gradient of the
 * window's loss started from the stored state, truncated to the backward length.
 */
class StatefulTest {
    private static final LayerWorkspaceMgr NO_WS = LayerWorkspaceMgr.noWorkspaces();

    @ParameterizedTest
    @EnumSource(Variant.class)
    void rnnTimeStepEqualsFullForward(Variant v) {
        for (RNNFormat f : RNNFormat.values()) {
            MultiLayerNetwork net = net(v.layer(3, 5, f), 5, 4, f, 1);
            INDArray x = features(2, 3, 9, f, 2);
            INDArray full = net.output(x);
            INDArray stepped = Nd4j.create(DataType.DOUBLE, full.shape());
            int[] chunks = {1, 3, 1, 4};   // one step, then chunks of several steps
            long t = 0;
            for (int len : chunks) {
                org.nd4j.linalg.indexing.INDArrayIndex[] idx = f == RNNFormat.NCW
                        ? new org.nd4j.linalg.indexing.INDArrayIndex[] {NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(t, t + len)}
                        : new org.nd4j.linalg.indexing.INDArrayIndex[] {NDArrayIndex.all(), NDArrayIndex.interval(t, t + len), NDArrayIndex.all()};
                INDArray chunk = x.get(idx).dup();
                stepped.get(idx).assign(net.rnnTimeStep(chunk));
                t += len;
            }
            assertEquals(full, stepped, v + " " + f);
            // state is kept until cleared
            assertNotEquals(full, net.rnnTimeStep(x));
            net.rnnClearPreviousState();
            assertEquals(full, net.rnnTimeStep(x));
        }
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void tbpttHooksGiveTheTruncatedGradientFromTheStoredState(Variant v) {
        MultiLayerNetwork net = net(v.layer(3, 4, RNNFormat.NCW), 4, 2, RNNFormat.NCW, 3);
        net.initGradientsView();
        RecurrentSequenceLayer layer = (RecurrentSequenceLayer) net.getLayer(0);
        long steps = 6;
        INDArray x = features(2, 3, steps, RNNFormat.NCW, 4);
        INDArray g = Nd4j.randn(DataType.DOUBLE, 2, 4, steps);           // L = Σ g ∘ out
        INDArray s = Nd4j.rand(DataType.DOUBLE, 2, 4).subi(0.5);         // stored state
        INDArray mask = rightPaddedMask(steps, 6, 4);
        for (int k : new int[] {6, 3, 1}) {
            layer.rnnSetTBPTTState(Map.of(RecurrentSequenceLayer.STATE_KEY, s));
            layer.setMaskArray(mask);
            layer.rnnActivateUsingStoredState(x, true, true, NO_WS);
            Gradient grad = layer.tbpttBackpropGradient(g.dup(), k, NO_WS).getFirst();
            // the state stored for the next window is the state after the last real step
            INDArray last = ((RecurrentLayer) layer).rnnGetTBPTTState().get(RecurrentSequenceLayer.STATE_KEY);
            assertEquals(2, last.size(0));

            INDArray analytic = grad.gradient().dup();
            INDArray numeric = finiteDifferences(layer, x, g, s, mask, k);
            double rel = analytic.sub(numeric).norm2Number().doubleValue() / numeric.norm2Number().doubleValue();
            assertTrue(rel < 1e-6, v + " k=" + k + ": relative error " + rel);
        }
    }

    /**
     * Gradient of the truncated objective: the state at step T−k−1 is a constant (computed from s with the current
     * parameters), and only the loss terms of the last k steps count.
     */
    private static INDArray finiteDifferences(RecurrentSequenceLayer layer, INDArray x, INDArray g, INDArray s,
                                              INDArray mask, int k) {
        long steps = x.size(2);
        long from = steps - k;
        INDArray params = layer.params();
        INDArray numeric = Nd4j.create(DataType.DOUBLE, params.shape());
        double eps = 1e-6;
        INDArray start = stateAt(layer, x, s, mask, from);
        for (long i = 0; i < params.length(); i++) {
            double orig = params.getDouble(i);
            params.putScalar(i, orig + eps);
            double plus = windowLoss(layer, x, g, start, mask, from);
            params.putScalar(i, orig - eps);
            double minus = windowLoss(layer, x, g, start, mask, from);
            params.putScalar(i, orig);
            numeric.putScalar(i, (plus - minus) / (2 * eps));
        }
        return numeric;
    }

    private static INDArray stateAt(RecurrentSequenceLayer layer, INDArray x, INDArray s, INDArray mask, long from) {
        if (from == 0) {
            return s;
        }
        layer.rnnSetPreviousState(Map.of(RecurrentSequenceLayer.STATE_KEY, s));
        layer.setMaskArray(mask.get(NDArrayIndex.all(), NDArrayIndex.interval(0, from)).dup());
        layer.rnnTimeStep(x.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(0, from)).dup(), NO_WS);
        return layer.rnnGetPreviousState().get(RecurrentSequenceLayer.STATE_KEY);
    }

    private static double windowLoss(RecurrentSequenceLayer layer, INDArray x, INDArray g, INDArray start,
                                     INDArray mask, long from) {
        long steps = x.size(2);
        layer.rnnSetPreviousState(Map.of(RecurrentSequenceLayer.STATE_KEY, start));
        layer.setMaskArray(mask.get(NDArrayIndex.all(), NDArrayIndex.interval(from, steps)).dup());
        INDArray out = layer.rnnTimeStep(x.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(from, steps)).dup(), NO_WS);
        return out.mul(g.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(from, steps))).sumNumber().doubleValue();
    }
}
