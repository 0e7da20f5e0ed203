package org.recurrent4j.nn.convert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.recurrent4j.conf.ElmanRnn;
import org.recurrent4j.conf.Gru;

/**
 * {@link PyTorchRecurrentImport} against PyTorch's own outputs (the committed fixtures, see {@link PyTorchFixtures}):
 * nn.GRU, nn.RNN (tanh, relu) and nn.LSTM, one and two layers, one and two directions, float32 and float64, on the
 * full input and with right-padded masks (PyTorch's packed sequences); and the errors for malformed files.
 */
class PyTorchRecurrentImportTest {
    @TempDir
    Path tmp;

    static java.util.List<String> fixtures() {
        return PyTorchFixtures.names();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void outputsEqualPyTorch(String name) throws IOException {
        Map<String, INDArray> f = PyTorchFixtures.arrays(name);
        PyTorchRecurrentModule module = PyTorchFixtures.module(name);
        MultiLayerNetwork net = module == PyTorchRecurrentModule.RNN_RELU
                ? PyTorchRecurrentImport.fromNpz(PyTorchFixtures.path(name), PyTorchFixtures.PREFIX, module)
                : PyTorchRecurrentImport.fromNpz(PyTorchFixtures.path(name), PyTorchFixtures.PREFIX);
        DataType expectedType = name.endsWith("_f32") ? DataType.FLOAT : DataType.DOUBLE;
        assertEquals(expectedType, net.params().dataType());
        INDArray x = f.get("input");
        double full = PyTorchFixtures.maxAbsDiff(f.get("output_full"), net.output(x, false, null, null));
        double padded = PyTorchFixtures.maxAbsDiff(f.get("output_padded"), net.output(x, false, f.get("mask"), null));
        System.out.printf("PyTorch %-20s max |diff| full %.3e, right-padded %.3e%n", name, full, padded);
        double tol = PyTorchFixtures.tolerance(name);
        assertTrue(full <= tol, name + ": full-length outputs differ from PyTorch's by " + full);
        assertTrue(padded <= tol, name + ": right-padded outputs differ from PyTorch's packed ones by " + padded);
    }

    @Test
    void buildsTheLayersOfTheModule() throws IOException {
        MultiLayerNetwork gru = PyTorchRecurrentImport.fromNpz(PyTorchFixtures.path("gru_l2_bi_f32"), "rnn.");
        assertEquals(2, gru.getnLayers());
        Bidirectional bi = assertInstanceOf(Bidirectional.class, gru.getLayerWiseConfigurations().getConf(1).getLayer());
        assertEquals(Bidirectional.Mode.CONCAT, bi.getMode());
        Gru inner = assertInstanceOf(Gru.class, bi.getFwd());
        assertTrue(inner.isResetAfter());
        assertEquals(8, inner.getNIn());
        assertEquals(4, inner.getNOut());
        MultiLayerNetwork lstm = PyTorchRecurrentImport.fromNpz(PyTorchFixtures.path("lstm_l1_uni_f64"), "rnn.");
        assertInstanceOf(LSTM.class, lstm.getLayerWiseConfigurations().getConf(0).getLayer());
        MultiLayerNetwork rnn = PyTorchRecurrentImport.fromNpz(PyTorchFixtures.path("rnn_tanh_l1_uni_f64"), "rnn.");
        assertInstanceOf(ElmanRnn.class, rnn.getLayerWiseConfigurations().getConf(0).getLayer());
    }

    /** Writes a fixture's state_dict with some tensors replaced (null removes) and returns the file. */
    private Path altered(String fixture, Map<String, INDArray> changes) throws IOException {
        Map<String, INDArray> m = new LinkedHashMap<>(PyTorchFixtures.arrays(fixture));
        changes.forEach((k, v) -> {
            if (v == null) {
                m.remove(k);
            } else {
                m.put(k, v);
            }
        });
        Path p = tmp.resolve("altered.npz");
        NpzFiles.writeAtomically(p, m);
        return p;
    }

    private static Map<String, INDArray> change(String key, INDArray value) {
        Map<String, INDArray> m = new LinkedHashMap<>();
        m.put(key, value);
        return m;
    }

    private static String importError(Path npz, String prefix) {
        return assertThrows(IllegalArgumentException.class, () -> PyTorchRecurrentImport.fromNpz(npz, prefix)).getMessage();
    }

    private static void assertMentions(String message, String... parts) {
        for (String part : parts) {
            assertTrue(message.contains(part), "message lacks '" + part + "': " + message);
        }
    }

    @Test
    void missingKeyIsNamedWithItsExpectedShape() throws IOException {
        Path p = altered("gru_l2_bi_f32", change("rnn.bias_hh_l1_reverse", null));
        assertMentions(importError(p, "rnn."), p.toString(), "missing", "'rnn.bias_hh_l1_reverse'", "[12]");
    }

    @Test
    void wrongShapeIsNamedWithExpectedAndActual() throws IOException {
        Path p = altered("lstm_l2_uni_f64", change("rnn.weight_ih_l1", Nd4j.zeros(DataType.DOUBLE, 16, 5)));
        assertMentions(importError(p, "rnn."), p.toString(), "'rnn.weight_ih_l1'", "[16, 5]", "expected [16, 4]");
        Path bias = altered("rnn_tanh_l1_uni_f32", change("rnn.bias_ih_l0", Nd4j.zeros(DataType.FLOAT, 1, 4)));
        assertMentions(importError(bias, "rnn."), "'rnn.bias_ih_l0'", "[1, 4]", "expected [4]");
    }

    @Test
    void unknownKeyUnderThePrefixIsNamedWithItsShape() throws IOException {
        Path p = altered("lstm_l1_uni_f32", change("rnn.weight_hr_l0", Nd4j.zeros(DataType.FLOAT, 2, 4)));
        assertMentions(importError(p, "rnn."), p.toString(), "unknown", "'rnn.weight_hr_l0'", "[2, 4]", "weight_ih_l<k>");
        // with the empty prefix every key is under it: a state_dict saved with the input beside it
        Map<String, INDArray> stateAndInput = new LinkedHashMap<>();
        PyTorchFixtures.arrays("gru_l1_uni_f32").forEach((k, v) -> {
            if (k.startsWith("rnn.")) {
                stateAndInput.put(k.substring("rnn.".length()), v);
            }
        });
        stateAndInput.put("input", Nd4j.zeros(DataType.FLOAT, 3, 3, 5));
        Path unprefixed = tmp.resolve("unprefixed.npz");
        NpzFiles.writeAtomically(unprefixed, stateAndInput);
        assertMentions(importError(unprefixed, ""), "unknown", "'input'", "[3, 3, 5]");
    }

    @Test
    void moduleThatTheShapesDoNotTellIsRefused() throws IOException {
        Path p = altered("gru_l1_uni_f32", change("rnn.weight_hh_l0", Nd4j.zeros(DataType.FLOAT, 8, 4)));
        assertMentions(importError(p, "rnn."), "cannot tell", "'rnn.weight_hh_l0'", "[8, 4]");
    }

    @Test
    void namedModuleMustMatchTheShapes() {
        String message = assertThrows(IllegalArgumentException.class, () -> PyTorchRecurrentImport.fromNpz(
                PyTorchFixtures.path("gru_l1_uni_f32"), "rnn.", PyTorchRecurrentModule.LSTM)).getMessage();
        assertMentions(message, "'rnn.weight_ih_l0'", "[12, 3]", "expected [16, 3]", "nn.LSTM");
    }

    @Test
    void prefixWithoutTensorsIsRefused() {
        assertMentions(importError(PyTorchFixtures.path("gru_l1_uni_f32"), "encoder."), "no tensor", "'encoder.'");
    }

    @Test
    void missingFileIsAnIoError() {
        Path p = tmp.resolve("absent.npz");
        IOException e = assertThrows(IOException.class, () -> PyTorchRecurrentImport.fromNpz(p, ""));
        assertMentions(e.getMessage(), p.toString());
    }

    @Test
    void detectionReadsAPlainRnnAsTanh() throws IOException {
        MultiLayerNetwork net = PyTorchRecurrentImport.fromNpz(PyTorchFixtures.path("rnn_relu_l2_bi_f64"), "rnn.");
        ElmanRnn fwd = (ElmanRnn) ((Bidirectional) net.getLayerWiseConfigurations().getConf(0).getLayer()).getFwd();
        assertEquals("tanh", fwd.getActivationFn().toString());
        assertTrue(Arrays.asList(PyTorchRecurrentModule.values()).contains(PyTorchRecurrentModule.RNN_RELU));
    }
}
