package org.recurrent4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;
import static org.nd4j.linalg.indexing.NDArrayIndex.point;

import java.util.Map;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.recurrent4j.conf.ElmanRnn;
import org.recurrent4j.conf.Gru;
import org.recurrent4j.nn.RecurrentTestSupport;
import org.recurrent4j.nn.layers.RecurrentSequenceLayer;

/** The probe's ∂L/∂h_t against finite differences, and the vanishing-gradient direction for Elman vs GRU. */
class StateGradientProbeTest {

    private static final int N_IN = 4;
    private static final int N = 5;
    private static final int CLASSES = 3;

    private static MultiLayerNetwork net(boolean gru, long seed) {
        return RecurrentTestSupport.net(gru ? new Gru.Builder().nIn(N_IN).nOut(N).build()
                : new ElmanRnn.Builder().nIn(N_IN).nOut(N).build(), N, CLASSES, RNNFormat.NCW, seed);
    }

    /**
     * The loss of the last step as a function of the state h_t after step t: h_t comes from rnnTimeStep over steps
     * [0, t]; the perturbed state is set with rnnSetPreviousState and steps [t+1, T) run from it.
     */
    private static double lossFromState(MultiLayerNetwork net, INDArray x, INDArray y, int t, INDArray state) {
        long steps = x.size(2);
        net.rnnClearPreviousState();
        net.rnnSetPreviousState(0, Map.of(RecurrentSequenceLayer.STATE_KEY, state.dup()));
        INDArray out = net.rnnTimeStep(x.get(all(), all(), interval(t + 1, steps)));      // [1, classes, T-t-1]
        int label = y.get(point(0), all(), point(steps - 1)).argMax().getInt(0);
        double p = out.getDouble(0, label, out.size(2) - 1);
        net.rnnClearPreviousState();
        return -Math.log(p);
    }

    private static INDArray stateAfter(MultiLayerNetwork net, INDArray x, int t) {
        net.rnnClearPreviousState();
        net.rnnTimeStep(x.get(all(), all(), interval(0, t + 1)));
        INDArray h = net.rnnGetPreviousState(0).get(RecurrentSequenceLayer.STATE_KEY).dup();   // [1, n]
        net.rnnClearPreviousState();
        return h;
    }

    @Test
    void stateGradientsMatchFiniteDifferences() {
        for (boolean gru : new boolean[] {false, true}) {
            MultiLayerNetwork net = net(gru, 3);
            int steps = 12;
            INDArray x = RecurrentTestSupport.features(1, N_IN, steps, RNNFormat.NCW, 5);     // [1, nIn, T]
            INDArray y = RecurrentTestSupport.labels(1, CLASSES, steps, RNNFormat.NCW, 6);    // [1, classes, T]
            INDArray g = StateGradientProbe.stateGradients(net, 0, x, y);                    // [n, T]
            assertEquals(N, g.size(0));
            assertEquals(steps, g.size(1));
            for (int t : new int[] {0, 4, 9}) {
                INDArray h = stateAfter(net, x, t);
                for (int j = 0; j < N; j++) {
                    double eps = 1e-6;
                    INDArray plus = h.dup();
                    plus.putScalar(0, j, h.getDouble(0, j) + eps);
                    INDArray minus = h.dup();
                    minus.putScalar(0, j, h.getDouble(0, j) - eps);
                    double fd = (lossFromState(net, x, y, t, plus) - lossFromState(net, x, y, t, minus)) / (2 * eps);
                    double probe = g.getDouble(j, t);
                    assertEquals(fd, probe, 1e-7 + 1e-5 * Math.abs(fd), (gru ? "GRU" : "Elman") + " t=" + t + " j=" + j);
                }
            }
            // only the last step's loss counts: the state after the last step gets the output layer's gradient alone
            assertTrue(g.getColumn(steps - 1).norm2Number().doubleValue() > 0);
        }
    }

    @Test
    void contractiveElmanGradientVanishesWhileAnOpenGruGatePassesItBack() {
        int steps = 60;
        INDArray x = RecurrentTestSupport.features(1, N_IN, steps, RNNFormat.NCW, 8);
        INDArray y = RecurrentTestSupport.labels(1, CLASSES, steps, RNNFormat.NCW, 9);

        MultiLayerNetwork elman = net(false, 4);
        INDArray rw = elman.getParam("0_RW");                           // [n, n], orthogonal at init: σ_max = 1
        assertEquals(1.0, StateGradientProbe.largestSingularValue(rw), 1e-9);
        rw.muli(0.5);
        double sigma = StateGradientProbe.largestSingularValue(rw);
        assertEquals(0.5, sigma, 1e-9);
        double[] e = StateGradientProbe.norms(elman, 0, x, y);
        assertTrue(e[0] < 1e-12 * e[steps - 1], "Elman ||dL/dh_0|| = " + e[0] + " vs ||dL/dh_T-1|| = " + e[steps - 1]);
        // the bound of the lecture: each step back multiplies the norm by at most σ_max · max|tanh'| ≤ σ_max
        for (int t = 0; t < steps - 1; t++) {
            assertTrue(e[t] <= sigma * e[t + 1] * (1 + 1e-9), "t=" + t);
        }
        assertTrue(StateGradientProbe.log10Slope(e, 0, steps) >= -Math.log10(sigma));

        MultiLayerNetwork gru = net(true, 4);
        gru.getParam("0_RW").muli(0.5);
        gru.getParam("0_b").get(all(), interval(N, 2 * N)).assign(-6.0);  // z ≈ 0.0025: h_t ≈ h_{t−1}
        double[] g = StateGradientProbe.norms(gru, 0, x, y);
        assertTrue(g[0] > 0.1 * g[steps - 1], "GRU ||dL/dh_0|| = " + g[0] + " vs ||dL/dh_T-1|| = " + g[steps - 1]);
    }

    @Test
    void largestSingularValueAndSlopeOfKnownCases() {
        // [[3, 0], [4, 5]]: MᵀM = [[25, 20], [20, 25]], eigenvalues 45 and 5
        assertEquals(Math.sqrt(45), StateGradientProbe.largestSingularValue(Nd4j.createFromArray(new double[][] {{3, 0}, {4, 5}})), 1e-10);
        double[] geometric = new double[10];
        for (int t = 0; t < 10; t++) {
            geometric[t] = 3 * Math.pow(10, 0.25 * t);
        }
        assertEquals(0.25, StateGradientProbe.log10Slope(geometric, 0, 10), 1e-12);
    }

    @Test
    void refusesLayersItCannotProbe() {
        MultiLayerNetwork lstm = RecurrentTestSupport.net(new LSTM.Builder().nIn(N_IN).nOut(N).build(), N, CLASSES,
                RNNFormat.NCW, 1);
        INDArray x = RecurrentTestSupport.features(1, N_IN, 5, RNNFormat.NCW, 1);
        INDArray y = RecurrentTestSupport.labels(1, CLASSES, 5, RNNFormat.NCW, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StateGradientProbe.norms(lstm, 0, x, y));
        assertTrue(e.getMessage().contains("StateGradientProbe") && e.getMessage().contains("LSTM"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> StateGradientProbe.norms(net(false, 1), 1, x, y));
        assertThrows(IllegalArgumentException.class, () -> StateGradientProbe.norms(net(false, 1), 0,
                RecurrentTestSupport.features(2, N_IN, 5, RNNFormat.NCW, 1), RecurrentTestSupport.labels(2, CLASSES, 5, RNNFormat.NCW, 1)));
    }
}
