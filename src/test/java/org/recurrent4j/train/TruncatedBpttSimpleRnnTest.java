package org.recurrent4j.train;

import org.deeplearning4j.nn.api.layers.RecurrentLayer;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.deeplearning4j.nn.conf.weightnoise.DropConnect;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.adapter.SingletonDataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.recurrent4j.train.TbpttFixtures.MB;
import static org.recurrent4j.train.TbpttFixtures.N_HIDDEN;
import static org.recurrent4j.train.TbpttFixtures.N_IN;
import static org.recurrent4j.train.TbpttFixtures.features;
import static org.recurrent4j.train.TbpttFixtures.graphWith;
import static org.recurrent4j.train.TbpttFixtures.inFormat;
import static org.recurrent4j.train.TbpttFixtures.labels;
import static org.recurrent4j.train.TbpttFixtures.netWith;
import static org.recurrent4j.train.TbpttFixtures.simpleRnn;
import static org.recurrent4j.train.TbpttFixtures.steppable;
import static org.recurrent4j.train.UnrolledWindowOracle.relativeError;

/**
 * The k1/k2 trainer with DL4J's own {@code SimpleRnn} (whose backward pass always starts from a zero state, so the
 * trainer does it with {@link SimpleRnnBackprop}): every update's gradient equals the finite-difference oracle over
 * the explicitly unrolled window that starts from the carried state (double precision), for MultiLayerNetwork and
 * ComputationGraph, NCW and NWC, k2 &lt; k1, k2 = k1, k2 &gt; k1 and with masks. And, from a zero state, the adapter's
 * backward pass equals SimpleRnn's own (masks, dropout).
 */
class TruncatedBpttSimpleRnnTest {

    private static final Logger log = LoggerFactory.getLogger(TruncatedBpttSimpleRnnTest.class);

    @BeforeAll
    static void setUp() {
        TbpttFixtures.doublePrecision();
    }

    @ParameterizedTest
    @EnumSource(RNNFormat.class)
    void multiLayerNetworkK2SmallerEqualAndLargerThanK1(RNNFormat format) {
        checkNet(format, Activation.TANH, "k1=5,k2=3", 5, 3, features(12, 1), labels(12, 1), null, null,
                new long[][]{{2, 2, 5}, {7, 7, 10}, {9, 10, 12}});
        checkNet(format, Activation.TANH, "k1=k2=4", 4, 4, features(12, 2), labels(12, 2), null, null,
                new long[][]{{0, 0, 4}, {4, 4, 8}, {8, 8, 12}});
        checkNet(format, Activation.TANH, "k1=3,k2=7", 3, 7, features(11, 3), labels(11, 3), null, null,
                new long[][]{{0, 0, 3}, {0, 3, 6}, {2, 6, 9}, {4, 9, 11}});
    }

    @ParameterizedTest
    @EnumSource(RNNFormat.class)
    void multiLayerNetworkWithMasksAndUnequalLengths(RNNFormat format) {
        Masked m = masked();
        checkNet(format, Activation.TANH, "k1=3,k2=5,masks", 3, 5, m.features, m.labels, m.featureMask, m.labelMask,
                Masked.WINDOWS);
    }

    @ParameterizedTest
    @EnumSource(RNNFormat.class)
    void computationGraphK2SmallerEqualAndLargerThanK1AndMasks(RNNFormat format) {
        checkGraph(format, "k1=5,k2=3", 5, 3, features(12, 1), labels(12, 1), null, null,
                new long[][]{{2, 2, 5}, {7, 7, 10}, {9, 10, 12}});
        checkGraph(format, "k1=k2=4", 4, 4, features(12, 2), labels(12, 2), null, null,
                new long[][]{{0, 0, 4}, {4, 4, 8}, {8, 8, 12}});
        checkGraph(format, "k1=3,k2=7", 3, 7, features(11, 3), labels(11, 3), null, null,
                new long[][]{{0, 0, 3}, {0, 3, 6}, {2, 6, 9}, {4, 9, 11}});
        Masked m = masked();
        checkGraph(format, "k1=3,k2=5,masks", 3, 5, m.features, m.labels, m.featureMask, m.labelMask, Masked.WINDOWS);
    }

    @Test
    void theLayersActivationIsUsed() {
        checkNet(RNNFormat.NCW, Activation.SOFTSIGN, "softsign k1=3,k2=7", 3, 7, features(11, 3), labels(11, 3),
                null, null, new long[][]{{0, 0, 3}, {0, 3, 6}, {2, 6, 9}, {4, 9, 11}});
    }

