package org.recurrent4j.nn.convert;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The PyTorch fixtures under {@code src/test/resources/org/recurrent4j/nn/convert/pytorch}, written by
 * {@code src/test/python/generate_pytorch_recurrent_fixtures.py}: per file a module's state_dict under the key prefix
 * {@code "rnn."}, and {@code input} [mb, nIn, T], {@code mask} [mb, T], {@code output_full} and {@code output_padded}
 * [mb, D·n, T] (NCW).
 */
final class PyTorchFixtures {
    static final String PREFIX = "rnn.";
    private static final String DIR = "/org/recurrent4j/nn/convert/pytorch/";

    private PyTorchFixtures() {
    }

    /** @return the fixture names, e.g. {@code gru_l2_bi_f32} */
    static List<String> names() {
        List<String> names = new ArrayList<>();
        for (String kind : List.of("gru", "rnn_tanh", "lstm")) {
            for (String layers : List.of("l1", "l2")) {
                for (String dir : List.of("uni", "bi")) {
                    names.add(kind + "_" + layers + "_" + dir);
                }
            }
        }
        names.add("rnn_relu_l2_bi");
        List<String> all = new ArrayList<>();
        for (String n : names) {
            all.add(n + "_f32");
            all.add(n + "_f64");
        }
        return all;
    }

    static Path path(String name) {
        try {
            return Path.of(PyTorchFixtures.class.getResource(DIR + name + ".npz").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Map<String, INDArray> arrays(String name) throws IOException {
        return NpzFiles.read(path(name));
    }

    /** @return the module a fixture holds: the relu nn.RNN must be named, the others are told from the shapes */
    static PyTorchRecurrentModule module(String name) {
        return name.startsWith("gru") ? PyTorchRecurrentModule.GRU : name.startsWith("lstm") ? PyTorchRecurrentModule.LSTM
                : name.startsWith("rnn_relu") ? PyTorchRecurrentModule.RNN_RELU : PyTorchRecurrentModule.RNN_TANH;
    }

    /** @return 1e-6 for float32 fixtures, 1e-12 for float64 */
    static double tolerance(String name) {
        return name.endsWith("_f32") ? 1e-6 : 1e-12;
    }

    static double maxAbsDiff(INDArray expected, INDArray actual) {
        if (!java.util.Arrays.equals(expected.shape(), actual.shape())) {
            throw new AssertionError("shape " + java.util.Arrays.toString(actual.shape()) + ", expected "
                    + java.util.Arrays.toString(expected.shape()));
        }
        return expected.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE)
                .sub(actual.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE)).amaxNumber().doubleValue();
    }
}
