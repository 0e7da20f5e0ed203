package org.recurrent4j.nn.convert;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.recurrent4j.conf.Gru;
import org.recurrent4j.nn.params.RecurrentParamInitializer;

/**
 * Loads PyTorch and Keras GRU weights into a {@link Gru} layer, and exports them back.
 *
 * <p>Both frameworks write {@code h_t = (1 − z') ∘ c + z' ∘ h_{t−1}}, ours {@code h_t = (1 − z) ∘ h_{t−1} + z ∘ c};
 * since σ(−a) = 1 − σ(a), {@code z = 1 − z'} exactly when the z block of every weight and bias is negated.
 * <ul>
 *   <li>PyTorch {@code nn.GRU} (one layer, one direction): {@code weight_ih_l0} [3n, nIn], {@code weight_hh_l0} [3n, n],
 *       {@code bias_ih_l0} [3n], {@code bias_hh_l0} [3n], gate order r, z, n. Its candidate is
 *       {@code tanh(W_in x + b_in + r ∘ (W_hn h + b_hn))}: a {@code Gru} with {@code resetAfter(true)}.</li>
 *   <li>Keras {@code GRU}: {@code kernel} [nIn, 3n], {@code recurrent_kernel} [n, 3n], gate order z, r, h;
 *       {@code bias} [2, 3n] (input; recurrent) with {@code reset_after=True} (TF2 default) → {@code resetAfter(true)},
 *       or {@code bias} [3n] with {@code reset_after=False} → {@code resetAfter(false)}.</li>
 * </ul>
 */
public final class GruWeightImport {
    private static final String TORCH_WIH = "weight_ih_l0";
    private static final String TORCH_WHH = "weight_hh_l0";
    private static final String TORCH_BIH = "bias_ih_l0";
    private static final String TORCH_BHH = "bias_hh_l0";

    /** Keras blocks z, r, h → ours r, z, c, the z block negated. */
    private static final GateBlocks KERAS_TO_OURS = new GateBlocks(new int[] {1, 0, 2}, new boolean[] {false, true, false});
    private static final GateBlocks OURS_TO_KERAS = KERAS_TO_OURS.inverse();

    private GruWeightImport() {
    }

    /** Sets a {@code Gru(resetAfter=true)} layer's parameters from PyTorch's {@code nn.GRU} tensors. */
    public static void loadPyTorch(Layer layer, INDArray weightIh, INDArray weightHh, INDArray biasIh, INDArray biasHh) {
        Gru conf = gruConf(layer, true, "PyTorch nn.GRU");
        long n = conf.getNOut();
        long nIn = conf.getNIn();
        expectShape(TORCH_WIH, weightIh, 3 * n, nIn);
        expectShape(TORCH_WHH, weightHh, 3 * n, n);
        expectLength(TORCH_BIH, biasIh, 3 * n);
        expectLength(TORCH_BHH, biasHh, 3 * n);
        PyTorchRecurrentModule.GRU.load(layer, "", new TorchTensors(weightIh, weightHh, biasIh, biasHh));
    }

    /** @return the PyTorch {@code nn.GRU} tensors (keys {@code weight_ih_l0} ...) equivalent to a resetAfter Gru layer */
    public static Map<String, INDArray> toPyTorch(Layer layer) {
        gruConf(layer, true, "PyTorch nn.GRU");
        TorchTensors t = PyTorchRecurrentModule.GRU.export(layer, "");
        Map<String, INDArray> m = new LinkedHashMap<>();
        for (String name : TorchTensors.NAMES) {
            m.put(TorchTensors.key("", name, 0, false), t.get(name));
        }
        return m;
    }

