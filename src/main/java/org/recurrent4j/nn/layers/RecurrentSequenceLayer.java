package org.recurrent4j.nn.layers;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import java.util.Map;
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
import org.recurrent4j.conf.RecurrentLayerConf;
import org.recurrent4j.nn.cell.CellGradients;
import org.recurrent4j.nn.cell.CellParams;
import org.recurrent4j.nn.cell.RecurrentCell;
import org.recurrent4j.nn.params.RecurrentParamInitializer;

/**
 * The DL4J layer behind {@link org.recurrent4j.conf.ElmanRnn} and {@link org.recurrent4j.conf.Gru}: runs a
 * {@link RecurrentCell} over a sequence.
 *
 * <p>Fast path: the input projection of all steps is one GEMM ({@code [T·mb, nIn] × [nIn, G·n]}); each step does
 * the cell's recurrent GEMM and element-wise math; backward, the weight gradients of all steps are one GEMM each.
 * Internally, time-major matrices have row {@code t·mb + i} for step t of example i.
 *
 * <p>Masks {@code [mb, T]}: a masked step outputs zero and its state passes through unchanged. The forward pass
 * of a training step is kept (outside DL4J's workspaces) for the backward pass, so backpropagation — also
 * truncated backpropagation after {@link #rnnActivateUsingStoredState} — starts from the state the forward
 * pass started from.
 */
public class RecurrentSequenceLayer extends BaseRecurrentLayer<RecurrentLayerConf> {
    /** Key of the hidden state [mb, n] in the rnnTimeStep and TBPTT state maps. */
    public static final String STATE_KEY = "h";

    private final RecurrentCell cell;
    private final InputChecks checks;
    private ForwardPass lastPass;
    private boolean recordStateGradients;
    private INDArray stateGradients;

