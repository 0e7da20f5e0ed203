package org.recurrent4j.nn.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.recurrent4j.conf.Gru;
import org.recurrent4j.conf.RnnSoftmaxOutput;
import org.recurrent4j.nn.loss.SoftmaxCrossEntropy;

/**
 * {@link RnnSoftmaxOutput} computes what DL4J's {@code RnnOutputLayer} with the same loss computes: the score, every
 * gradient (the recurrent layer below receives its epsilon) and the parameters after Adam steps, in NCW and NWC, with
 * one-hot and class-index labels, label masks of unequal lengths, label smoothing and dropout, in a
 * {@code MultiLayerNetwork} and a {@code ComputationGraph}; it passes DL4J's gradient check in double precision; its
 * configuration survives JSON and {@code ModelSerializer}; another loss or activation is refused.
 */
class RnnSoftmaxOutputTest {
    private static final int N_IN = 3;
    private static final int HIDDEN = 4;
    private static final int CLASSES = 5;
    private static final int MB = 3;
    private static final int STEPS = 6;
    private static final int[] LENGTHS = {6, 2, 4};

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (DataType type : new DataType[] {DataType.DOUBLE, DataType.FLOAT}) {
            for (RNNFormat format : RNNFormat.values()) {
                for (boolean sparse : new boolean[] {false, true}) {
                    for (boolean masked : new boolean[] {false, true}) {
                        cases.add(Arguments.of(type, format, sparse, masked, 0.0, 0.0));
                    }
                }
            }
            cases.add(Arguments.of(type, RNNFormat.NCW, true, true, 0.1, 0.0));
            cases.add(Arguments.of(type, RNNFormat.NWC, false, true, 0.0, 0.3));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {1} sparse={2} masked={3} smoothing {4} dropout {5}")
    @MethodSource("cases")
    void scoreGradientsAndAdamStepsEqualDl4jsRnnOutputLayer(DataType type, RNNFormat format, boolean sparse,
                                                           boolean masked, double smoothing, double dropout) {
        Problem p = problem(type, format, sparse, masked);
        MultiLayerNetwork ours = network(type, format, sparse, smoothing, dropout, true);
        MultiLayerNetwork dl4j = network(type, format, sparse, smoothing, dropout, false);
        assertInstanceOf(RnnSoftmaxOutputLayer.class, ours.getOutputLayer());
        assertEquals(dl4j.params(), ours.params(), "the same initial parameters");
        double tol = type == DataType.DOUBLE ? 1e-12 : 2e-6;
        for (MultiLayerNetwork net : new MultiLayerNetwork[] {ours, dl4j}) {
            Nd4j.getRandom().setSeed(7);                                        // the same dropout masks
            net.setInput(p.features());
            net.setLabels(p.labels());
            net.setLayerMaskArrays(null, p.mask());
            net.computeGradientAndScore();
        }
        if (dropout == 0) {
            assertClose(dl4j.score(), ours.score(), tol, "score");
        } else {
            assertTrue(ours.score() != dl4j.score(), "with dropout, ours scores the dropped-out input");
        }
        dl4j.gradient().gradientForVariable().forEach((key, g) ->
                assertClose(g, ours.gradient().getGradientFor(key), tol, "gradient of " + key));
        for (int step = 0; step < 3; step++) {
            for (MultiLayerNetwork net : new MultiLayerNetwork[] {ours, dl4j}) {
                Nd4j.getRandom().setSeed(8 + step);
                net.fit(p.features(), p.labels(), null, p.mask());
            }
            if (dropout == 0) {
                assertClose(dl4j.score(), ours.score(), tol, "fit's score, step " + step);
            }
            assertClose(dl4j.params(), ours.params(), tol * 10, "parameters after Adam step " + step);
        }
        DataSet data = new DataSet(p.features(), p.labels(), null, p.mask());
        assertClose(dl4j.score(data), ours.score(data), tol, "score(DataSet) at test time");
        assertClose(dl4j.output(p.features()), ours.output(p.features()), tol, "output");
    }

    @ParameterizedTest(name = "new {0}")
    @CsvSource({"input", "labels", "mask"})
    void aScoreAfterABackwardPassIsOfTheDataItIsAskedFor(String changed) {
        Problem p = problem(DataType.DOUBLE, RNNFormat.NCW, true, true);
        MultiLayerNetwork[] nets = {network(DataType.DOUBLE, RNNFormat.NCW, true, 0, 0, true),
                network(DataType.DOUBLE, RNNFormat.NCW, true, 0, 0, false)};
        org.deeplearning4j.nn.api.Layer[] layers = new org.deeplearning4j.nn.api.Layer[2];
        for (int k = 0; k < 2; k++) {
            nets[k].initGradientsView();
            layers[k] = nets[k].getOutputLayer();
        }
        INDArray hidden = Nd4j.rand(DataType.DOUBLE, MB, HIDDEN, STEPS);                 // [mb, nIn, T]
        double[] scores = new double[2];
        for (int k = 0; k < 2; k++) {
            org.deeplearning4j.nn.layers.BaseOutputLayer<?> out = (org.deeplearning4j.nn.layers.BaseOutputLayer<?>)
                    layers[k];
            LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
            out.setInput(hidden, mgr);
            out.setLabels(p.labels());
            out.setMaskArray(p.mask());
            out.backpropGradient(null, mgr);
            switch (changed) {
                case "input" -> out.setInput(hidden.mul(0.5), mgr);
                case "labels" -> out.setLabels(p.labels().rsub(CLASSES - 1));
                default -> out.setMaskArray(Nd4j.ones(DataType.DOUBLE, MB, STEPS));
            }
            scores[k] = out.computeScore(0, true, mgr);
        }
        assertClose(scores[1], scores[0], 1e-12, "score after a new " + changed);
    }

    @ParameterizedTest(name = "{0} sparse={1} smoothing {2}")
    @CsvSource({"NCW, false, 0", "NCW, true, 0", "NWC, false, 0", "NWC, true, 0.1"})
    void gradientCheckPassesWithLabelsOfUnequalLengths(RNNFormat format, boolean sparse, double smoothing) {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        Problem p = problem(DataType.DOUBLE, format, sparse, true);
        MultiLayerNetwork net = network(DataType.DOUBLE, format, sparse, smoothing, 0, true, new NoOp());
        assertTrue(GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net).input(p.features())
                .labels(p.labels()).labelMask(p.mask())), "gradient check " + format + " sparse=" + sparse);
    }

    @ParameterizedTest(name = "sparse={0}")
    @CsvSource({"false", "true"})
    void aComputationGraphWithLabelMasksTrainsAsWithDl4jsLayer(boolean sparse) {
        Problem p = problem(DataType.DOUBLE, RNNFormat.NCW, sparse, true);
        ComputationGraph ours = graph(sparse, true);
        ComputationGraph dl4j = graph(sparse, false);
        assertEquals(dl4j.params(), ours.params(), "the same initial parameters");
        for (ComputationGraph g : new ComputationGraph[] {ours, dl4j}) {
            g.setInputs(p.features());
            g.setLabels(p.labels());
            g.setLayerMaskArrays(null, new INDArray[] {p.mask()});
            g.computeGradientAndScore();
        }
        assertClose(dl4j.score(), ours.score(), 1e-12, "score");
        dl4j.gradient().gradientForVariable().forEach((key, g) ->
                assertClose(g, ours.gradient().getGradientFor(key), 1e-12, "gradient of " + key));
        org.nd4j.linalg.dataset.MultiDataSet batch = new org.nd4j.linalg.dataset.MultiDataSet(
                new INDArray[] {p.features()}, new INDArray[] {p.labels()}, null, new INDArray[] {p.mask()});
        for (int step = 0; step < 3; step++) {
            ours.fit(batch);
            dl4j.fit(batch);
            assertClose(dl4j.score(), ours.score(), 1e-12, "fit's score, step " + step);
        }
        assertClose(dl4j.params(), ours.params(), 1e-11, "parameters after three Adam steps");
    }

    @Test
    void jsonAndModelSerializerKeepTheLayer(@TempDir Path dir) throws IOException {
        MultiLayerNetwork net = network(DataType.FLOAT, RNNFormat.NWC, true, 0.1, 0, true);
        MultiLayerConfiguration back = MultiLayerConfiguration.fromJson(net.getLayerWiseConfigurations().toJson());
        RnnSoftmaxOutput layer = assertInstanceOf(RnnSoftmaxOutput.class, back.getConf(1).getLayer());
        assertEquals(RNNFormat.NWC, layer.getRnnDataFormat());
        assertEquals(0.1, layer.softmaxCrossEntropy().getLabelSmoothing());
        assertEquals(net.getLayerWiseConfigurations(), back);
        File file = dir.resolve("net.zip").toFile();
        ModelSerializer.writeModel(net, file, true);
        MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(file, true);
        assertInstanceOf(RnnSoftmaxOutputLayer.class, restored.getOutputLayer());
        Problem p = problem(DataType.FLOAT, RNNFormat.NWC, true, false);
        assertEquals(net.output(p.features()), restored.output(p.features()));
    }

    @Test
    void anotherLossOrActivationIsRefusedNamingTheLayer() {
        IllegalArgumentException loss = assertThrows(IllegalArgumentException.class, () ->
                new RnnSoftmaxOutput.Builder().lossFunction(LossFunctions.LossFunction.MCXENT).name("out")
                        .nIn(2).nOut(3).build());
        assertTrue(loss.getMessage().contains("RnnSoftmaxOutput layer 'out'")
                && loss.getMessage().contains("SoftmaxCrossEntropy"), loss.getMessage());
        IllegalArgumentException act = assertThrows(IllegalArgumentException.class, () ->
                new RnnSoftmaxOutput.Builder().activation(Activation.TANH).nIn(2).nOut(3).build());
        assertTrue(act.getMessage().contains("softmax") && act.getMessage().contains("tanh"), act.getMessage());
    }

    @Test
    void labelsOfAnotherLengthAreRefusedNamingTheLayerAndBothShapes() {
        Problem p = problem(DataType.DOUBLE, RNNFormat.NCW, true, false);
        MultiLayerNetwork net = network(DataType.DOUBLE, RNNFormat.NCW, true, 0, 0, true);
        INDArray shortLabels = p.labels().get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 4));
        net.setInput(p.features());
        net.setLabels(shortLabels);
        RuntimeException e = assertThrows(RuntimeException.class, net::computeGradientAndScore);
        assertTrue(e.getMessage().contains("RnnSoftmaxOutputLayer") || e.getMessage().contains("layer"),
                e.getMessage());
        assertTrue(e.getMessage().contains("[3, 1, 4]") && e.getMessage().contains("6 steps"), e.getMessage());
    }

    // ------------------------------------------------------------------------------------------------

    private record Problem(INDArray features, INDArray labels, INDArray mask) {
    }

    private static Problem problem(DataType type, RNNFormat format, boolean sparse, boolean masked) {
        Nd4j.getRandom().setSeed(3);
        INDArray x = Nd4j.randn(type, MB, N_IN, STEPS);                                    // [mb, nIn, T]
        INDArray y = Nd4j.zeros(type, MB, sparse ? 1 : CLASSES, STEPS);
        INDArray mask = masked ? Nd4j.zeros(type, MB, STEPS) : null;
        Random r = new Random(4);
        for (int i = 0; i < MB; i++) {
            for (int t = 0; t < STEPS; t++) {
                int k = r.nextInt(CLASSES);
                y.putScalar(sparse ? new long[] {i, 0, t} : new long[] {i, k, t}, sparse ? k : 1);
                if (masked) {
                    mask.putScalar(i, t, t < LENGTHS[i] ? 1 : 0);
                }
            }
        }
        if (format == RNNFormat.NWC) {
            x = x.permute(0, 2, 1).dup('c');
            y = y.permute(0, 2, 1).dup('c');
        }
        return new Problem(x, y, mask);
    }

    private static SoftmaxCrossEntropy loss(boolean sparse, double smoothing) {
        return (sparse ? SoftmaxCrossEntropy.sparse() : new SoftmaxCrossEntropy()).labelSmoothing(smoothing);
    }

    private static MultiLayerNetwork network(DataType type, RNNFormat format, boolean sparse, double smoothing,
                                             double dropout, boolean ours) {
        return network(type, format, sparse, smoothing, dropout, ours, new Adam(0.05));
    }

    private static MultiLayerNetwork network(DataType type, RNNFormat format, boolean sparse, double smoothing,
                                             double dropout, boolean ours, IUpdater updater) {
        RnnOutputLayer.Builder out = ours ? new RnnSoftmaxOutput.Builder(loss(sparse, smoothing))
                : new RnnOutputLayer.Builder(loss(sparse, smoothing)).activation(Activation.SOFTMAX);
        out.nIn(HIDDEN).nOut(CLASSES).dataFormat(format);
        if (dropout > 0) {
            out.dropOut(1 - dropout);
        }
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(12345)
                .dataType(type).updater(updater).weightInit(WeightInit.XAVIER).list()
                .layer(new Gru.Builder().nIn(N_IN).nOut(HIDDEN).dataFormat(format).build())
                .layer(out.build())
                .build());
        net.init();
        return net;
    }

    private static ComputationGraph graph(boolean sparse, boolean ours) {
        RnnOutputLayer.Builder out = ours ? new RnnSoftmaxOutput.Builder(loss(sparse, 0))
                : new RnnOutputLayer.Builder(loss(sparse, 0)).activation(Activation.SOFTMAX);
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(12345)
                .dataType(DataType.DOUBLE).updater(new Adam(0.05)).weightInit(WeightInit.XAVIER).graphBuilder()
                .addInputs("in").setInputTypes(InputType.recurrent(N_IN, RNNFormat.NCW))
                .addLayer("gru", new Gru.Builder().nIn(N_IN).nOut(HIDDEN).build(), "in")
                .addLayer("out", out.nIn(HIDDEN).nOut(CLASSES).build(), "gru")
                .setOutputs("out").build();
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        return g;
    }

    private static void assertClose(double expected, double actual, double tol, String what) {
        assertTrue(Math.abs(expected - actual) <= tol * Math.max(1, Math.abs(expected)),
                what + ": expected " + expected + ", got " + actual);
    }

    private static void assertClose(INDArray expected, INDArray actual, double tol, String what) {
        assertEquals(expected.length(), actual.length(), what + ": length");
        double worst = expected.castTo(DataType.DOUBLE).sub(actual.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
        double scale = Math.max(1, expected.castTo(DataType.DOUBLE).amaxNumber().doubleValue());
        assertTrue(worst <= tol * scale, what + ": max difference " + worst + " (tolerance " + tol * scale + ")");
    }
}
