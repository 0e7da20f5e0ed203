package org.recurrent4j.train;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.api.layers.IOutputLayer;
import org.deeplearning4j.nn.api.layers.RecurrentLayer;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.graph.vertex.VertexIndices;
import org.deeplearning4j.nn.graph.vertex.impl.FrozenVertex;
import org.deeplearning4j.nn.graph.vertex.impl.LayerVertex;
import org.deeplearning4j.nn.layers.FrozenLayer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * {@link RecurrentModel} of a {@link ComputationGraph}: vertices run in topological order; the backward pass
 * sums the epsilons of vertices with several consumers, as DL4J's own does.
 */
final class GraphRecurrentModel extends RecurrentModel {

    private final ComputationGraph net;
    private final GraphVertex[] vertices;
    private final int[] order;
    private final SequenceFormats formats;

    GraphRecurrentModel(ComputationGraph net) {
        super(layersInTopologicalOrder(net));
        this.net = net;
        this.vertices = net.getVertices();
        this.order = net.topologicalSortOrder();
        this.formats = formatsOf(net);
        for (String output : net.getConfiguration().getNetworkOutputs()) {
            if (!(net.getVertex(output).getLayer() instanceof IOutputLayer)) {
                throw new IllegalArgumentException("TruncatedBptt: network output \"" + output
                        + "\" must be an output layer (IOutputLayer)");
            }
        }
        if (net.getGradientsViewArray() == null) {
            net.initGradientsView();
        }
    }

    private static List<Layer> layersInTopologicalOrder(ComputationGraph net) {
        List<Layer> layers = new ArrayList<>();
        for (int idx : net.topologicalSortOrder()) {
            GraphVertex v = net.getVertices()[idx];
            if (v.hasLayer()) {
                layers.add(v.getLayer());
            }
        }
        return layers;
    }

    /** Each input's format from the layers reading it (they must agree), each output's from its output layer. */
    private static SequenceFormats formatsOf(ComputationGraph net) {
        List<String> inputs = net.getConfiguration().getNetworkInputs();
        List<String> outputs = net.getConfiguration().getNetworkOutputs();
        RNNFormat[] features = new RNNFormat[inputs.size()];
        for (int i = 0; i < features.length; i++) {
            VertexIndices[] consumers = net.getVertex(inputs.get(i)).getOutputVertices();
            for (int j = 0; consumers != null && j < consumers.length; j++) {
                if (!(net.getVertices()[consumers[j].getVertexIndex()] instanceof LayerVertex reader)) {
                    continue;
                }
                RNNFormat f = SequenceFormats.inputFormat(reader.getLayer().conf().getLayer(), reader.getLayerPreProcessor());
                if (features[i] != null && features[i] != f) {
                    throw new UnsupportedOperationException("TruncatedBptt: input \"" + inputs.get(i) + "\" is read as "
                            + features[i] + " and as " + f + " (by \"" + reader.getVertexName() + "\"); expected one "
                            + "rnnDataFormat for all layers reading one input");
                }
                features[i] = f;
            }
            features[i] = features[i] == null ? RNNFormat.NCW : features[i];
        }
        RNNFormat[] labels = new RNNFormat[outputs.size()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = SequenceFormats.labelFormat(net.getVertex(outputs.get(i)).getLayer().conf().getLayer());
        }
        return new SequenceFormats(features, labels);
    }

    @Override
    Model model() {
        return net;
    }

    @Override
    SequenceFormats formats() {
        return formats;
    }

    @Override
    void advance(SequenceBatch chunk) {
        setInputsAndMasks(chunk);
        forward(chunk, true);
        net.clearLayerMaskArrays();
    }

