package org.recurrent4j.conf.graph;

import java.util.LinkedHashMap;
import java.util.Map;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.layers.samediff.SDVertexParams;
import org.deeplearning4j.nn.conf.layers.samediff.SameDiffVertex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.recurrent4j.nn.params.ParamLayout;

/**
 * Base of the recurrent4j graph vertices that own parameters. The math is native (hand-written forward and backward
 * in {@code org.recurrent4j.nn}), not SameDiff; this class extends DL4J's {@link SameDiffVertex} only for what DL4J
 * 1.0.0-M2.1 gives vertices of that type and no other: the graph builder's global updater, bias updater,
 * regularisation and gradient normalisation are applied to it ({@code applyGlobalConfig}), and it is the
 * {@link org.deeplearning4j.nn.api.TrainingConfig} the graph's updater reads per parameter. {@link #defineVertex}
 * is therefore never called.
 *
 * <p>Subclasses describe their parameters with a {@link ParamLayout} (keys and shapes in flat-view order, biases,
 * initialisation; {@code org.recurrent4j.nn.params}), name their inputs, and instantiate their implementation, to
 * which they hand the same layout.
 */
public abstract class ParameterizedVertex extends SameDiffVertex {

    /** @return the parameters of this configuration: keys, shapes, biases and initialisation */
    public abstract ParamLayout paramLayout();

    /** @return the names of the vertex inputs, in order */
    public abstract String[] inputNames();

    /** @return parameter key → shape, in the order of the flat parameter view */
    public LinkedHashMap<String, long[]> paramShapes() {
        return paramLayout().paramShapes();
    }

    /** @return whether a parameter is a bias */
    public boolean isBias(String key) {
        return paramLayout().isBias(key);
    }

    /** Initialises the parameter views of a new network. */
    public void initParams(Map<String, INDArray> params) {
        paramLayout().initParams(params);
    }

    /** @return the vertex type and name for messages, e.g. {@code BahdanauAttentionVertex 'attn'} */
    public String describe() {
        String n = getName() == null ? "" : " '" + getName() + "'";
        return getClass().getSimpleName() + n;
    }

    /** Forgets the cached parameter layout; setters call it whenever a size or option changes. */
    protected void layoutChanged() {
        setVertexParams(null);
    }

    @Override
    public void defineParametersAndInputs(SDVertexParams params) {
        for (Map.Entry<String, long[]> e : paramShapes().entrySet()) {
            if (isBias(e.getKey())) {
                params.addBiasParam(e.getKey(), e.getValue());
            } else {
                params.addWeightParam(e.getKey(), e.getValue());
            }
        }
        params.defineInputs(inputNames());
    }

    @Override
    public void initializeParameters(Map<String, INDArray> params) {
        initParams(params);
    }

    @Override
    public SDVariable defineVertex(SameDiff sameDiff, Map<String, SDVariable> layerInput,
                                   Map<String, SDVariable> paramTable, Map<String, SDVariable> maskVars) {
        throw new UnsupportedOperationException(describe() + " is computed natively, not with SameDiff");
    }

    @Override
    public int minVertexInputs() {
        return inputNames().length;
    }

    @Override
    public int maxVertexInputs() {
        return inputNames().length;
    }

    @Override
    public GraphVertex clone() {
        try {
            String json = NeuralNetConfiguration.mapper().writerFor(GraphVertex.class).writeValueAsString(this);
            return NeuralNetConfiguration.mapper().readValue(json, GraphVertex.class);
        } catch (Exception e) {
            throw new IllegalStateException(describe() + ": clone through JSON failed", e);
        }
    }

    /** Equality of the training settings the base class holds (updaters, regularisation, normalisation). */
    protected boolean trainingSettingsEqual(ParameterizedVertex o) {
        return java.util.Objects.equals(getUpdater(), o.getUpdater())
                && java.util.Objects.equals(getBiasUpdater(), o.getBiasUpdater())
                && java.util.Objects.equals(getRegularization(), o.getRegularization())
                && java.util.Objects.equals(getRegularizationBias(), o.getRegularizationBias())
                && java.util.Objects.equals(getGradientNormalization(), o.getGradientNormalization());
    }
}
