package org.recurrent4j.nn.layers;

import java.util.Map;
import java.util.function.BooleanSupplier;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.recurrent.BaseRecurrentLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.recurrent4j.compute.CellKernel;
import org.recurrent4j.compute.MaskedSteps;
import org.recurrent4j.nn.engine.Engines;
import org.recurrent4j.nn.params.CellLayout;
import org.recurrent4j.nn.params.RecurrentParamInitializer;

/**
 * The DL4J layer behind {@code conf.ElmanRnn} and {@code conf.Gru}: runs a
 * {@link CellKernel} over a sequence on the compute engine with {@link CellSequence} (one-GEMM input projection,
 * per-step recurrent GEMM and fused gate math, one GEMM per weight gradient), adding DL4J's layer duties: data
 * formats, dropout, weight noise, workspaces and the stored states.
 *
 * <p>Masks {@code [mb, T]}: a masked step outputs zero and its state passes through unchanged. The forward pass
 * of a training step is kept (outside DL4J's workspaces) for the backward pass, so backpropagation — also
 * truncated backpropagation after {@link #rnnActivateUsingStoredState} — starts from the state the forward
 * pass started from.
 *
 * <p>The configuration reaches the layer through DL4J's {@code NeuralNetConfiguration} as DL4J's own recurrent layer
 * configuration (sizes, data format, dropout, weight noise); what is Recurrent4j's own comes as plain values from the
 * configuration's {@code instantiate}: the cell ({@link CellLayout}), the input validation switch and whether
 * backpropagation computes dL/d(input) (without it, the layer returns no epsilon).
 */