    /**
     * SimpleRnn (format {@code format}) → RnnOutputLayer against the oracle. The oracle steps an NCW twin with the
     * same parameters: DL4J's own {@code rnnTimeStep} of an NWC SimpleRnn stores a wrong state slice.
     */
    private static void checkNet(RNNFormat format, Activation activation, String name, int k1, int k2, INDArray f,
                                 INDArray y, INDArray fMask, INDArray lMask, long[][] windows) {
        MultiLayerNetwork net = netWith(simpleRnn(activation, format), format);
        MultiLayerNetwork ncwTwin = netWith(simpleRnn(activation, RNNFormat.NCW), RNNFormat.NCW);
        ncwTwin.setParams(net.params());     // learning rate 0: the parameters stay these
        TruncatedBpttGradientTest.checkAgainstOracle(net, format, steppable(ncwTwin),
                "SimpleRnn " + format + " " + activation + " " + name, k1, k2, f, y, fMask, lMask, windows);
    }

    /** As {@link #checkNet} for the graph in → SimpleRnn → RnnOutputLayer. */
    private static void checkGraph(RNNFormat format, String name, int k1, int k2, INDArray f, INDArray y,
                                   INDArray fMask, INDArray lMask, long[][] windows) {
        ComputationGraph net = graphWith(simpleRnn(Activation.TANH, format), format);
        ComputationGraph ncwTwin = graphWith(simpleRnn(Activation.TANH, RNNFormat.NCW), RNNFormat.NCW);
        ncwTwin.setParams(net.params());
        TruncatedBpttGradientTest.checkAgainstOracle(net, format, steppable(ncwTwin),
                "graph SimpleRnn " + format + " " + name, k1, k2, f, y, fMask, lMask, windows);
    }

    /** From a zero state SimpleRnn's own backward pass is right: the adapter must give the same, with dropout. */
    @Test
    void fromZeroStateTheAdapterEqualsSimpleRnnsOwnBackwardPassWithMasksAndDropout() {
        Layer conf = new SimpleRnn.Builder().nIn(N_IN).nOut(N_HIDDEN).activation(Activation.TANH).dropOut(0.6)
                .weightInit(TbpttFixtures.largeWeights()).build();
        assertAdapterEqualsOwnBackwardFromZero(netWith(conf), RNNFormat.NCW);
    }

    @Test
    void fromZeroStateTheAdapterEqualsSimpleRnnsOwnBackwardPassNwc() {
        assertAdapterEqualsOwnBackwardFromZero(netWith(simpleRnn(Activation.ELU, RNNFormat.NWC), RNNFormat.NWC),
                RNNFormat.NWC);
    }

    /**
     * Documents why {@link SimpleRnnBackprop#activate} stores the state itself: DL4J's NWC SimpleRnn stores
     * {@code out[:, :, n-1]} of its {@code [mb, T, n]} output, shape {@code [mb, T]}. If this fails, DL4J was fixed.
     */
    @Test
    void dl4jsNwcSimpleRnnStoresAWrongStateSliceTheAdapterTheLastStep() {
        MultiLayerNetwork net = netWith(simpleRnn(Activation.TANH, RNNFormat.NWC), RNNFormat.NWC);
        RecurrentLayer layer = (RecurrentLayer) net.getLayer(0);
        LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
        INDArray x = inFormat(features(6, 1), RNNFormat.NWC);                       // [mb, T=6, nIn]
        INDArray out = layer.rnnActivateUsingStoredState(x, true, true, mgr).dup();  // [mb, T=6, n=4]
        String key = org.deeplearning4j.nn.layers.recurrent.SimpleRnn.STATE_KEY_PREV_ACTIVATION;
        assertArrayEquals(new long[]{MB, 6}, layer.rnnGetTBPTTState().get(key).shape());

        layer.rnnSetTBPTTState(Map.of());
        new SimpleRnnBackprop().activate(layer, x, true, true, mgr);
        assertEquals(out.get(NDArrayIndex.all(), NDArrayIndex.point(5), NDArrayIndex.all()),
                layer.rnnGetTBPTTState().get(key));
    }

    @Test
    void layerNormAndWeightNoiseAreRefusedWithAClearMessage() {
        MultiLayerNetwork layerNorm = netWith(new SimpleRnn.Builder().nIn(N_IN).nOut(N_HIDDEN).hasLayerNorm(true).build());
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, () -> fitOnce(layerNorm));
        assertTrue(e.getMessage().contains("SimpleRnn") && e.getMessage().contains("hasLayerNorm"), e.getMessage());

