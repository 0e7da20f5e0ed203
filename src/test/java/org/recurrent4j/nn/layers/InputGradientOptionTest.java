package org.recurrent4j.nn.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.recurrent4j.nn.RecurrentTestSupport.doubleBase;
import static org.recurrent4j.nn.RecurrentTestSupport.features;
import static org.recurrent4j.nn.RecurrentTestSupport.labels;
import static org.recurrent4j.nn.RecurrentTestSupport.rightPaddedMask;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayerWithBackprop;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.transferlearning.FineTuneConfiguration;
import org.deeplearning4j.nn.transferlearning.TransferLearning;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.recurrent4j.conf.RecurrentLayerConf;
import org.recurrent4j.nn.RecurrentTestSupport.Variant;

/**
 * {@code inputGradient(false)}: the first layer of a MultiLayerNetwork skips dL/d(input). Its parameter gradients
 * are DL4J's central differences (double precision, masks of unequal lengths) and bit for bit those of the same
 * network computing dL/d(input); it returns no epsilon; it refuses every place where something would read one, and
 * stays allowed behind DL4J's freezing wrappers at index 0 (TransferLearning, and the restored model's FrozenLayer).
 */
class InputGradientOptionTest {
    private static final long N_IN = 3;
    private static final long N_OUT = 4;
    private static final long CLASSES = 3;
    private static final long STEPS = 5;

    private static RecurrentLayerConf layer(Variant v, long nIn, RNNFormat f, boolean inputGradient) {
        RecurrentLayerConf conf = (RecurrentLayerConf) v.layer(nIn, N_OUT, f);
        conf.setInputGradient(inputGradient);
        return conf;
    }