public class RecurrentSequenceLayer
        extends BaseRecurrentLayer<org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer> {
    /** Key of the hidden state [mb, n] in the rnnTimeStep and TBPTT state maps. */
    public static final String STATE_KEY = "h";

    private final CellKernel cell;
    private final CellSequence sequence;
    private final InputChecks checks;
    private final boolean inputGradient;
    private ForwardPass lastPass;
    private boolean recordStateGradients;
    private INDArray stateGradients;

    /**
     * @param conf                the layer's configuration, whose layer is a DL4J recurrent layer configuration
     * @param cell                the cell to run
     * @param validateInputValues whether each forward pass checks its input for NaN and infinite values (read at
     *                            every pass)
     * @param inputGradient       whether backpropagation computes dL/d(input); if not, it returns no epsilon (null)
     */
    public RecurrentSequenceLayer(NeuralNetConfiguration conf, DataType dataType, CellLayout cell,
                                  BooleanSupplier validateInputValues, boolean inputGradient) {
        super(conf, dataType);
        this.checks = new InputChecks(layerConf(), validateInputValues);
        this.inputGradient = inputGradient;
        this.cell = cell.create(Engines.current());
        this.sequence = new CellSequence(Engines.current(), this.cell, MaskedSteps.KEEP_STATE, dataType,
                checks.layerId(getIndex()));
    }

    /** @return the cell this layer runs */
    public CellKernel cell() {
        return cell;
    }

    /**
     * When enabled, each backward pass keeps dL/dh_t for every step t (the total derivative through the
     * recurrence, before masking), readable with {@link #stateGradients()}.
     */
    public void setRecordStateGradients(boolean record) {
        this.recordStateGradients = record;
    }

    /** @return dL/dh_t of the last backward pass [mb, n, T] (NCW), or null if not recorded */
    public INDArray stateGradients() {
        return stateGradients;
    }

    @Override
    public boolean isPretrainLayer() {
        return false;
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        return output(forward(null, training, workspaceMgr), workspaceMgr);
    }

    @Override
    public INDArray rnnTimeStep(INDArray input, LayerWorkspaceMgr workspaceMgr) {
        setInput(input, workspaceMgr);
        ForwardPass pass = forward(stateMap.get(STATE_KEY), false, workspaceMgr);
        storeLastState(stateMap, pass);
        return output(pass, workspaceMgr);
    }

    @Override
    public INDArray rnnActivateUsingStoredState(INDArray input, boolean training, boolean storeLastForTBPTT,
                                                LayerWorkspaceMgr workspaceMgr) {
        setInput(input, workspaceMgr);
        ForwardPass pass = forward(tBpttStateMap.get(STATE_KEY), training, workspaceMgr);
        if (storeLastForTBPTT) {
            storeLastState(tBpttStateMap, pass);
        }
        return output(pass, workspaceMgr);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        return tbpttBackpropGradient(epsilon, -1, workspaceMgr);
    }

    /**
     * Backpropagates through the last {@code tbpttBackLength} steps (all steps if ≤ 0) of the last training
     * forward pass, starting from the state that pass started from. Steps before the window get no gradient
     * and send zero epsilon to the layer below.
     */
    @Override
    public Pair<Gradient, INDArray> tbpttBackpropGradient(INDArray epsilon, int tbpttBackLength,
                                                          LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        ForwardPass fp = lastPass != null && lastPass.input() == this.input ? lastPass : null;
        if (fp == null) {
            fp = forward(null, true, workspaceMgr);   // no kept pass for this input: recompute from a zero state
        }
        INDArray eps = checks.epsilon(permuteIfNWC(epsilon), fp.pass().minibatchSize(), fp.pass().steps(), describe());
        // [mb, T, nIn] 'f': its NCW view [mb, nIn, T] is a time-major matrix the engine writes in place
        INDArray epsNwc = inputGradient ? workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType,
                new long[] {fp.pass().minibatchSize(), fp.pass().steps(), layerConf().getNIn()}, 'f') : null;
        Gradient gradient;
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            gradient = backward(fp, eps, tbpttBackLength, epsNwc == null ? null : epsNwc.permute(0, 2, 1));
        }
        weightNoiseParams.clear();
        if (epsNwc == null) {
            return new Pair<>(gradient, null);                // inputGradient(false): no dL/d(input), no epsilon
        }
        INDArray epsOut = dataFormat() == RNNFormat.NWC ? epsNwc : epsNwc.permute(0, 2, 1);
        return new Pair<>(gradient, backpropDropOutIfPresent(epsOut));
    }

    @Override
    public void clear() {
        super.clear();
        lastPass = null;
    }

    // ---------------------------------------------------------------------------------------------------

    /** A training or inference pass and the layer input it ran on (identity check for backprop). */
    private record ForwardPass(INDArray input, CellSequence.Pass pass, CellSequence.Params params) {
    }

    private String describe() {
        return checks.layerId(getIndex());
    }

    private CellSequence.Params params(boolean training, LayerWorkspaceMgr mgr) {
        INDArray rb = cell.hasRecurrentBias()
                ? getParamWithNoise(RecurrentParamInitializer.RECURRENT_BIAS_KEY, training, mgr) : null;
        return new CellSequence.Params(getParamWithNoise(RecurrentParamInitializer.WEIGHT_KEY, training, mgr),
                getParamWithNoise(RecurrentParamInitializer.BIAS_KEY, training, mgr),
                getParamWithNoise(RecurrentParamInitializer.RECURRENT_WEIGHT_KEY, training, mgr), rb);
    }

    private ForwardPass forward(INDArray initialState, boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        applyDropOutIfNecessary(training, workspaceMgr);
        INDArray in = checks.input(this.input, layerConf().getRnnDataFormat(), describe());
        in = permuteIfNWC(in.castTo(dataType));                                   // [mb, nIn, T]
        long mb = in.size(0);
        long steps = in.size(2);
        INDArray mask = checks.mask(maskArray, mb, steps, describe());
        checks.state(initialState, mb, cell.nOut(), describe());
        ForwardPass fp;
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            CellSequence.Params p = params(training, workspaceMgr);
            fp = new ForwardPass(this.input, sequence.forward(in, p, initialState, mask, training), p);
        }
        lastPass = training ? fp : null;
        return fp;
    }

    /**
     * Backward through a kept pass (with the parameters it ran with); writes dL/d(input) into dInput [mb, nIn, T]
     * unless dInput is null.
     */
    private Gradient backward(ForwardPass fp, INDArray eps, int backLength, INDArray dInput) {
        Map<String, INDArray> g = gradientViews;
        CellSequence.Pass pass = fp.pass();
        stateGradients = recordStateGradients
                ? Nd4j.create(dataType, new long[] {pass.minibatchSize(), cell.nOut(), pass.steps()}, 'f') : null;
        gradientsFlattened.assign(0);
        sequence.backward(pass, eps, backLength, fp.params(),
                new CellSequence.Gradients(g.get(RecurrentParamInitializer.WEIGHT_KEY),
                        g.get(RecurrentParamInitializer.BIAS_KEY),
                        g.get(RecurrentParamInitializer.RECURRENT_WEIGHT_KEY),
                        g.get(RecurrentParamInitializer.RECURRENT_BIAS_KEY)),
                dInput, stateGradients);
        Gradient gradient = new DefaultGradient(gradientsFlattened);
        for (String key : conf.getLayer().initializer().paramKeys(conf.getLayer())) {
            gradient.gradientForVariable().put(key, g.get(key));
        }
        return gradient;
    }

    private INDArray output(ForwardPass fp, LayerWorkspaceMgr workspaceMgr) {
        CellSequence.Pass pass = fp.pass();
        long mb = pass.minibatchSize();
        long steps = pass.steps();
        // [mb, T, n] 'f': its NCW view [mb, n, T] is a time-major matrix, which DL4J's RnnOutputLayer reshapes to
        // [T·mb, n] without a copy and a following layer of ours reads in place
        INDArray nwc = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, dataType,
                new long[] {mb, steps, cell.nOut()}, 'f');
        INDArray ncw = nwc.permute(0, 2, 1);
        sequence.outputs(pass, ncw);
        return dataFormat() == RNNFormat.NWC ? nwc : ncw;
    }

    private void storeLastState(Map<String, INDArray> stateMap, ForwardPass fp) {
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            stateMap.put(STATE_KEY, sequence.finalState(fp.pass()));
        }
    }

    RNNFormat dataFormat() {
        return layerConf().getRnnDataFormat();
    }
}
