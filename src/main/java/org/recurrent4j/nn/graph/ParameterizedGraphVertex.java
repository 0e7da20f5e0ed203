package org.recurrent4j.nn.graph;

import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.nd4j.linalg.factory.Nd4j;
import org.recurrent4j.compute.Matrix;
import org.recurrent4j.nn.engine.Engines;
import org.recurrent4j.nn.engine.Nd4jViews;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.nn.workspace.ArrayType;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.api.TrainingConfig;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.BaseGraphVertex;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.recurrent4j.nn.params.ParamLayout;

/**
 * Base of the recurrent4j vertex implementations that own parameters: the parameters are views into the graph's one
 * flat parameter vector, the gradients views into its flat gradient vector (so the graph's updater updates them like
 * layer parameters), and the input masks are kept for the forward and backward passes.
 *
 * <p>The vertex's configuration reaches it as DL4J's {@link TrainingConfig} (what {@link #getConfig} must return: the
 * updater, regularisation and gradient normalisation per parameter) and its parameters as a {@link ParamLayout}, both
 * handed over by the configuration's {@code instantiate}.
 */
abstract class ParameterizedGraphVertex extends BaseGraphVertex {
    private final TrainingConfig config;
    private final ParamLayout layout;
    private final INDArray paramsView;
    private final Map<String, INDArray> params;
    private INDArray gradientsView;
    private Map<String, INDArray> grads;
    protected INDArray[] masks;

    /**
     * @param config the vertex configuration, as the training settings of its parameters
     * @param layout the parameters' keys, shapes (in flat-view order) and initialisation
     */
    protected ParameterizedGraphVertex(TrainingConfig config, ParamLayout layout, ComputationGraph graph, String name,
                                       int index, INDArray paramsView, boolean initializeParams, DataType dataType) {
        super(graph, name, index, null, null, dataType);
        this.config = config;
        this.layout = layout;
        this.paramsView = paramsView;
        this.params = views(paramsView);
        if (initializeParams && paramsView != null) {
            layout.initParams(params);
        }
    }

    /** @return views of a flat vector, one per parameter key, in the layout's order */
    private Map<String, INDArray> views(INDArray flat) {
        if (flat == null) {
            return Collections.emptyMap();
        }
        INDArray f = flat.reshape(flat.length());
        Map<String, INDArray> m = new LinkedHashMap<>();
        long offset = 0;
        for (Map.Entry<String, long[]> e : layout.paramShapes().entrySet()) {
            long len = Arrays.stream(e.getValue()).reduce(1, (a, b) -> a * b);
            m.put(e.getKey(), f.get(interval(offset, offset + len)).reshape('f', e.getValue()));   // 'f': gate column blocks stay contiguous
            offset += len;
        }
        if (offset != flat.length()) {
            throw new IllegalStateException(describe() + ": parameter view has length " + flat.length()
                    + ", expected " + offset);
        }
        return m;
    }

    /** @return the gradient views by key (zeroed by the caller before accumulating) */
    protected Map<String, INDArray> gradientViews() {
        if (grads == null && params.isEmpty()) {
            return params;
        }
        if (grads == null) {
            throw new IllegalStateException(describe() + ": no gradient view set (network not initialised for training)");
        }
        return grads;
    }

    /** @return e.g. {@code BahdanauAttentionVertex 'attn'} */
    public String describe() {
        return config.getClass().getSimpleName() + " '" + getVertexName() + "'";
    }

    /**
     * @return the mask of input {@code i}, or null. DL4J does not reset vertex masks when a later call has no masks
     *     at all, so masks count only while the graph holds input masks.
     */
    protected INDArray mask(int i) {
        if (graph != null && graph.getInputMaskArrays() == null) {
            return null;
        }
        return masks == null || masks.length <= i ? null : masks[i];
    }

    @Override
    public void setBackpropGradientsViewArray(INDArray view) {
        this.gradientsView = view;
        this.grads = views(view);
    }