    public RecurrentSequenceLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
        RecurrentLayerConf c = (RecurrentLayerConf) conf.getLayer();
        this.cell = c.createCell();
        this.checks = new InputChecks(c);
    }

    /** @return the cell this layer runs */
    public RecurrentCell cell() {
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
        ForwardPass fp = lastPass != null && lastPass.input == this.input ? lastPass : null;
        if (fp == null) {
            fp = forward(null, true, workspaceMgr);   // no kept pass for this input: recompute from a zero state
        }
        INDArray eps = checks.epsilon(permuteIfNWC(epsilon), fp.mb, fp.steps, describe());
        Gradient gradient;
        INDArray epsOut;
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            Pair<Gradient, INDArray> r = backward(fp, eps, tbpttBackLength);
            gradient = r.getFirst();
            epsOut = r.getSecond();
        }
        weightNoiseParams.clear();
        epsOut = backpropDropOutIfPresent(epsOut);
        return new Pair<>(gradient, workspaceMgr.dup(ArrayType.ACTIVATION_GRAD, permuteIfNWC(epsOut), 'f'));
    }

    @Override
    public void clear() {
        super.clear();
        lastPass = null;
    }

    // ---------------------------------------------------------------------------------------------------

    /** What a forward pass keeps for the backward pass. Time-major: row t·mb + i. */
    private static final class ForwardPass {
        INDArray input;      // the layer input this pass ran on (identity check for backprop)
        long mb;
        long steps;
        INDArray xFlat;      // [T·mb, nIn]
        INDArray states;     // [(T+1)·mb, n]: block 0 the initial state, block t+1 the state after step t
        INDArray outputs;    // [T·mb, n]: masked outputs (a view of states when there is no mask)
        INDArray cache;      // [T·mb, C], or null when not training
        INDArray mask;       // [mb, T] of the layer's data type, or null
    }

    private String describe() {
        return checks.layerId(getIndex());
    }

    private CellParams cellParams(boolean training, LayerWorkspaceMgr mgr) {
        INDArray rb = cell.hasRecurrentBias()
                ? getParamWithNoise(RecurrentParamInitializer.RECURRENT_BIAS_KEY, training, mgr) : null;
        return new CellParams(getParamWithNoise(RecurrentParamInitializer.RECURRENT_WEIGHT_KEY, training, mgr), rb);
    }

    private ForwardPass forward(INDArray initialState, boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        applyDropOutIfNecessary(training, workspaceMgr);
        INDArray in = checks.input(this.input, layerConf().getRnnDataFormat(), describe());
        in = permuteIfNWC(in.castTo(dataType));                                   // [mb, nIn, T]
        long mb = in.size(0);
        long steps = in.size(2);
        long n = cell.nOut();
        INDArray mask = checks.mask(maskArray, mb, steps, describe());
        checks.state(initialState, mb, n, describe());

        ForwardPass fp = new ForwardPass();
        fp.input = this.input;
        fp.mb = mb;
        fp.steps = steps;
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            INDArray w = getParamWithNoise(RecurrentParamInitializer.WEIGHT_KEY, training, workspaceMgr);
            INDArray b = getParamWithNoise(RecurrentParamInitializer.BIAS_KEY, training, workspaceMgr);
            CellParams p = cellParams(training, workspaceMgr);
            fp.mask = mask == null ? null : mask.castTo(dataType);
            fp.xFlat = in.permute(2, 0, 1).dup('c').reshape('c', steps * mb, in.size(1));   // [T·mb, nIn]
            INDArray xProj = fp.xFlat.mmul(w).addiRowVector(b);                            // [T·mb, G·n]
            fp.states = Nd4j.create(dataType, new long[] {(steps + 1) * mb, n}, 'c');       // [(T+1)·mb, n]
            if (initialState != null) {
                rows(fp.states, 0, mb).assign(initialState);
            }
            fp.outputs = fp.mask == null ? fp.states.get(interval(mb, (steps + 1) * mb), all())
                    : Nd4j.create(dataType, new long[] {steps * mb, n}, 'c');              // [T·mb, n]
            fp.cache = training ? Nd4j.create(dataType, new long[] {steps * mb, cell.cacheWidth()}, 'c') : null;   // step rows contiguous
            INDArray hNew = Nd4j.create(dataType, new long[] {mb, n}, 'c');               // [mb, n]
            for (long t = 0; t < steps; t++) {
                INDArray hPrev = rows(fp.states, t, mb);
                INDArray hNext = rows(fp.states, t + 1, mb);
                INDArray cacheT = fp.cache == null ? null : rows(fp.cache, t, mb);
                if (fp.mask == null) {
                    cell.forwardStep(p, rows(xProj, t, mb), hPrev, cacheT, hNext, training);
                } else {
                    cell.forwardStep(p, rows(xProj, t, mb), hPrev, cacheT, hNew, training);
                    // masked step: output 0, state passes through: h_t = h_{t-1} + m ∘ (h' − h_{t-1})
                    INDArray m = fp.mask.getColumn(t, true);                                // [mb, 1]
                    rows(fp.outputs, t, mb).assign(hNew).muliColumnVector(m);
                    hNext.assign(hNew.subi(hPrev).muliColumnVector(m).addi(hPrev));
                }
            }
        }
        lastPass = training ? fp : null;
        return fp;
    }

    private Pair<Gradient, INDArray> backward(ForwardPass fp, INDArray eps, int backLength) {
        long mb = fp.mb;
        long steps = fp.steps;
        long n = cell.nOut();
        long gn = (long) cell.gates() * n;
        boolean training = true;
        INDArray w = getParamWithNoise(RecurrentParamInitializer.WEIGHT_KEY, training, LayerWorkspaceMgr.noWorkspaces());
        CellParams p = cellParams(training, LayerWorkspaceMgr.noWorkspaces());
        INDArray epsSteps = eps.castTo(dataType).permute(2, 0, 1).dup('c').reshape('c', steps * mb, n); // [T·mb, n]
        long first = backLength > 0 ? Math.max(0, steps - backLength) : 0;

        INDArray dXProj = Nd4j.create(dataType, new long[] {steps * mb, gn}, 'c');    // [T·mb, G·n], step rows contiguous
        INDArray dRec = cell.separateRecurrentGradient() ? Nd4j.create(dataType, new long[] {steps * mb, gn}, 'c') : null;
        INDArray dH = Nd4j.create(dataType, new long[] {mb, n}, 'c');                  // dL/dh_t from later steps
        INDArray dHPrev = Nd4j.create(dataType, new long[] {mb, n}, 'c');              // dL/dh_{t-1}, being built
        INDArray dHNew = Nd4j.create(dataType, new long[] {mb, n}, 'c');               // dL/dh'_t of this step
        INDArray notMask = fp.mask == null ? null : fp.mask.rsub(1.0);                  // [mb, T]
        INDArray dHAll = recordStateGradients ? Nd4j.create(dataType, new long[] {steps * mb, n}, 'c') : null;
        for (long t = steps - 1; t >= first; t--) {
            dHNew.assign(rows(epsSteps, t, mb)).addi(dH);                                 // [mb, n]
            if (dHAll != null) {
                rows(dHAll, t, mb).assign(dHNew);
            }
            if (fp.mask != null) {
                dHNew.muliColumnVector(fp.mask.getColumn(t, true));
                dHPrev.assign(dH).muliColumnVector(notMask.getColumn(t, true));          // pass-through of masked steps
            } else {
                dHPrev.assign(0.0);
            }
            cell.backwardStep(p, dHNew, rows(fp.states, t, mb), rows(fp.cache, t, mb),
                    rows(dXProj, t, mb), dRec == null ? null : rows(dRec, t, mb), dHPrev);
            INDArray swap = dH;
            dH = dHPrev;
            dHPrev = swap;
        }
        stateGradients = dHAll == null ? null : dHAll.reshape('c', steps, mb, n).permute(1, 2, 0).dup('f');

        // Weight gradients of all steps in the window, one GEMM each
        Map<String, INDArray> g = gradientViews;
        gradientsFlattened.assign(0);
        INDArray dXP = rowRange(dXProj, first * mb, steps * mb);                           // [N', G·n]
        INDArray x = rowRange(fp.xFlat, first * mb, steps * mb);                           // [N', nIn]
        Nd4j.gemm(x, dXP, g.get(RecurrentParamInitializer.WEIGHT_KEY), true, false, 1.0, 0.0);  // dW = Xᵀ dXP
        g.get(RecurrentParamInitializer.BIAS_KEY).assign(dXP.sum(true, 0));                      // db = Σ dXP
        cell.recurrentWeightGradients(p, rowRange(fp.states, first * mb, steps * mb),
                rowRange(fp.cache, first * mb, steps * mb), dXP,
                dRec == null ? null : rowRange(dRec, first * mb, steps * mb),
                new CellGradients(g.get(RecurrentParamInitializer.RECURRENT_WEIGHT_KEY),
                        g.get(RecurrentParamInitializer.RECURRENT_BIAS_KEY)));

        Gradient gradient = new DefaultGradient(gradientsFlattened);
        for (String key : conf.getLayer().initializer().paramKeys(conf.getLayer())) {
            gradient.gradientForVariable().put(key, g.get(key));
        }
        // epsilon to the layer below: dX = dXP Wᵀ                                         // [T·mb, nIn]
        INDArray dX = dXProj.mmul(w.transpose()).dup('c').reshape('c', steps, mb, w.size(0));
        return new Pair<>(gradient, dX.permute(1, 2, 0));                                  // [mb, nIn, T]
    }

    private INDArray output(ForwardPass fp, LayerWorkspaceMgr workspaceMgr) {
        INDArray out = fp.outputs.reshape('c', fp.steps, fp.mb, cell.nOut()).permute(1, 2, 0);   // [mb, n, T]
        return workspaceMgr.dup(ArrayType.ACTIVATIONS, permuteIfNWC(out), 'f');
    }

    private void storeLastState(Map<String, INDArray> stateMap, ForwardPass fp) {
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            stateMap.put(STATE_KEY, rows(fp.states, fp.steps, fp.mb).dup());
        }
    }

    /** Rows [t·mb, (t+1)·mb) of a time-major matrix: step t of every example. */
    private static INDArray rows(INDArray timeMajor, long t, long mb) {
        return timeMajor.get(interval(t * mb, (t + 1) * mb), all());
    }

    /** Rows [from, to) as a GEMM-ready array (the whole matrix when the range covers it). */
    private static INDArray rowRange(INDArray a, long from, long to) {
        if (a == null) {
            return null;
        }
        return from == 0 && to == a.size(0) ? a : a.get(interval(from, to), all());
    }

    RNNFormat dataFormat() {
        return layerConf().getRnnDataFormat();
    }
}
