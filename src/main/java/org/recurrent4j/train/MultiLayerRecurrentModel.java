package org.recurrent4j.train;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.api.layers.IOutputLayer;
import org.deeplearning4j.nn.api.layers.RecurrentLayer;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.FrozenLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;

/** {@link RecurrentModel} of a {@link MultiLayerNetwork}: the layers run in order, the last one is the output layer. */
final class MultiLayerRecurrentModel extends RecurrentModel {

    private final MultiLayerNetwork net;
    private final SequenceFormats formats;

    MultiLayerRecurrentModel(MultiLayerNetwork net) {
        super(Arrays.asList(net.getLayers()));
        this.net = net;
        this.formats = new SequenceFormats(
                new RNNFormat[]{SequenceFormats.inputFormat(net.getLayer(0).conf().getLayer(),
                        net.getLayerWiseConfigurations().getInputPreProcess(0))},
                new RNNFormat[]{SequenceFormats.labelFormat(net.getOutputLayer().conf().getLayer())});
        if (!(net.getOutputLayer() instanceof IOutputLayer)) {
            throw new IllegalArgumentException("TruncatedBptt: the last layer must be an output layer (IOutputLayer), got "
                    + net.getOutputLayer().getClass().getSimpleName());
        }
        if (net.getGradientsViewArray() == null) {
            net.initGradientsView();
        }
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
        setMasks(chunk);
        forward(chunk, true);
        net.clearLayerMaskArrays();
    }

    @Override
    void computeGradientAndScore(SequenceBatch window) {
        setMasks(window);
        net.setInput(window.features()[0]);
        net.setLabels(window.labels()[0]);
        int n = net.getnLayers();
        Layer outputLayer = net.getOutputLayer();
        outputLayer.setInput(forward(window, false), mgr);
        ((IOutputLayer) outputLayer).setLabels(window.labels()[0]);

        int tbpttLength = (int) window.length();
        LinkedHashMap<String, Gradient> perLayer = new LinkedHashMap<>();   // output layer first
        INDArray epsilon = null;
        for (int i = n - 1; i >= 0; i--) {
            Layer layer = net.getLayer(i);
            if (layer instanceof FrozenLayer) {
                break;
            }
            Pair<Gradient, INDArray> p = layer instanceof RecurrentLayer r
                    ? backpropRecurrent(r, epsilon, tbpttLength)
                    : layer.backpropGradient(epsilon, mgr);
            perLayer.put(String.valueOf(i), p.getFirst());
            epsilon = p.getSecond();
            InputPreProcessor pre = net.getLayerWiseConfigurations().getInputPreProcess(i);
            if (pre != null && i > 0) {
                epsilon = pre.backprop(epsilon, (int) window.minibatchSize(), mgr);
            }
        }
        net.setGradient(gradientOf(net.getGradientsViewArray(), reversed(perLayer)));
        double regularization = net.calcRegularizationScore(true);
        net.setScore(((IOutputLayer) outputLayer).computeScore(regularization, true, mgr));
        net.clearLayerMaskArrays();
    }

    /** Forward through all layers but the output layer; returns the output layer's input. */
    private INDArray forward(SequenceBatch batch, boolean storeLastForTbptt) {
        INDArray x = batch.features()[0];     // [mb, nIn, T] (NCW) or [mb, T, nIn] (NWC)
        int n = net.getnLayers();
        int mb = (int) batch.minibatchSize();
        for (int i = 0; i < n; i++) {
            InputPreProcessor pre = net.getLayerWiseConfigurations().getInputPreProcess(i);
            if (pre != null) {
                x = pre.preProcess(x, mb, mgr);
            }
            if (i == n - 1) {
                break;
            }
            Layer layer = net.getLayer(i);
            x = layer instanceof RecurrentLayer r
                    ? activateRecurrent(r, x, storeLastForTbptt)
                    : layer.activate(x, true, mgr);
        }
        return x;
    }

    private void setMasks(SequenceBatch batch) {
        net.clearLayerMaskArrays();
        INDArray fMask = batch.featureMasks() == null ? null : batch.featureMasks()[0];
        INDArray lMask = batch.labelMasks() == null ? null : batch.labelMasks()[0];
        net.setLayerMaskArrays(fMask, lMask);
    }

    @Override
    void applyUpdater(Gradient gradient, int iteration, int epoch, int minibatchSize) {
        net.getUpdater().update(net, gradient, iteration, epoch, minibatchSize, mgr);
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
