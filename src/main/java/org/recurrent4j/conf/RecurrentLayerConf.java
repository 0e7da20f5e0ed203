package org.recurrent4j.conf;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer;
import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayerWithBackprop;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.recurrent4j.nn.layers.RecurrentSequenceLayer;
import org.recurrent4j.nn.params.CellLayout;
import org.recurrent4j.nn.params.RecurrentParamInitializer;
import org.recurrent4j.nn.weights.OrthogonalInit;

/**
 * What {@link ElmanRnn} and {@link Gru} share: the DL4J plumbing (instantiation, parameters, memory report,
 * input validation switch, whether backpropagation computes the gradient with respect to the input). The only
 * thing a subclass decides is its cell ({@link CellLayout}), which {@code instantiate()} hands to the layer and
 * {@code initializer()} to the parameter initializer.
 */
public abstract class RecurrentLayerConf extends BaseRecurrentLayer {

    /** Callers of {@code instantiate}: which network (or wrapper) builds the layer. */
    private static final StackWalker CALLER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);

    /**
     * DL4J's wrappers that freeze a layer: {@code FrozenLayer} runs no backward pass through it, and
     * {@code FrozenLayerWithBackprop} passes on the epsilon it returns, as the network would.
     */
    private static final Set<Class<?>> FREEZING_WRAPPERS = Set.of(FrozenLayer.class,
            FrozenLayerWithBackprop.class);

    /** When true, every forward pass checks its input for NaN/Inf and throws naming the layer. */
    private boolean validateInputValues;

    /** When false, backpropagation skips dL/d(input) and returns no epsilon (first layer of a network only). */
    private boolean inputGradient = true;

    protected RecurrentLayerConf(Builder<?> builder) {
        super(builder);
        this.validateInputValues = builder.validateInputValues;
        this.inputGradient = builder.inputGradient;
        if (this.weightInitFnRecurrent == null) {
            this.weightInitFnRecurrent = new OrthogonalInit(1.0);
        }
    }

    /** For JSON deserialisation. */
    protected RecurrentLayerConf() {
    }

    /** @return this configuration's cell, with the current nOut and options */
    public abstract CellLayout cellLayout();

    /** @return the short name used in error messages, e.g. "Gru" */
    public String typeName() {
        return getClass().getSimpleName();
    }

    public boolean isValidateInputValues() {
        return validateInputValues;
    }

    public void setValidateInputValues(boolean validateInputValues) {
        this.validateInputValues = validateInputValues;
    }

    /** @return whether backpropagation computes the gradient with respect to the layer's input (default true) */
    public boolean isInputGradient() {
        return inputGradient;
    }

    public void setInputGradient(boolean inputGradient) {
        this.inputGradient = inputGradient;
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners,
                                                       int layerIndex, INDArray layerParamsView,
                                                       boolean initializeParams, DataType networkDataType) {
        LayerValidation.assertNInNOutSet(typeName(), getLayerName(), layerIndex, getNIn(), getNOut());
        if (!inputGradient) {
            // who called instantiate, and who called that
            List<Class<?>> builders = CALLER.walk(frames -> frames.skip(1).limit(2)
                    .<Class<?>>map(StackWalker.StackFrame::getDeclaringClass).toList());
            requireFirstLayerOfMultiLayerNetwork(builders, layerIndex);
        }
        return attach(new RecurrentSequenceLayer(conf, networkDataType, cellLayout(), this::isValidateInputValues,
                inputGradient), conf, listeners, layerIndex, layerParamsView, initializer(), initializeParams);
    }

    /**
     * Without an input gradient the layer returns no epsilon, which only the first layer of a
     * {@link MultiLayerNetwork} may do: training discards that layer's epsilon. Everywhere else something reads it
     * (a layer below, a wrapper such as {@code Bidirectional}, or a {@code ComputationGraph}, which would silently
     * skip the layers below), so the layer refuses to be built there. A freezing wrapper around that first layer
     * (as {@code TransferLearning.setFeatureExtractor(0)} makes) changes nothing about it.
     *
     * @param builders the caller of {@code instantiate} and the caller's caller
     */
    private void requireFirstLayerOfMultiLayerNetwork(List<Class<?>> builders, int layerIndex) {
        Class<?> builtBy = builders.get(0);
        Class<?> network = FREEZING_WRAPPERS.contains(builtBy) && builders.size() > 1 ? builders.get(1) : builtBy;
        if (network != MultiLayerNetwork.class || layerIndex != 0) {
            throw new IllegalStateException(describe() + ": inputGradient(false) is only for the first layer of a "
                    + "MultiLayerNetwork (index 0, alone or frozen), but this layer is built by "
                    + builtBy.getSimpleName() + " at index " + layerIndex + "; remove inputGradient(false)");
        }
    }

    /** A layer with {@code inputGradient(false)} takes recurrent input directly: a preprocessor's backward pass would need the gradient. */
    @Override
    public InputPreProcessor getPreProcessorForInputType(InputType inputType) {
        InputPreProcessor preProcessor = super.getPreProcessorForInputType(inputType);
        if (preProcessor != null && !inputGradient) {
            throw new IllegalStateException(describe() + ": inputGradient(false) needs recurrent input, but the input "
                    + "type " + inputType + " comes through " + preProcessor.getClass().getSimpleName()
                    + ", whose backward pass needs the input gradient; remove inputGradient(false)");
        }
        return preProcessor;
    }

    private String describe() {
        return typeName() + " layer" + (getLayerName() == null ? "" : " '" + getLayerName() + "'");
    }

    /** DL4J's wiring of a new layer: listeners, index, parameter views (initialised if asked) and configuration. */
    static org.deeplearning4j.nn.api.Layer attach(org.deeplearning4j.nn.api.Layer layer, NeuralNetConfiguration conf,
                                                  Collection<TrainingListener> listeners, int layerIndex,
                                                  INDArray layerParamsView, ParamInitializer initializer,
                                                  boolean initializeParams) {
        layer.setListeners(listeners);
        layer.setIndex(layerIndex);
        layer.setParamsViewArray(layerParamsView);
        Map<String, INDArray> params = initializer.init(conf, layerParamsView, initializeParams);
        layer.setParamTable(params);
        layer.setConf(conf);
        return layer;
    }

    @Override
    public ParamInitializer initializer() {
        return new RecurrentParamInitializer(cellLayout());
    }

    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        InputType.InputTypeRecurrent itr = (InputType.InputTypeRecurrent) inputType;
        long t = itr.getTimeSeriesLength() > 0 ? itr.getTimeSeriesLength() : 1;
        CellLayout cell = cellLayout();
        long gn = (long) cell.gates() * getNOut();
        long cache = cell.cacheWidth();
        InputType outputType = getOutputType(-1, inputType);
        return new LayerMemoryReport.Builder(layerName, getClass(), inputType, outputType)
                .standardMemory(initializer().numParams(this), initializer().numParams(this))
                // per example: input projection and state of every step (inference)
                .workingMemory(0, (gn + getNOut()) * t, 0, (gn * 2 + getNOut() * 2 + cache) * t)
                .cacheMemory(MemoryReport.CACHE_MODE_ALL_ZEROS, MemoryReport.CACHE_MODE_ALL_ZEROS)
                .build();
    }

    @Override
    public boolean equals(Object o) {
        return super.equals(o) && o instanceof RecurrentLayerConf other
                && validateInputValues == other.validateInputValues && inputGradient == other.inputGradient;
    }

    @Override
    public int hashCode() {
        return 31 * (31 * super.hashCode() + Boolean.hashCode(validateInputValues)) + Boolean.hashCode(inputGradient);
    }

    /** Builder options shared by the recurrent layers, in DL4J's builder style. */
    public abstract static class Builder<T extends Builder<T>> extends BaseRecurrentLayer.Builder<T> {
        private boolean validateInputValues;
        private boolean inputGradient = true;

        /**
         * Check every input for NaN and infinite values and throw an exception naming the layer, the time step
         * and the example (default off: the check costs a pass over the input).
         */
        @SuppressWarnings("unchecked")
        public T validateInputValues(boolean validate) {
            this.validateInputValues = validate;
            return (T) this;
        }

        /**
         * Whether backpropagation computes dL/d(input), the epsilon a layer passes down (default true). DL4J always
         * asks a layer for it, also where nothing reads it: the first layer of a network trained on raw features.
         * There, {@code inputGradient(false)} saves one product of the input projection's size per training
         * iteration (4–13% of an {@code ElmanRnn} or {@code Gru} iteration at one thread, BENCHMARKS.md), as PyTorch
         * does for inputs that need no gradient. The layer then returns no epsilon (null, like DL4J's embedding
         * layers), so {@code MultiLayerNetwork.calculateGradients} and {@code backpropGradient} return no input
         * gradient either. Only for the first layer of a {@code MultiLayerNetwork} taking recurrent input: the
         * layer refuses to be built anywhere else (another index, a wrapper such as {@code Bidirectional}, a
         * {@code ComputationGraph}) or behind a preprocessor from {@code setInputType}.
         */
        @SuppressWarnings("unchecked")
        public T inputGradient(boolean compute) {
            this.inputGradient = compute;
            return (T) this;
        }
    }
}