    /**
     * Sets a {@code Gru} layer's parameters from Keras {@code GRU} weights. {@code bias} [2, 3n] needs
     * {@code resetAfter(true)}; {@code bias} [3n] (or [1, 3n]) needs {@code resetAfter(false)}.
     */
    public static void loadKeras(Layer layer, INDArray kernel, INDArray recurrentKernel, INDArray bias) {
        boolean resetAfter = bias.rank() == 2 && bias.size(0) == 2;
        Gru conf = gruConf(layer, resetAfter, resetAfter ? "Keras GRU(reset_after=True)" : "Keras GRU(reset_after=False)");
        long n = conf.getNOut();
        expectShape("kernel", kernel, conf.getNIn(), 3 * n);
        expectShape("recurrent_kernel", recurrentKernel, n, 3 * n);
        if (resetAfter) {
            expectShape("bias", bias, 2, 3 * n);
        } else {
            expectLength("bias", bias, 3 * n);
        }
        LayerParams.assign(layer, RecurrentParamInitializer.WEIGHT_KEY, KERAS_TO_OURS.apply(kernel, n));                  // [nIn, 3n]
        LayerParams.assign(layer, RecurrentParamInitializer.RECURRENT_WEIGHT_KEY, KERAS_TO_OURS.apply(recurrentKernel, n)); // [n, 3n]
        INDArray b = resetAfter ? bias.get(interval(0, 1), all()) : bias.reshape(1, 3 * n);               // [1, 3n]
        LayerParams.assign(layer, RecurrentParamInitializer.BIAS_KEY, KERAS_TO_OURS.apply(b, n));
        if (resetAfter) {
            LayerParams.assign(layer, RecurrentParamInitializer.RECURRENT_BIAS_KEY,
                    KERAS_TO_OURS.apply(bias.get(interval(1, 2), all()), n));
        }
    }

    /** @return Keras {@code GRU} weights (keys {@code kernel}, {@code recurrent_kernel}, {@code bias}) of a Gru layer */
    public static Map<String, INDArray> toKeras(Layer layer) {
        Gru conf = (Gru) layer.conf().getLayer();
        long n = conf.getNOut();
        Map<String, INDArray> m = new LinkedHashMap<>();
        m.put("kernel", OURS_TO_KERAS.apply(layer.getParam(RecurrentParamInitializer.WEIGHT_KEY), n));
        m.put("recurrent_kernel", OURS_TO_KERAS.apply(layer.getParam(RecurrentParamInitializer.RECURRENT_WEIGHT_KEY), n));
        INDArray b = OURS_TO_KERAS.apply(layer.getParam(RecurrentParamInitializer.BIAS_KEY), n);           // [1, 3n]
        if (conf.isResetAfter()) {
            b = Nd4j.vstack(b, OURS_TO_KERAS.apply(layer.getParam(RecurrentParamInitializer.RECURRENT_BIAS_KEY), n));
        } else {
            b = b.reshape(3 * n);
        }
        m.put("bias", b);
        return m;
    }

    private static Gru gruConf(Layer layer, boolean resetAfter, String source) {
        if (!(layer.conf().getLayer() instanceof Gru conf)) {
            throw new IllegalArgumentException("GruWeightImport: expected a Gru layer, got "
                    + layer.conf().getLayer().getClass().getSimpleName());
        }
        if (conf.isResetAfter() != resetAfter) {
            throw new IllegalArgumentException("GruWeightImport: " + source + " weights need a Gru layer with resetAfter("
                    + resetAfter + "); layer '" + conf.getLayerName() + "' has resetAfter(" + conf.isResetAfter() + ")");
        }
        return conf;
    }

    private static void expectShape(String name, INDArray a, long rows, long cols) {
        if (a.rank() != 2 || a.size(0) != rows || a.size(1) != cols) {
            throw new IllegalArgumentException("GruWeightImport: " + name + " must have shape [" + rows + ", " + cols
                    + "]; got " + Arrays.toString(a.shape()));
        }
    }

    private static void expectLength(String name, INDArray a, long length) {
        if (a.length() != length || a.rank() > 2 || (a.rank() == 2 && a.size(0) != 1)) {
            throw new IllegalArgumentException("GruWeightImport: " + name + " must have shape [" + length + "]; got "
                    + Arrays.toString(a.shape()));
        }
    }
}
