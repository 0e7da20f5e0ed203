package org.recurrent4j.nn.convert;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The tensors of one PyTorch recurrent module in an npz, under a key prefix, checked: every expected key present,
 * with its shape and one floating-point data type, and no other key under the prefix. Each error names the file,
 * the key, and the expected and actual shape.
 */
final class TorchStateDict {
    private static final Pattern KEY = Pattern.compile("(weight_ih|weight_hh|bias_ih|bias_hh)_l(\\d+)(_reverse)?");
    private static final String KEY_FORMS = "weight_ih_l<k>, weight_hh_l<k>, bias_ih_l<k>, bias_hh_l<k>,"
            + " with the suffix _reverse for the second direction";

    private final Path file;
    private final String prefix;
    private final Map<String, INDArray> tensors;
    private final TorchModuleShape shape;

    private TorchStateDict(Path file, String prefix, Map<String, INDArray> tensors, TorchModuleShape shape) {
        this.file = file;
        this.prefix = prefix;
        this.tensors = tensors;
        this.shape = shape;
    }

    /**
     * Reads and checks the tensors under {@code prefix}.
     *
     * @param module the module the tensors are of, or null to tell it from the shapes
     * @throws IllegalArgumentException naming the file and key if the tensors do not form one such module
     */
    static TorchStateDict read(Path npz, String prefix, PyTorchRecurrentModule module) throws IOException {
        Map<String, INDArray> all = NpzFiles.read(npz);
        Map<String, INDArray> under = new TreeMap<>();
        all.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                under.put(k, v);
            }
        });
        if (under.isEmpty()) {
            throw new IllegalArgumentException(npz + ": no tensor under the key prefix '" + prefix + "'; the file holds "
                    + all.keySet());
        }
        int layers = 0;
        boolean bidirectional = false;
        for (Map.Entry<String, INDArray> e : under.entrySet()) {
            Matcher m = KEY.matcher(e.getKey().substring(prefix.length()));
            if (!m.matches()) {
                throw new IllegalArgumentException(npz + ": unknown tensor '" + e.getKey() + "' (shape "
                        + Arrays.toString(e.getValue().shape()) + ") under the key prefix '" + prefix
                        + "': expected no such key, only " + KEY_FORMS + " (nn.LSTM's proj_size and bias=False are"
                        + " not supported)");
            }
            layers = Math.max(layers, Integer.parseInt(m.group(2)) + 1);
            bidirectional |= m.group(3) != null;
        }
        INDArray weightHh = first(npz, under, TorchTensors.key(prefix, TorchTensors.WEIGHT_HH, 0, false), "[G·n, n]");
        INDArray weightIh = first(npz, under, TorchTensors.key(prefix, TorchTensors.WEIGHT_IH, 0, false), "[G·n, input_size]");
        long n = weightHh.size(1);
        PyTorchRecurrentModule m = module != null ? module : detect(npz, prefix, weightHh);
        TorchModuleShape shape = new TorchModuleShape(m, weightIh.size(1), n, layers, bidirectional);
        TorchStateDict sd = new TorchStateDict(npz, prefix, under, shape);
        sd.check(weightIh.dataType());
        return sd;
    }

    /** @return the checked structure */
    TorchModuleShape shape() {
        return shape;
    }

    /** @return the data type of the tensors (all the same) */
    DataType dataType() {
        return tensors.get(TorchTensors.key(prefix, TorchTensors.WEIGHT_IH, 0, false)).dataType();
    }

    /** @return the tensors of one direction of one layer */
    TorchTensors direction(int layer, boolean reverse) {
        INDArray[] t = new INDArray[TorchTensors.NAMES.length];
        for (int i = 0; i < t.length; i++) {
            t[i] = tensors.get(TorchTensors.key(prefix, TorchTensors.NAMES[i], layer, reverse));
        }
        return new TorchTensors(t[0], t[1], t[2], t[3]);
    }

    private static INDArray first(Path npz, Map<String, INDArray> under, String key, String expected) {
        INDArray a = under.get(key);
        if (a == null) {
            throw new IllegalArgumentException(npz + ": missing tensor '" + key + "' (expected shape " + expected
                    + ", the first layer's; the keys under the prefix are " + under.keySet() + ")");
        }
        if (a.rank() != 2) {
            throw new IllegalArgumentException(npz + ": tensor '" + key + "' has shape " + Arrays.toString(a.shape())
                    + "; expected " + expected);
        }
        return a;
    }

    /** The module from weight_hh_l0 [G·n, n]: G = 1 nn.RNN (tanh), 3 nn.GRU, 4 nn.LSTM. */
    private static PyTorchRecurrentModule detect(Path npz, String prefix, INDArray weightHh) {
        long rows = weightHh.size(0);
        long n = weightHh.size(1);
        PyTorchRecurrentModule m = n > 0 && rows % n == 0 ? PyTorchRecurrentModule.ofGates(rows / n) : null;
        if (m == null) {
            throw new IllegalArgumentException(npz + ": cannot tell the module from tensor '"
                    + TorchTensors.key(prefix, TorchTensors.WEIGHT_HH, 0, false) + "' of shape "
                    + Arrays.toString(weightHh.shape()) + ": expected [G·n, n] with G = 1 (nn.RNN), 3 (nn.GRU) or"
                    + " 4 (nn.LSTM)");
        }
        return m;
    }

    private void check(DataType dataType) {
        if (!dataType.isFPType()) {
            throw new IllegalArgumentException(file + ": tensor '" + TorchTensors.key(prefix, TorchTensors.WEIGHT_IH, 0, false)
                    + "' has data type " + dataType + "; expected floating point");
        }
        for (int l = 0; l < shape.layers(); l++) {
            for (int d = 0; d < shape.directions(); d++) {
                for (String name : TorchTensors.NAMES) {
                    checkTensor(TorchTensors.key(prefix, name, l, d == 1), shape.tensorShape(name, l), dataType);
                }
            }
        }
    }

    private void checkTensor(String key, long[] expected, DataType dataType) {
        INDArray a = tensors.get(key);
        if (a == null) {
            throw new IllegalArgumentException(file + ": missing tensor '" + key + "' (expected shape "
                    + Arrays.toString(expected) + ") of " + shape.constructor());
        }
        if (!Arrays.equals(a.shape(), expected)) {
            throw new IllegalArgumentException(file + ": tensor '" + key + "' has shape " + Arrays.toString(a.shape())
                    + "; expected " + Arrays.toString(expected) + " for " + shape.constructor());
        }
        if (a.dataType() != dataType) {
            throw new IllegalArgumentException(file + ": tensor '" + key + "' has data type " + a.dataType()
                    + "; expected " + dataType + " like the others");
        }
    }
}