    @Override
    public Pair<INDArray, MaskState> feedForwardMaskArrays(INDArray[] maskArrays, MaskState currentMaskState,
                                                           int minibatchSize) {
        this.masks = maskArrays;
        INDArray out = outputMask(maskArrays);
        return new Pair<>(out, out == null ? null : MaskState.Active);
    }

    /** @return the mask of the output, given the masks of the inputs (may be null) */
    /** The mask passed on to the next vertex: the first input's (queries, target embeddings). */
    protected INDArray outputMask(INDArray[] inputMasks) {
        return inputMasks == null ? null : inputMasks[0];
    }

    @Override
    public boolean canDoBackward() {
        return true;
    }

    /** Runs {@link #forwardOutsideWorkspaces} outside DL4J's workspaces and returns its output as activations. */
    @Override
    public INDArray doForward(boolean training, LayerWorkspaceMgr workspaceMgr) {
        INDArray out;
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            out = forwardOutsideWorkspaces(training);
        }
        return intoWorkspace(workspaceMgr, ArrayType.ACTIVATIONS, out);
    }

    /**
     * @return a copy of {@code a} in the workspace of {@code type}: in the same memory layout when {@code a} is a
     *     time-major sequence (an 'f' [mb, T, size] array's [mb, size, T] view, which DL4J's RnnOutputLayer and our
     *     layers read without another copy; one block copy), else as an 'f' array
     */
    static INDArray intoWorkspace(LayerWorkspaceMgr workspaceMgr, ArrayType type, INDArray a) {
        Matrix view = a.rank() == 3 ? Nd4jViews.timeMajor(a) : null;
        if (view == null || !view.columnMajor() || !view.dense()) {
            return workspaceMgr.dup(type, a, 'f');
        }
        INDArray copy = workspaceMgr.createUninitialized(type, a.dataType(), new long[] {a.size(0), a.size(2),
                a.size(1)}, 'f').permute(0, 2, 1);
        Engines.current().copy(view, Nd4jViews.timeMajor(copy));
        java.lang.ref.Reference.reachabilityFence(a);                    // read through a view until here
        Nd4jViews.written(copy);
        return copy;
    }

    /** The vertex's forward pass; keeps what its backward pass needs when {@code training}. */
    protected abstract INDArray forwardOutsideWorkspaces(boolean training);

    /**
     * Runs {@link #backwardOutsideWorkspaces} outside DL4J's workspaces: the parameter gradients land in the graph's
     * gradient view, the input gradients are returned as activation gradients.
     */
    @Override
    public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
        Gradient g = new DefaultGradient(getGradientsViewArray());
        INDArray[] eps;
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            Map<String, INDArray> grads = gradientViews();
            eps = backwardOutsideWorkspaces(grads);
            grads.forEach((k, v) -> g.gradientForVariable().put(k, v));
        }
        for (int i = 0; i < eps.length; i++) {
            eps[i] = intoWorkspace(workspaceMgr, ArrayType.ACTIVATION_GRAD, eps[i]);
        }
        return new Pair<>(g, eps);
    }

    /**
     * The vertex's backward pass from {@code epsilon}: writes the parameter gradients into {@code grads} (views of the
     * graph's gradient) and returns the gradient for each input.
     */
    protected abstract INDArray[] backwardOutsideWorkspaces(Map<String, INDArray> grads);

    @Override
    public Map<String, INDArray> paramTable(boolean backpropOnly) {
        return params;
    }

    @Override
    public TrainingConfig getConfig() {
        return config;
    }

    @Override
    public INDArray params() {
        return paramsView;
    }

    @Override
    public INDArray getGradientsViewArray() {
        return gradientsView;
    }

    @Override
    public boolean hasLayer() {
        return false;
    }

    @Override
    public Layer getLayer() {
        return null;
    }

    @Override
    public String toString() {
        return describe() + " (" + layout.paramShapes().keySet() + ")";
    }
}
