package org.recurrent4j.conf;

import java.util.Collection;
import java.util.Map;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer;
import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.recurrent4j.nn.layers.RecurrentSequenceLayer;
import org.recurrent4j.nn.params.CellLayout;
import org.recurrent4j.nn.params.RecurrentParamInitializer;
import org.recurrent4j.nn.weights.OrthogonalInit;

/**
 * What {@link ElmanRnn} and {@link Gru} share: the DL4J plumbing (instantiation, parameters, memory report,
 * input validation switch). The only thing a subclass decides is its cell ({@link CellLayout}), which
 * {@code instantiate()} hands to the layer and {@code initializer()} to the parameter initializer.
 */
public abstract class RecurrentLayerConf extends BaseRecurrentLayer {

    /** When true, every forward pass checks its input for NaN/Inf and throws naming the layer. */
    private boolean validateInputValues;

    protected RecurrentLayerConf(Builder<?> builder) {
        super(builder);
        this.validateInputValues = builder.validateInputValues;
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

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners,
                                                       int layerIndex, INDArray layerParamsView,
                                                       boolean initializeParams, DataType networkDataType) {
        LayerValidation.assertNInNOutSet(typeName(), getLayerName(), layerIndex, getNIn(), getNOut());
        return attach(new RecurrentSequenceLayer(conf, networkDataType, cellLayout(), this::isValidateInputValues),
                conf, listeners, layerIndex, layerParamsView, initializer(), initializeParams);
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
                && validateInputValues == other.validateInputValues;
    }

    @Override
    public int hashCode() {
        return 31 * super.hashCode() + Boolean.hashCode(validateInputValues);
    }

    /** Builder options shared by the recurrent layers, in DL4J's builder style. */
    public abstract static class Builder<T extends Builder<T>> extends BaseRecurrentLayer.Builder<T> {
        private boolean validateInputValues;

        /**
         * Check every input for NaN and infinite values and throw an exception naming the layer, the time step
         * and the example (default off: the check costs a pass over the input).
         */
        @SuppressWarnings("unchecked")
        public T validateInputValues(boolean validate) {
            this.validateInputValues = validate;
            return (T) this;
        }
    }
}
