package org.recurrent4j.nn.convert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.recurrent4j.conf.ElmanRnn;
import org.recurrent4j.conf.Gru;
import org.recurrent4j.conf.MaskedLstm;

/**
 * {@link PyTorchRecurrentExport}: import(export(net)) is the same network, the written tensors are PyTorch's
 * (the fixtures' own weights), and networks no PyTorch module expresses are refused. With the environment variable
 * {@code RECURRENT4J_PYTORCH_EXPORT_DIR} set, it also writes random networks' exports and outputs there for
 * {@code src/test/python/check_pytorch_export.py}, which loads them into PyTorch.
 */
class PyTorchRecurrentExportTest {
    @TempDir
    Path tmp;

    static List<String> fixtures() {
        return PyTorchFixtures.names();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void exportThenImportIsTheSameNetwork(String name) throws IOException {
        PyTorchRecurrentModule module = PyTorchFixtures.module(name);
        MultiLayerNetwork net = PyTorchRecurrentImport.fromNpz(PyTorchFixtures.path(name), PyTorchFixtures.PREFIX, module);
        Path out = tmp.resolve("exported.npz");
        String constructor = PyTorchRecurrentExport.toNpz(net, out, "m.");
        assertTrue(constructor.startsWith(module.torchClass() + "(3, 4, num_layers="), constructor);
        try (Stream<Path> files = Files.list(tmp)) {
            assertEquals(List.of(out), files.toList(), "only the npz, no temporary file");
        }
        MultiLayerNetwork back = PyTorchRecurrentImport.fromNpz(out, "m.", module);
        assertEquals(net.params(), back.params());
        Map<String, INDArray> f = PyTorchFixtures.arrays(name);
        assertEquals(net.output(f.get("input"), false, f.get("mask"), null),
                back.output(f.get("input"), false, f.get("mask"), null));
        // the weights are PyTorch's own; the biases add up to PyTorch's (nn.GRU: each its own)
        Map<String, INDArray> exported = NpzFiles.read(out);
        for (Map.Entry<String, INDArray> e : exported.entrySet()) {
            String key = e.getKey().substring("m.".length());
            INDArray original = f.get(PyTorchFixtures.PREFIX + key);
            if (key.startsWith("weight") || module == PyTorchRecurrentModule.GRU) {
                assertEquals(original, e.getValue(), key);
            } else if (key.startsWith("bias_ih")) {
                INDArray sum = original.add(f.get(PyTorchFixtures.PREFIX + key.replace("bias_ih", "bias_hh")));
                assertTrue(PyTorchFixtures.maxAbsDiff(sum, e.getValue()) <= PyTorchFixtures.tolerance(name), key);
            }
        }
    }

    private static MultiLayerNetwork net(Layer... layers) {
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder().seed(7).dataType(DataType.DOUBLE).list();
        for (Layer l : layers) {
            list.layer(l);
        }
        MultiLayerNetwork net = new MultiLayerNetwork(list.build());
        net.init();
        return net;
    }

    private static String refusal(MultiLayerNetwork net) {
        return assertThrows(IllegalArgumentException.class, () -> PyTorchRecurrentExport.toStateDict(net, "")).getMessage();
    }

    @Test
    void refusesWhatNoPyTorchModuleExpresses() {
        assertTrue(refusal(net(new Gru.Builder().nIn(3).nOut(4).build())).contains("resetAfter(false)"));
        assertTrue(refusal(net(new Gru.Builder().nIn(3).nOut(4).resetAfter(true).build(),
                new ElmanRnn.Builder().nIn(4).nOut(4).build())).contains("Layer 1 is nn.RNN"));
        assertTrue(refusal(net(new ElmanRnn.Builder().nIn(3).nOut(4).build(),
                new RnnOutputLayer.Builder().nIn(4).nOut(2).activation(Activation.SOFTMAX).build()))
                .contains("Layer 1 (RnnOutputLayer) is an output layer"));
        assertTrue(refusal(net(new Bidirectional(Bidirectional.Mode.ADD, new MaskedLstm(3, 4))))
                .contains("mode ADD"));
        assertTrue(refusal(net(new ElmanRnn.Builder().nIn(3).nOut(4).activation(Activation.SIGMOID).build()))
                .contains("nn.RNN has only tanh and relu"));
        assertTrue(refusal(net(new ElmanRnn.Builder().nIn(3).nOut(4).build(), new ElmanRnn.Builder().nIn(4).nOut(5).build()))
                .contains("one kind, direction and hidden size"));
    }

    /** Random networks for check_pytorch_export.py: name → network. */
    private static Map<String, MultiLayerNetwork> randomNetworks() {
        Map<String, MultiLayerNetwork> m = new LinkedHashMap<>();
        m.put("gru_l2_bi", net(new Bidirectional(new Gru.Builder().nIn(3).nOut(4).resetAfter(true).build()),
                new Bidirectional(new Gru.Builder().nIn(8).nOut(4).resetAfter(true).build())));
        m.put("rnn_tanh_l2_uni", net(new ElmanRnn.Builder().nIn(3).nOut(4).build(), new ElmanRnn.Builder().nIn(4).nOut(4).build()));
        m.put("rnn_relu_l1_bi", net(new Bidirectional(new ElmanRnn.Builder().nIn(3).nOut(4).activation(Activation.RELU).build())));
        m.put("lstm_l2_bi", net(new Bidirectional(new MaskedLstm(3, 4)), new Bidirectional(new MaskedLstm(8, 4))));
        for (MultiLayerNetwork net : m.values()) {
            Nd4j.getRandom().setSeed(11);
            net.params().addi(Nd4j.randn(DataType.DOUBLE, net.params().shape()).muli(0.3));   // non-zero biases too
        }
        return m;
    }

    /**
     * Writes each random network's export and its masked outputs for {@code check_pytorch_export.py} (into
     * {@code RECURRENT4J_PYTORCH_EXPORT_DIR} when set, else a temporary folder), and checks what was written: the
     * export imports back to a network with the same masked outputs.
     */
    @Test
    void writesExportsForThePyTorchCheck() throws IOException {
        String exportDir = System.getenv("RECURRENT4J_PYTORCH_EXPORT_DIR");
        Path dir = exportDir == null ? tmp.resolve("pytorch-check") : Path.of(exportDir);
        Files.createDirectories(dir);
        Nd4j.getRandom().setSeed(5);
        INDArray x = Nd4j.randn(DataType.DOUBLE, 3, 3, 5);                              // [mb, nIn, T]
        INDArray lengths = Nd4j.createFromArray(5L, 2L, 4L);
        INDArray mask = Nd4j.createFromArray(new double[][] {{1, 1, 1, 1, 1}, {1, 1, 0, 0, 0}, {1, 1, 1, 1, 0}});
        for (Map.Entry<String, MultiLayerNetwork> e : randomNetworks().entrySet()) {
            Path npz = dir.resolve(e.getKey() + ".npz");
            String constructor = PyTorchRecurrentExport.toNpz(e.getValue(), npz, "");
            Map<String, INDArray> io = new LinkedHashMap<>();
            io.put("input", x);
            io.put("lengths", lengths);
            io.put("output_padded", e.getValue().output(x, false, mask, null));         // [mb, D*n, T]
            NpzFiles.writeAtomically(dir.resolve(e.getKey() + ".io.npz"), io);
            System.out.println(e.getKey() + ": " + constructor);

            Map<String, INDArray> written = NpzFiles.read(dir.resolve(e.getKey() + ".io.npz"));
            MultiLayerNetwork back = PyTorchRecurrentImport.fromNpz(npz, "", PyTorchFixtures.module(e.getKey()));
            assertEquals(0.0, PyTorchFixtures.maxAbsDiff(written.get("output_padded"),
                    back.output(written.get("input"), false, mask, null)), 1e-12, e.getKey());
        }
    }
}