    /** A softmax output layer over N_OUT units. */
    private static RnnOutputLayer softmaxOutput(RNNFormat f) {
        return new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX)
                .nIn(N_OUT).nOut(CLASSES).dataFormat(f).build();
    }

    /** recurrent (inputGradient as given) → ours again (default) → softmax output, double precision. */
    private static MultiLayerNetwork stack(Variant v, RNNFormat f, boolean inputGradient) {
        MultiLayerNetwork net = new MultiLayerNetwork(doubleBase(12345).list()
                .layer(layer(v, N_IN, f, inputGradient))
                .layer(layer(v, N_OUT, f, true))
                .layer(softmaxOutput(f))
                .build());
        net.init();
        return net;
    }

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (Variant v : Variant.values()) {
            for (RNNFormat f : RNNFormat.values()) {
                cases.add(Arguments.of(v, f));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void parameterGradientsPassTheGradientCheckWithMasksOfUnequalLengths(Variant v, RNNFormat f) {
        MultiLayerNetwork net = stack(v, f, false);
        INDArray m = rightPaddedMask(STEPS, 5, 2, 4);
        assertTrue(GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net)
                .input(features(3, N_IN, STEPS, f, 1)).labels(labels(3, CLASSES, STEPS, f, 2))
                .inputMask(m).labelMask(m)), v + " " + f);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void parameterGradientsAndScoreAreExactlyThoseWithTheInputGradient(Variant v, RNNFormat f) {
        INDArray x = features(3, N_IN, STEPS, f, 3);
        INDArray y = labels(3, CLASSES, STEPS, f, 4);
        INDArray m = rightPaddedMask(STEPS, 5, 3, 1);
        double[][] gradients = new double[2][];
        double[] scores = new double[2];
        for (int i = 0; i < 2; i++) {
            MultiLayerNetwork net = stack(v, f, i == 0);
            net.setInput(x);
            net.setLabels(y);
            net.setLayerMaskArrays(m, m);
            net.computeGradientAndScore();
            gradients[i] = net.gradient().gradient().dup().data().asDouble();
            scores[i] = net.score();
        }
        assertArrayEquals(gradients[0], gradients[1], 0.0, v + " " + f);
        assertEquals(scores[0], scores[1], 0.0);
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void returnsNoEpsilonAndTheNetworkNoInputGradient(Variant v) {
        INDArray x = features(2, N_IN, STEPS, RNNFormat.NCW, 5);
        INDArray y = labels(2, CLASSES, STEPS, RNNFormat.NCW, 6);
        for (boolean inputGradient : new boolean[] {true, false}) {
            MultiLayerNetwork net = stack(v, RNNFormat.NCW, inputGradient);
            Pair<Gradient, INDArray> whole = net.calculateGradients(x, y, null, null);
            org.deeplearning4j.nn.api.Layer first = net.getLayer(0);
            first.activate(x, true, LayerWorkspaceMgr.noWorkspaces());
            Pair<Gradient, INDArray> p = first.backpropGradient(features(2, N_OUT, STEPS, RNNFormat.NCW, 7),
                    LayerWorkspaceMgr.noWorkspaces());
            if (inputGradient) {
                assertNotNull(p.getSecond(), v.toString());
                assertNotNull(whole.getSecond(), v.toString());
            } else {
                assertNull(p.getSecond(), v.toString());
                assertNull(whole.getSecond(), v.toString());
                assertNotNull(p.getFirst().getGradientFor("W"), v.toString());
            }
        }
    }

    @Test
    void refusesAnyOtherIndexOfAMultiLayerNetwork() {
        MultiLayerNetwork net = new MultiLayerNetwork(doubleBase(1).list()
                .layer(layer(Variant.GRU, N_IN, RNNFormat.NCW, true))
                .layer(named(layer(Variant.GRU, N_OUT, RNNFormat.NCW, false), "second"))
                .layer(softmaxOutput(RNNFormat.NCW))
                .build());
        IllegalStateException e = assertThrows(IllegalStateException.class, net::init);
        assertEquals("Gru layer 'second': inputGradient(false) is only for the first layer of a MultiLayerNetwork "
                + "(index 0, alone or frozen), but this layer is built by MultiLayerNetwork at index 1; remove "
                + "inputGradient(false)", e.getMessage());
    }

    @Test
    void refusesAComputationGraph() {
        ComputationGraph graph = new ComputationGraph(doubleBase(1).graphBuilder().addInputs("in")
                .addLayer("rnn", layer(Variant.ELMAN_TANH, N_IN, RNNFormat.NCW, false), "in")
                .addLayer("out", softmaxOutput(RNNFormat.NCW), "rnn")
                .setOutputs("out").build());
        IllegalStateException e = assertThrows(IllegalStateException.class, graph::init);
        assertTrue(e.getMessage().startsWith("ElmanRnn layer 'rnn': inputGradient(false) is only for the first "
                + "layer of a MultiLayerNetwork"), e.getMessage());
        assertTrue(e.getMessage().contains("built by LayerVertex at index 1"), e.getMessage());
    }

    @Test
    void refusesAWrapperEvenAtIndexZero() {
        MultiLayerNetwork net = new MultiLayerNetwork(doubleBase(1).list()
                .layer(new Bidirectional(Bidirectional.Mode.ADD, layer(Variant.GRU, N_IN, RNNFormat.NCW, false)))
                .layer(softmaxOutput(RNNFormat.NCW))
                .build());
        IllegalStateException e = assertThrows(IllegalStateException.class, net::init);
        assertTrue(e.getMessage().contains("built by Bidirectional at index 0"), e.getMessage());
    }

    @Test
    void aFrozenFirstLayerKeepsTheOptionAndItsParametersAndSurvivesModelSerializer(@TempDir Path dir)
            throws Exception {
        INDArray x = features(3, N_IN, STEPS, RNNFormat.NCW, 8);
        INDArray y = labels(3, CLASSES, STEPS, RNNFormat.NCW, 9);
        MultiLayerNetwork frozen = new TransferLearning.Builder(stack(Variant.GRU, RNNFormat.NCW, false))
                .fineTuneConfiguration(new FineTuneConfiguration.Builder().updater(new Sgd(0.1)).build())
                .setFeatureExtractor(0).build();
        assertInstanceOf(org.deeplearning4j.nn.layers.FrozenLayer.class, frozen.getLayer(0));
        INDArray first = frozen.getLayer(0).params().dup();
        INDArray second = frozen.getLayer(1).params().dup();
        frozen.fit(x, y);
        assertEquals(first, frozen.getLayer(0).params(), "the frozen first layer");
        assertNotEquals(second, frozen.getLayer(1).params(), "the layer above trains");
        File file = dir.resolve("frozen.zip").toFile();
        ModelSerializer.writeModel(frozen, file, true);
        MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(file, true);  // built through FrozenLayer
        assertEquals(frozen.output(x), restored.output(x));
        restored.fit(x, y);
        assertEquals(first, restored.getLayer(0).params(), "still frozen after restoring");
    }

    @Test
    void aFirstLayerFrozenWithBackpropTrainsTheRestAsWithTheInputGradient() {
        INDArray x = features(3, N_IN, STEPS, RNNFormat.NCW, 10);
        INDArray y = labels(3, CLASSES, STEPS, RNNFormat.NCW, 11);
        double[][] gradients = new double[2][];
        for (int i = 0; i < 2; i++) {
            MultiLayerNetwork net = new MultiLayerNetwork(doubleBase(12345).list()
                    .layer(new FrozenLayerWithBackprop(layer(Variant.ELMAN_TANH, N_IN, RNNFormat.NCW, i == 0)))
                    .layer(layer(Variant.ELMAN_TANH, N_OUT, RNNFormat.NCW, true))
                    .layer(softmaxOutput(RNNFormat.NCW))
                    .build());
            net.init();
            net.setInput(x);
            net.setLabels(y);
            net.computeGradientAndScore();
            gradients[i] = net.gradient().gradient().dup().data().asDouble();
        }
        assertArrayEquals(gradients[0], gradients[1], 0.0);
    }

    @Test
    void refusesAFrozenLayerAnywhereButIndexZero() {
        MultiLayerNetwork net = new MultiLayerNetwork(doubleBase(1).list()
                .layer(layer(Variant.GRU, N_IN, RNNFormat.NCW, true))
                .layer(new FrozenLayerWithBackprop(layer(Variant.GRU, N_OUT, RNNFormat.NCW, false)))
                .layer(softmaxOutput(RNNFormat.NCW))
                .build());
        IllegalStateException e = assertThrows(IllegalStateException.class, net::init);
        assertTrue(e.getMessage().contains("built by FrozenLayerWithBackprop at index 1"), e.getMessage());
    }

    @Test
    void refusesInputThroughAPreprocessor() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> doubleBase(1).list()
                .layer(layer(Variant.GRU, N_IN, RNNFormat.NCW, false))
                .layer(new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX)
                        .nOut(CLASSES).build())
                .setInputType(InputType.feedForward(N_IN))
                .build());
        assertTrue(e.getMessage().startsWith("Gru layer 'layer0': inputGradient(false) needs recurrent input, but the input "
                + "type InputTypeFeedForward"), e.getMessage());
        assertTrue(e.getMessage().contains("FeedForwardToRnnPreProcessor"), e.getMessage());
    }

    @Test
    void survivesJsonAndModelSerializerAndDefaultsToTrueInOlderJson(@TempDir Path dir) throws Exception {
        MultiLayerNetwork net = stack(Variant.GRU_RESET_AFTER, RNNFormat.NCW, false);
        String json = net.getLayerWiseConfigurations().toJson();
        MultiLayerConfiguration back = MultiLayerConfiguration.fromJson(json);
        assertEquals(net.getLayerWiseConfigurations(), back);
        assertFalse(((RecurrentLayerConf) back.getConf(0).getLayer()).isInputGradient());
        assertTrue(((RecurrentLayerConf) back.getConf(1).getLayer()).isInputGradient());

        String older = json.replaceAll("\"inputGradient\"\\s*:\\s*(true|false)\\s*,?", "");
        assertFalse(older.contains("inputGradient"), "the JSON holds the option under its name");
        assertTrue(((RecurrentLayerConf) MultiLayerConfiguration.fromJson(older).getConf(0).getLayer())
                .isInputGradient());

        File zip = dir.resolve("net.zip").toFile();
        ModelSerializer.writeModel(net, zip, false);
        MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(zip, false);
        assertFalse(((RecurrentLayerConf) restored.getLayerWiseConfigurations().getConf(0).getLayer())
                .isInputGradient());
        assertEquals(net.params(), restored.params());
    }

    private static RecurrentLayerConf named(RecurrentLayerConf conf, String name) {
        conf.setLayerName(name);
        return conf;
    }
}