        MultiLayerNetwork noise = netWith(new SimpleRnn.Builder().nIn(N_IN).nOut(N_HIDDEN)
                .weightNoise(new DropConnect(0.5)).build());
        e = assertThrows(UnsupportedOperationException.class, () -> fitOnce(noise));
        assertTrue(e.getMessage().contains("SimpleRnn") && e.getMessage().contains("weight noise"), e.getMessage());
    }

    private static void fitOnce(MultiLayerNetwork net) {
        TruncatedBptt.builder().k1(3).k2(3).build()
                .fit(net, new SingletonDataSetIterator(new DataSet(features(6, 1), labels(6, 1))));
    }

    /**
     * Runs layer 0 (a SimpleRnn) forward from the zero state in training mode with masks (left padding and a hole,
     * where SimpleRnn resets its state), then backward with a random epsilon twice: through the adapter and through
     * SimpleRnn's own {@code tbpttBackpropGradient}. Dropout draws the same mask for both (same RNG seed).
     */
    private static void assertAdapterEqualsOwnBackwardFromZero(MultiLayerNetwork net, RNNFormat format) {
        long t = 6;
        net.initGradientsView();
        RecurrentLayer layer = (RecurrentLayer) net.getLayer(0);
        INDArray x = inFormat(features(t, 21), format);
        INDArray mask = Nd4j.ones(DataType.DOUBLE, MB, t);
        mask.putScalar(0, 0, 0.0);
        mask.putScalar(0, 1, 0.0);
        mask.putScalar(1, 3, 0.0);
        Nd4j.getRandom().setSeed(7);
        INDArray eps = inFormat(Nd4j.rand(DataType.DOUBLE, MB, N_HIDDEN, t).subi(0.5), format);

        Pair<Gradient, INDArray> ours = backward(layer, x, mask,
                () -> new SimpleRnnBackprop().backpropGradient(layer, eps, (int) t, LayerWorkspaceMgr.noWorkspaces()));
        Pair<Gradient, INDArray> theirs = backward(layer, x, mask,
                () -> layer.tbpttBackpropGradient(eps, (int) t, LayerWorkspaceMgr.noWorkspaces()));

        double gradErr = relativeError(ours.getFirst().gradient(), theirs.getFirst().gradient());
        double epsErr = relativeError(ours.getSecond(), theirs.getSecond());
        log.info("SimpleRnn {} from zero state: adapter vs SimpleRnn's own backward: gradient relative error {}, "
                + "epsilon relative error {}", format, gradErr, epsErr);
        assertTrue(theirs.getFirst().gradient().norm2Number().doubleValue() > 1e-3, "gradient must not be trivial");
        assertTrue(gradErr < 1e-12, "gradient relative error " + gradErr);
        assertTrue(epsErr < 1e-12, "epsilon relative error " + epsErr);
    }

    private static Pair<Gradient, INDArray> backward(RecurrentLayer layer, INDArray x, INDArray mask,
                                                     java.util.function.Supplier<Pair<Gradient, INDArray>> backprop) {
        LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
        layer.rnnClearPreviousState();
        layer.rnnSetTBPTTState(Map.of());
        layer.setMaskArray(mask);
        Nd4j.getRandom().setSeed(42);   // the same dropout mask for both passes
        layer.rnnActivateUsingStoredState(x, true, false, mgr);
        Pair<Gradient, INDArray> p = backprop.get();
        return new Pair<>(copyOf(p.getFirst()), p.getSecond().dup());     // the gradient view is shared
    }

    private static Gradient copyOf(Gradient g) {
        return new org.deeplearning4j.nn.gradient.DefaultGradient(g.gradient().dup());
    }

    /** Example 1 is 7 of 10 steps long (right-padded); example 0 has unlabelled steps 1 and 5. */
    private record Masked(INDArray features, INDArray labels, INDArray featureMask, INDArray labelMask) {
        static final long[][] WINDOWS = {{0, 0, 3}, {1, 3, 6}, {4, 6, 9}, {5, 9, 10}};
    }

    private static Masked masked() {
        long t = 10;
        INDArray fMask = Nd4j.ones(DataType.DOUBLE, MB, t);
        for (int s = 7; s < t; s++) {
            fMask.putScalar(1, s, 0.0);
        }
        INDArray lMask = fMask.dup();
        lMask.putScalar(0, 1, 0.0);
        lMask.putScalar(0, 5, 0.0);
        return new Masked(features(t, 4).muli(fMask.reshape(MB, 1, t)), labels(t, 4), fMask, lMask);
    }
}
