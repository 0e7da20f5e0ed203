package org.recurrent4j.nn.convert;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.BidirectionalParamInitializer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Writes a {@link MultiLayerNetwork} of recurrent layers as the {@code state_dict} of the equivalent PyTorch
 * {@code nn.GRU}, {@code nn.RNN} or {@code nn.LSTM}, in an {@code .npz} that {@code numpy.load} reads; the reverse
 * of {@link PyTorchRecurrentImport} (its class documentation has the key mapping and the formulas).
 *
 * <pre>{@code
 * // Java
 * String module = PyTorchRecurrentExport.toNpz(net, Path.of("gru.npz"), "");
 * // module: "nn.GRU(3, 4, num_layers=2, bidirectional=True)"
 *
 * # Python
 * gru = nn.GRU(3, 4, num_layers=2, bidirectional=True, batch_first=True)
 * gru.load_state_dict({k: torch.from_numpy(v) for k, v in numpy.load("gru.npz").items()})
 * }</pre>
 *
 * <p>The network must be what one PyTorch module can be: layers all of one kind, {@code Gru} with
 * {@code resetAfter(true)}, {@code ElmanRnn} with tanh or ReLU, or DL4J {@code LSTM} with tanh and sigmoid gates;
 * all bidirectional ({@code Bidirectional}, CONCAT) or none; one hidden size; no output layer and no input
 * preprocessor. Anything else is refused with a message naming the layer. nn.RNN and nn.LSTM have two biases where
 * our layers have one: bias_ih gets it and bias_hh zeros (PyTorch adds them). The tensors keep the network's data type.
 */
public final class PyTorchRecurrentExport {

    private PyTorchRecurrentExport() {
    }

    /**
     * Writes {@link #toStateDict} into {@code npz}, atomically (a temporary file in the same directory, renamed).
     *
     * @return the Python constructor of the module the file loads into, e.g.
     *         {@code nn.RNN(3, 4, num_layers=1, nonlinearity='relu')} (add {@code batch_first=True} for [mb, T, size] input)
     * @throws IllegalArgumentException if no PyTorch module has the network's structure (the message says why)
     */
    public static String toNpz(MultiLayerNetwork net, Path npz, String keyPrefix) throws IOException {
        TorchModuleShape shape = shapeOf(net);
        NpzFiles.writeAtomically(npz, stateDict(net, shape, keyPrefix));
        return shape.constructor();
    }

    /** @return the state_dict tensors by key ({@code keyPrefix + "weight_ih_l0"}, ...), in PyTorch's order */
    public static Map<String, INDArray> toStateDict(MultiLayerNetwork net, String keyPrefix) {
        return stateDict(net, shapeOf(net), keyPrefix);
    }

    private static Map<String, INDArray> stateDict(MultiLayerNetwork net, TorchModuleShape shape, String keyPrefix) {
        Objects.requireNonNull(keyPrefix, "keyPrefix");
        Map<String, INDArray> m = new LinkedHashMap<>();
        for (int l = 0; l < shape.layers(); l++) {
            for (int d = 0; d < shape.directions(); d++) {
                String paramPrefix = !shape.bidirectional() ? ""
                        : d == 0 ? BidirectionalParamInitializer.FORWARD_PREFIX : BidirectionalParamInitializer.BACKWARD_PREFIX;
                TorchTensors t = shape.module().export(net.getLayer(l), paramPrefix);
                for (String name : TorchTensors.NAMES) {
                    m.put(TorchTensors.key(keyPrefix, name, l, d == 1), t.get(name));
                }
            }
        }
        return m;
    }

    /** @return the module the network is, or throws saying why it is none */
    static TorchModuleShape shapeOf(MultiLayerNetwork net) {
        MultiLayerConfiguration conf = net.getLayerWiseConfigurations();
        int layers = conf.getConfs().size();
        if (layers == 0) {
            throw new IllegalArgumentException("The network has no layers");
        }
        if (!conf.getInputPreProcessors().isEmpty()) {
            throw new IllegalArgumentException("The network has input preprocessors " + conf.getInputPreProcessors()
                    + "; a PyTorch recurrent module feeds each layer's output to the next unchanged");
        }
        TorchModuleShape first = null;
        for (int l = 0; l < layers; l++) {
            TorchModuleShape s = layerShape(conf.getConf(l).getLayer(), l);
            if (first == null) {
                first = s;
            } else if (s.module() != first.module() || s.bidirectional() != first.bidirectional()
                    || s.hiddenSize() != first.hiddenSize() || s.inputSize() != first.layerInputSize(l)) {
                throw new IllegalArgumentException("Layer " + l + " is " + s.constructor() + " but layer 0 is "
                        + first.constructor() + ": one PyTorch module has layers of one kind, direction and hidden size,"
                        + " each fed by the one below");
            }
        }
        return new TorchModuleShape(first.module(), first.inputSize(), first.hiddenSize(), layers, first.bidirectional());
    }

    /** @return one layer as a one-layer module */
    private static TorchModuleShape layerShape(Layer layer, int index) {
        if (layer instanceof BaseOutputLayer) {
            throw new IllegalArgumentException("Layer " + index + " (" + layer.getClass().getSimpleName() + ") is an"
                    + " output layer: only the recurrent layers export (remove it, or export a network without it)");
        }
        try {
            if (layer instanceof Bidirectional bi) {
                if (bi.getMode() != Bidirectional.Mode.CONCAT) {
                    throw new IllegalArgumentException("it is Bidirectional with mode " + bi.getMode()
                            + "; PyTorch's bidirectional modules concatenate the directions (CONCAT)");
                }
                PyTorchRecurrentModule m = PyTorchRecurrentModule.of(bi.getFwd());
                if (PyTorchRecurrentModule.of(bi.getBwd()) != m) {
                    throw new IllegalArgumentException("its two directions are of different kinds");
                }
                return oneLayer(m, bi.getFwd(), true);
            }
            return oneLayer(PyTorchRecurrentModule.of(layer), layer, false);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Layer " + index + ": " + e.getMessage(), e);
        }
    }

    private static TorchModuleShape oneLayer(PyTorchRecurrentModule m, Layer layer, boolean bidirectional) {
        BaseRecurrentLayer r = (BaseRecurrentLayer) layer;
        return new TorchModuleShape(m, r.getNIn(), r.getNOut(), 1, bidirectional);
    }
}