    @Override
    void computeGradientAndScore(SequenceBatch window) {
        setInputsAndMasks(window);
        net.setLabels(window.labels());
        forward(window, false);

        List<String> outputs = net.getConfiguration().getNetworkOutputs();
        LinkedHashMap<String, Gradient> perVertex = new LinkedHashMap<>();   // reverse topological order
        boolean[] epsilonSet = new boolean[vertices.length];
        for (int i = order.length - 1; i >= 0; i--) {
            GraphVertex v = vertices[order[i]];
            if (v.isInputVertex() || v instanceof FrozenVertex || (v.hasLayer() && v.getLayer() instanceof FrozenLayer)) {
                continue;
            }
            int outputNumber = outputs.indexOf(v.getVertexName());
            if (outputNumber >= 0) {
                ((IOutputLayer) v.getLayer()).setLabels(window.labels()[outputNumber]);
            }
            Pair<Gradient, INDArray[]> p = v instanceof LayerVertex lv && lv.getLayer() instanceof RecurrentLayer r
                    ? backpropRecurrentVertex(lv, r, (int) window.length())
                    : v.doBackward(true, mgr);
            VertexIndices[] inputs = v.getInputVertices();
            for (int j = 0; inputs != null && j < inputs.length; j++) {
                GraphVertex from = vertices[inputs[j].getVertexIndex()];
                INDArray eps = p.getSecond()[j];
                if (epsilonSet[from.getVertexIndex()] && from.getEpsilon() != null && eps != null) {
                    from.setEpsilon(from.getEpsilon().add(eps));
                } else {
                    from.setEpsilon(eps);
                }
                epsilonSet[from.getVertexIndex()] = true;
            }
            if (p.getFirst() != null) {
                perVertex.put(v.getVertexName(), p.getFirst());
            }
        }
        net.setGradient(gradientOf(net.getGradientsViewArray(), reversed(perVertex)));

        double score = net.calcRegularizationScore(true);
        for (String output : outputs) {
            score += ((IOutputLayer) net.getVertex(output).getLayer()).computeScore(0.0, true, mgr);
        }
        net.setScore(score);
        net.clearLayerMaskArrays();
    }

    /**
     * {@code LayerVertex.doBackward} for a recurrent layer, with the layer's backward pass done through its
     * {@link StatefulBackprop} over all {@code backLength} steps of the window, then the vertex's preprocessor.
     */
    private Pair<Gradient, INDArray[]> backpropRecurrentVertex(LayerVertex vertex, RecurrentLayer layer, int backLength) {
        Pair<Gradient, INDArray> p = backpropRecurrent(layer, vertex.getEpsilon(), backLength);
        INDArray eps = p.getSecond();
        if (vertex.getLayerPreProcessor() != null) {
            eps = vertex.getLayerPreProcessor().backprop(eps, net.batchSize(), mgr);
        }
        return new Pair<>(p.getFirst(), new INDArray[]{eps});
    }

    /** Forward pass through all vertices but the output layers, recurrent layers from their TBPTT state. */
    private void forward(SequenceBatch batch, boolean storeLastForTbptt) {
        for (int idx : order) {
            GraphVertex v = vertices[idx];
            if (v.isOutputVertex()) {
                continue;
            }
            INDArray out;
            if (v.isInputVertex()) {
                out = batch.features()[v.getVertexIndex()];
            } else if (v.hasLayer() && v.getLayer() instanceof RecurrentLayer r) {
                // the vertex already applied its preprocessor and set the layer input
                out = activateRecurrent(r, v.getLayer().input(), storeLastForTbptt);
            } else {
                out = v.doForward(true, mgr);
            }
            VertexIndices[] consumers = v.getOutputVertices();
            for (int j = 0; consumers != null && j < consumers.length; j++) {
                vertices[consumers[j].getVertexIndex()].setInput(consumers[j].getVertexEdgeNumber(), out, mgr);
            }
        }
    }

    private void setInputsAndMasks(SequenceBatch batch) {
        net.clearLayerMaskArrays();
        net.setInputs(batch.features());
        net.setLayerMaskArrays(batch.featureMasks(), batch.labelMasks());
    }

    @Override
    void applyUpdater(Gradient gradient, int iteration, int epoch, int minibatchSize) {
        net.getUpdater().update(gradient, iteration, epoch, minibatchSize, mgr);
    }

    @Override
    Collection<TrainingListener> listeners() {
        return net.getListeners();
    }

    @Override
    void incrementEpochCount() {
        net.incrementEpochCount();
    }
}
