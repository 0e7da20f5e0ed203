package org.recurrent4j.train;

import org.deeplearning4j.nn.api.layers.RecurrentLayer;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.dropout.IDropout;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.recurrent.SimpleRnn;
import org.deeplearning4j.nn.params.SimpleRnnParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.recurrent4j.compute.ElmanKernel;
import org.recurrent4j.compute.MaskedSteps;
import org.recurrent4j.nn.engine.Engines;
import org.recurrent4j.nn.engine.Nd4jActivation;
import org.recurrent4j.nn.layers.CellSequence;

import java.util.Map;

/**
 * {@link StatefulBackprop} for DL4J's {@code SimpleRnn} (1.0.0-M2.1), which cannot itself backpropagate from a carried
 * state: its backward pass always recomputes its activations from a zero state.
 * <ul>
 *   <li>Forward ({@link #activate}): SimpleRnn's own TBPTT forward pass, which does start from the TBPTT state; the
 *       state it leaves is set here, the output of the last step (SimpleRnn stores {@code out[:, :, T-1]} also for
 *       NWC output {@code [mb, T, n]}, a wrong slice).</li>
 *   <li>Backward ({@link #backpropGradient}): done here. The window's forward pass is recomputed from the same TBPTT
 *       state (the carried state; the window's own forward pass leaves it in place) with the layer's input (after its
 *       dropout), mask and flat parameters, and backpropagated; the gradient goes into the layer's gradient view, as
 *       the layer's own backward pass would put it, so the network's updater and listeners see no difference.</li>
 * </ul>
 * The math is {@link ElmanKernel}'s, {@code h_t = act(x_t W + h_{t-1} RW + b)} with SimpleRnn's activation, run by
 * {@link CellSequence} with SimpleRnn's masking ({@link MaskedSteps#ZERO_STATE}: a masked step outputs
 * zero and resets the state to zero). NCW and NWC ({@code rnnDataFormat}), any activation and input dropout are
 * supported. Refused, with an {@link UnsupportedOperationException}: layer normalisation ({@code hasLayerNorm(true)})
 * and weight noise ({@code weightNoise}), which SimpleRnn applies with state this adapter cannot reach.
 */
public final class SimpleRnnBackprop implements StatefulBackprop {

    @Override
    public void startFrom(RecurrentLayer layer, Map<String, INDArray> state) {
        checkSupported(layer);
        layer.rnnSetTBPTTState(state);
    }

    /**
     * SimpleRnn's own forward pass, but the state it leaves is taken here: the output of the last step (a masked
     * step outputs and leaves the state zero). SimpleRnn itself stores {@code out[:, :, T-1]} also for NWC output
     * {@code [mb, T, n]}, a wrong slice.
     */
    @Override
    public INDArray activate(RecurrentLayer layer, INDArray input, boolean training, boolean storeLastForTBPTT,
                             LayerWorkspaceMgr workspaceMgr) {
        org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn conf = checkSupported(layer);
        INDArray out = layer.rnnActivateUsingStoredState(input, training, false, workspaceMgr);   // layer's format
        if (storeLastForTBPTT) {
            INDArray ncw = ncw(out, conf.getRnnDataFormat() == RNNFormat.NWC);                        // [mb, n, T]
            try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                INDArray last = ncw.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(ncw.size(2) - 1)).dup();
                layer.rnnSetTBPTTState(Map.of(SimpleRnn.STATE_KEY_PREV_ACTIVATION, last));       // [mb, n]
            }
        }
        return out;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(RecurrentLayer layer, INDArray epsilon, int backLength,
                                                     LayerWorkspaceMgr workspaceMgr) {
        org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn conf = checkSupported(layer);
        boolean nwc = conf.getRnnDataFormat() == RNNFormat.NWC;
        CellSequence.Params params = new CellSequence.Params(layer.getParam(SimpleRnnParamInitializer.WEIGHT_KEY),
                layer.getParam(SimpleRnnParamInitializer.BIAS_KEY),
                layer.getParam(SimpleRnnParamInitializer.RECURRENT_WEIGHT_KEY), null);   // W [nIn, n], b, RW [n, n]
        INDArray initialState = layer.rnnGetTBPTTState().get(SimpleRnn.STATE_KEY_PREV_ACTIVATION);   // [mb, n] or null
        Map<String, INDArray> views = SimpleRnnParamInitializer.getInstance()
                .getGradientsFromFlattened(layer.conf(), layer.getGradientsViewArray());
        String owner = "SimpleRnn layer '" + conf.getLayerName() + "'";
        CellSequence sequence = new CellSequence(Engines.current(), new ElmanKernel(Engines.current(), conf.getNOut(),
                Nd4jActivation.of(Engines.current(), conf.getActivationFn())), MaskedSteps.ZERO_STATE,
                params.inputWeights().dataType(), owner);

        INDArray input = layer.input();                                                 // after dropout
        INDArray epsOut = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, params.inputWeights().dataType(),
                input.shape(), 'f');                                                     // the layer's format
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            INDArray in = ncw(input, nwc).castTo(params.inputWeights().dataType());      // [mb, nIn, T]
            CellSequence.Pass pass = sequence.forward(in, params, initialState, layer.getMaskArray(), true);
            layer.getGradientsViewArray().assign(0);
            sequence.backward(pass, ncw(epsilon, nwc), backLength, params,
                    new CellSequence.Gradients(views.get(SimpleRnnParamInitializer.WEIGHT_KEY),
                            views.get(SimpleRnnParamInitializer.BIAS_KEY),
                            views.get(SimpleRnnParamInitializer.RECURRENT_WEIGHT_KEY), null),
                    ncw(epsOut, nwc), null);
        }
        IDropout dropout = conf.getIDropout();
        if (dropout != null) {
            dropout.backprop(epsOut, epsOut, layer.getIterationCount(), layer.getEpochCount());
        }
        Gradient gradient = new DefaultGradient(layer.getGradientsViewArray());
        for (String key : SimpleRnnParamInitializer.getInstance().paramKeys(conf)) {
            gradient.gradientForVariable().put(key, views.get(key));
        }
        return new Pair<>(gradient, epsOut);
    }

    /** NWC ↔ NCW (the permutation is its own inverse); unchanged for NCW. */
    private static INDArray ncw(INDArray a, boolean nwc) {
        return nwc ? a.permute(0, 2, 1) : a;
    }

    private static org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn checkSupported(RecurrentLayer layer) {
        if (!(layer.conf().getLayer() instanceof org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn conf)) {
            throw new IllegalArgumentException("TruncatedBptt: SimpleRnnBackprop needs a DL4J SimpleRnn layer, got "
                    + layer.conf().getLayer().getClass().getName());
        }
        if (conf.hasLayerNorm()) {
            throw unsupported(conf, "layer normalisation (hasLayerNorm(true))", "");
        }
        if (conf.getWeightNoise() != null) {
            throw unsupported(conf, "weight noise (weightNoise = " + conf.getWeightNoise() + ")",
                    "; org.recurrent4j.conf.ElmanRnn computes the same function with weight noise");
        }
        return conf;
    }

    private static UnsupportedOperationException unsupported(org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn conf,
                                                             String what, String suggestion) {
        return new UnsupportedOperationException("TruncatedBptt: DL4J SimpleRnn layer \"" + conf.getLayerName()
                + "\" uses " + what + ", which TruncatedBptt cannot backpropagate from a carried state (DL4J's own "
                + "SimpleRnn backward pass starts from zero); expected hasLayerNorm(false) and no weight noise" + suggestion);
    }
}
