package org.recurrent4j.nn.convert;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.BidirectionalParamInitializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds a {@link MultiLayerNetwork} equal to a PyTorch {@code nn.GRU}, {@code nn.RNN} or {@code nn.LSTM} from its
 * {@code state_dict} saved with {@code numpy.savez}. {@link PyTorchRecurrentExport} writes the reverse.
 *
 * <pre>{@code
 * # Python: gru = nn.GRU(3, 4, num_layers=2, bidirectional=True, batch_first=True)
 * numpy.savez("gru.npz", **{k: v.numpy() for k, v in gru.state_dict().items()})
 *
 * // Java
 * MultiLayerNetwork net = PyTorchRecurrentImport.fromNpz(Path.of("gru.npz"), "");
 * INDArray out = net.output(x, false, mask, null);   // x [mb, 3, T], mask [mb, T] → out [mb, 8, T]
 * // nn.RNN(..., nonlinearity='relu'): the state_dict cannot tell, so name it
 * MultiLayerNetwork relu = PyTorchRecurrentImport.fromNpz(Path.of("rnn.npz"), "encoder.rnn.", PyTorchRecurrentModule.RNN_RELU);
 * }</pre>
 *
 * <p><b>Keys.</b> {@code keyPrefix + name + "_l" + k} (+ {@code "_reverse"} for the second direction), name one of
 * {@code weight_ih} [G·n, k_in], {@code weight_hh} [G·n, n], {@code bias_ih} [G·n], {@code bias_hh} [G·n], for
 * layers k = 0 … num_layers − 1 (n = hidden_size, k_in = input_size for layer 0, D·n above with D directions).
 * Keys outside the prefix are ignored (so a whole model's state_dict works with the module's prefix, e.g.
 * {@code "encoder.rnn."}); any other key under the prefix, a missing key, or a wrong shape is an error naming the file,
 * the key, the expected and the actual shape. The module is told from weight_hh_l0's rows: G = 3 {@code nn.GRU},
 * 4 {@code nn.LSTM}, 1 {@code nn.RNN} (read as tanh, PyTorch's default), or named with {@link PyTorchRecurrentModule}.
 * float32 tensors give a FLOAT network, float64 a DOUBLE one.
 *
 * <p><b>The network.</b> One layer per PyTorch layer, NCW ([mb, size, T]), no output layer; bidirectional modules
 * wrap each layer in DL4J's {@link Bidirectional} (CONCAT: forward features first, as PyTorch's output).
 * <ul>
 *   <li>{@code nn.GRU} → {@code Gru} with {@code resetAfter(true)}. PyTorch: {@code r = σ(W_ir x + b_ir + W_hr h + b_hr)},
 *       {@code z' = σ(W_iz x + b_iz + W_hz h + b_hz)}, {@code n = tanh(W_in x + b_in + r ∘ (W_hn h + b_hn))},
 *       {@code h' = (1 − z') ∘ n + z' ∘ h}. Ours: {@code h' = (1 − z) ∘ h + z ∘ c} with {@code z = 1 − z' = σ(−…)}:
 *       W = weight_ih<sup>T</sup> [k_in, 3n], RW = weight_hh<sup>T</sup> [n, 3n], b = bias_ih, RB = bias_hh, blocks r, z, c
 *       in PyTorch's order, the z block negated.</li>
 *   <li>{@code nn.RNN} → {@code ElmanRnn}: {@code h' = act(x W + h RW + b)}, W = weight_ih<sup>T</sup>,
 *       RW = weight_hh<sup>T</sup>, b = bias_ih + bias_hh.</li>
 *   <li>{@code nn.LSTM} → DL4J's LSTM (tanh, sigmoid gates, no peepholes) as {@link org.recurrent4j.conf.MaskedLstm}:
 *       PyTorch's row blocks i, f, g, o become DL4J's column blocks in its order g, f, o, i (the cell input first, the
 *       input gate last; see DL4J's {@code LSTMHelpers}); b = bias_ih + bias_hh.</li>
 * </ul>
 *
 * <p><b>Masks.</b> {@code output(x, false, mask, null)} with a right-padded mask [mb, T] (1 for the first
 * length_i steps) equals PyTorch's {@code pack_padded_sequence} → module → {@code pad_packed_sequence}: zeros at the
 * padded steps, and, bidirectional, each sequence's backward direction starting at its own last real step. DL4J's
 * {@code Bidirectional} reverses the whole time axis of the input and the mask (not each sequence), so the backward
 * layer sees the padding first; that is right only for layers that keep their state at zero through leading masked
 * steps: ours pass the state through a masked step unchanged (from h_0 = 0), and DL4J's LSTM code zeroes it, but
 * DL4J's {@code LSTM} layer never receives the features mask in a forward pass (its {@code feedForwardMaskArray}
 * does not keep it), so it would run through the padding and give wrong backward outputs (and non-zero outputs at
 * padded steps); hence {@code MaskedLstm}, which keeps it. Masks with holes or left padding have no packed-sequence
 * counterpart.
 */
public final class PyTorchRecurrentImport {
    private static final Logger log = LoggerFactory.getLogger(PyTorchRecurrentImport.class);

    private PyTorchRecurrentImport() {
    }

    /**
     * @param npz       a {@code numpy.savez} of an {@code nn.GRU}, {@code nn.RNN} (tanh) or {@code nn.LSTM} state_dict
     * @param keyPrefix what precedes {@code weight_ih_l0} etc. in the keys ({@code ""} for the module's own state_dict)
     * @return the equivalent network (NCW, no output layer), the module told from the tensors' shapes
     * @throws IOException              if the file cannot be read as an npz
     * @throws IllegalArgumentException naming the file, key and shapes if the tensors are not one such module
     */
    public static MultiLayerNetwork fromNpz(Path npz, String keyPrefix) throws IOException {
        return build(TorchStateDict.read(npz, Objects.requireNonNull(keyPrefix, "keyPrefix"), null));
    }

    /**
     * As {@link #fromNpz(Path, String)}, for a named module; needed for {@code nn.RNN(nonlinearity='relu')}
     * ({@link PyTorchRecurrentModule#RNN_RELU}), whose state_dict is the same as a tanh one's.
     *
     * @throws IllegalArgumentException also if the shapes are not those of {@code module}
     */
    public static MultiLayerNetwork fromNpz(Path npz, String keyPrefix, PyTorchRecurrentModule module) throws IOException {
        return build(TorchStateDict.read(npz, Objects.requireNonNull(keyPrefix, "keyPrefix"),
                Objects.requireNonNull(module, "module")));
    }

    private static MultiLayerNetwork build(TorchStateDict sd) {
        TorchModuleShape s = sd.shape();
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder().dataType(sd.dataType()).list();
        for (int l = 0; l < s.layers(); l++) {
            Layer conf = s.module().layerConf(s.layerInputSize(l), s.hiddenSize());
            list.layer(s.bidirectional() ? new Bidirectional(Bidirectional.Mode.CONCAT, conf) : conf);
        }
        MultiLayerNetwork net = new MultiLayerNetwork(list.build());
        net.init();
        for (int l = 0; l < s.layers(); l++) {
            org.deeplearning4j.nn.api.Layer layer = net.getLayer(l);
            if (s.bidirectional()) {
                s.module().load(layer, BidirectionalParamInitializer.FORWARD_PREFIX, sd.direction(l, false));
                s.module().load(layer, BidirectionalParamInitializer.BACKWARD_PREFIX, sd.direction(l, true));
            } else {
                s.module().load(layer, "", sd.direction(l, false));
            }
        }
        log.debug("Imported {} as {} ({})", s.constructor(), net.getLayerWiseConfigurations().getConf(0).getLayer()
                .getClass().getSimpleName(), sd.dataType());
        return net;
    }
}
