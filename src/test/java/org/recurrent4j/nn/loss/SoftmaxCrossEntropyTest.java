package org.recurrent4j.nn.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;
import org.nd4j.linalg.lossfunctions.impl.LossSparseMCXENT;
import org.recurrent4j.conf.Gru;
import org.recurrent4j.conf.RnnSoftmaxOutput;
import org.recurrent4j.data.parallel.EncodedPair;
import org.recurrent4j.data.parallel.Seq2SeqIterator;
import org.recurrent4j.seq2seq.Seq2SeqBuilder;

/**
 * {@link SoftmaxCrossEntropy} gives what DL4J's {@link LossMCXENT} (dense labels) and {@link LossSparseMCXENT}
 * ({@link SoftmaxCrossEntropy#sparse()}, class indices) give: every score and gradient method, with and without a
 * per-example mask (0, 1 and a fraction), float and double, logits in either order; with another activation or
 * class weights (DL4J's own computation). It survives a configuration's JSON, passes a gradient check behind a GRU with
 * labels of unequal lengths (also with label smoothing), and trains an RNNsearch model exactly as
 * {@code LossSparseMCXENT} does. A class index out of range is refused, where {@code LossSparseMCXENT} scores the row 0.
 */
class SoftmaxCrossEntropyTest {
    private static final int ROWS = 7;
    private static final int C = 5;
    private static final double[] MASK = {1, 0, 1, 0.5, 1, 0, 1};

    static Stream<Arguments> softmaxCases() {
        List<Arguments> cases = new ArrayList<>();
        for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            for (boolean sparse : new boolean[] {false, true}) {
                for (boolean masked : new boolean[] {false, true}) {
                    for (char order : new char[] {'c', 'f'}) {
                        cases.add(Arguments.of(type, sparse, masked, order));
                    }
                }
            }
        }
        return cases.stream();
    }

    static Stream<Arguments> fallbackCases() {
        List<Arguments> cases = new ArrayList<>();
        for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            for (boolean sparse : new boolean[] {false, true}) {
                for (Fallback f : Fallback.values()) {
                    cases.add(Arguments.of(type, sparse, f));
                }
            }
        }
        return cases.stream();
    }

    /** What sends the loss to DL4J's computation. */
    enum Fallback {
        SIGMOID, CLASS_WEIGHTS, SIGMOID_AND_CLASS_WEIGHTS;

        IActivation activation() {
            return (this == CLASS_WEIGHTS ? Activation.SOFTMAX : Activation.SIGMOID).getActivationFunction();
        }

        INDArray weights(DataType type) {
            return this == SIGMOID ? null : Nd4j.createFromArray(0.5, 2.0, 1.0, 0.25, 3.0).reshape(1, C).castTo(type);
        }
    }

    @ParameterizedTest(name = "{0} sparse={1} masked={2} order {3}")
    @MethodSource("softmaxCases")
    void withSoftmaxEveryMethodGivesDl4jsResult(DataType type, boolean sparse, boolean masked, char order) {
        ILossFunction ours = sparse ? SoftmaxCrossEntropy.sparse() : new SoftmaxCrossEntropy();
        ILossFunction dl4j = sparse ? new LossSparseMCXENT() : new LossMCXENT();
        assertSameResults(ours, dl4j, Activation.SOFTMAX.getActivationFunction(), problem(type, sparse, masked, order),
                tolerance(type));
    }

    @ParameterizedTest(name = "{0} sparse={1} {2}")
    @MethodSource("fallbackCases")
    void otherActivationsAndClassWeightsGiveDl4jsResult(DataType type, boolean sparse, Fallback f) {
        INDArray w = f.weights(type);
        ILossFunction ours = new SoftmaxCrossEntropy(SoftmaxCrossEntropy.DEFAULT_CLIP, w, sparse);
        ILossFunction dl4j = sparse ? new LossSparseMCXENT(w) : new LossMCXENT(w);
        assertSameResults(ours, dl4j, f.activation(), problem(type, sparse, true, 'c'), tolerance(type));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"FLOAT", "DOUBLE"})
    void aClassIndexOutOfRangeIsRefusedWhereLossSparseMcxentWouldScoreTheRowZero(DataType type) {
        Problem p = problem(type, true, false, 'c');
        p.labels().putScalar(2, 0, C);
        IActivation softmax = Activation.SOFTMAX.getActivationFunction();
        assertThrows(IllegalArgumentException.class,
                () -> SoftmaxCrossEntropy.sparse().computeScore(p.labels(), p.preOutput(), softmax, null, true));
    }

    @ParameterizedTest(name = "sparse={0} smoothing {1}")
    @CsvSource({"false, 0", "true, 0", "false, 0.1", "true, 0.2"})
    void jsonOfAConfigurationKeepsTheClassTheSparseFlagAndTheOptions(boolean sparse, double smoothing) {
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy(1e-6,
                sparse ? null : Nd4j.createFromArray(1.0, 2.0, 0.5).reshape(1, 3), sparse, smoothing);
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().list()
                .layer(new Gru.Builder().nIn(2).nOut(4).build())
                .layer(new RnnOutputLayer.Builder(loss).activation(Activation.SOFTMAX).nIn(4).nOut(3).build())
                .build();
        MultiLayerConfiguration back = MultiLayerConfiguration.fromJson(conf.toJson());
        ILossFunction restored = ((RnnOutputLayer) back.getConf(1).getLayer()).getLossFn();
        SoftmaxCrossEntropy s = assertInstanceOf(SoftmaxCrossEntropy.class, restored);
        assertEquals(sparse, s.isSparse());
        assertEquals(1e-6, s.getSoftmaxClipEps());
        assertEquals(smoothing, s.getLabelSmoothing());
        assertEquals(loss.getWeights(), s.getWeights());
        assertEquals(loss, s);
        assertEquals(conf, back);
    }

    @ParameterizedTest(name = "sparse={0} smoothing {1}")
    @CsvSource({"false, 0", "true, 0", "false, 0.1", "true, 0.1"})
    void gradientCheckPassesBehindAGruWithLabelsOfUnequalLengths(boolean sparse, double smoothing) {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        int mb = 3;
        int steps = 5;
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(12345)
                .dataType(DataType.DOUBLE).updater(new NoOp()).weightInit(WeightInit.XAVIER).list()
                .layer(new Gru.Builder().nIn(2).nOut(4).build())
                .layer(new RnnOutputLayer.Builder((sparse ? SoftmaxCrossEntropy.sparse() : new SoftmaxCrossEntropy())
                        .labelSmoothing(smoothing)).activation(Activation.SOFTMAX).nIn(4).nOut(3).build())
                .build());
        net.init();
        Nd4j.getRandom().setSeed(3);
        INDArray x = Nd4j.randn(DataType.DOUBLE, mb, 2, steps);
        Random r = new Random(4);
        INDArray labels = Nd4j.zeros(DataType.DOUBLE, mb, sparse ? 1 : 3, steps);
        INDArray mask = Nd4j.zeros(DataType.DOUBLE, mb, steps);
        int[] lengths = {5, 2, 4};
        for (int i = 0; i < mb; i++) {
            for (int t = 0; t < steps; t++) {
                int k = r.nextInt(3);
                labels.putScalar(sparse ? new long[] {i, 0, t} : new long[] {i, k, t}, sparse ? k : 1);
                mask.putScalar(i, t, t < lengths[i] ? 1 : 0);
            }
        }
        assertTrue(GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net).input(x).labels(labels)
                .labelMask(mask)), "gradient check, sparse=" + sparse + ", smoothing " + smoothing);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"FLOAT", "DOUBLE"})
    void anRnnSearchFitStepGivesLossSparseMcxentsScoreGradientsAndParameters(DataType type) {
        Nd4j.setDefaultDataTypes(type, type);
        ComputationGraph ours = rnnSearch(type, false);
        ComputationGraph dl4j = rnnSearch(type, true);
        assertInstanceOf(SoftmaxCrossEntropy.class, lossOf(ours.getConfiguration()), "the builder's loss");
        assertEquals(ours.params(), dl4j.params(), "the same initial parameters");
        MultiDataSet batch = batch(type);
        double tol = tolerance(type);
        for (ComputationGraph g : new ComputationGraph[] {ours, dl4j}) {
            g.setInputs(batch.getFeatures());
            g.setLabels(batch.getLabels());
            g.setLayerMaskArrays(batch.getFeaturesMaskArrays(), batch.getLabelsMaskArrays());
            g.computeGradientAndScore();
        }
        assertClose(dl4j.score(), ours.score(), tol, "score");
        assertTrue(ours.score() > 0, "a positive score");
        dl4j.gradient().gradientForVariable().forEach((key, g) ->
                assertClose(g, ours.gradient().getGradientFor(key), tol, "gradient of " + key));
        ours.fit(batch);
        dl4j.fit(batch);
        assertClose(dl4j.score(), ours.score(), tol, "fit's score");
        assertClose(dl4j.params(), ours.params(), tol, "parameters after one Adadelta step");
    }

    // ------------------------------------------------------------------------------------------------

    /** Labels (one-hot and soft rows, or class indices [R, 1]), logits [R, C] in the given order, a mask or null. */
    private record Problem(INDArray labels, INDArray preOutput, INDArray mask) {
    }

    private static Problem problem(DataType type, boolean sparse, boolean masked, char order) {
        Nd4j.getRandom().setSeed(11);
        INDArray z = Nd4j.randn(type, ROWS, C).muli(3).dup(order);
        Random r = new Random(12);
        INDArray labels = Nd4j.zeros(type, ROWS, sparse ? 1 : C);
        for (int i = 0; i < ROWS; i++) {
            int k = r.nextInt(C);
            if (sparse) {
                labels.putScalar(i, 0, k);
            } else if (i % 3 == 2) {                                     // a soft target
                INDArray row = Nd4j.rand(type, 1, C).addi(0.1);
                labels.putRow(i, row.divi(row.sumNumber()));
            } else {
                labels.putScalar(i, k, 1);
            }
        }
        INDArray mask = masked ? Nd4j.createFromArray(MASK).reshape(ROWS, 1).castTo(type) : null;
        return new Problem(labels, z, mask);
    }

    /**
     * Relative tolerance against DL4J: double agrees to rounding; in float the engine's exp (1e-7 relative) and DL4J's
     * differ by a few float roundings per probability, 1.2e-7 at most measured (also in the RNNsearch gradients).
     */
    private static double tolerance(DataType type) {
        return type == DataType.DOUBLE ? 1e-10 : 1e-6;
    }

    /** Compares every score and gradient method (score averaged and summed), each given fresh copies of the inputs. */
    private static void assertSameResults(ILossFunction ours, ILossFunction dl4j, IActivation act, Problem p,
                                          double tol) {
        for (boolean average : new boolean[] {true, false}) {
            assertClose(dl4j.computeScore(p.labels().dup(), p.preOutput().dup(), act, dup(p.mask()), average),
                    ours.computeScore(p.labels().dup(), p.preOutput().dup(), act, dup(p.mask()), average), tol,
                    "computeScore, average=" + average);
            Pair<Double, INDArray> expected = dl4j.computeGradientAndScore(p.labels().dup(), p.preOutput().dup(), act,
                    dup(p.mask()), average);
            Pair<Double, INDArray> actual = ours.computeGradientAndScore(p.labels().dup(), p.preOutput().dup(), act,
                    dup(p.mask()), average);
            assertClose(expected.getFirst(), actual.getFirst(), tol, "computeGradientAndScore's score, average="
                    + average);
            assertClose(expected.getSecond(), actual.getSecond(), tol, "computeGradientAndScore's gradient");
        }
        assertClose(dl4j.computeScoreArray(p.labels().dup(), p.preOutput().dup(), act, dup(p.mask())),
                ours.computeScoreArray(p.labels().dup(), p.preOutput().dup(), act, dup(p.mask())), tol,
                "computeScoreArray");
        assertClose(dl4j.computeGradient(p.labels().dup(), p.preOutput().dup(), act, dup(p.mask())),
                ours.computeGradient(p.labels().dup(), p.preOutput().dup(), act, dup(p.mask())), tol,
                "computeGradient");
    }

    private static INDArray dup(INDArray a) {
        return a == null ? null : a.dup();
    }

    private static void assertClose(double expected, double actual, double tol, String what) {
        if (!(Math.abs(actual - expected) <= tol * Math.max(1, Math.abs(expected)))) {
            fail(what + ": expected " + expected + ", got " + actual);
        }
    }

    /** Same shape and data type, and every element within {@code tol · max(1, |expected|)}. */
    private static void assertClose(INDArray expected, INDArray actual, double tol, String what) {
        assertEquals(expected.dataType(), actual.dataType(), what + ": data type");
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        double[] e = expected.dup('c').data().asDouble();
        double[] a = actual.dup('c').data().asDouble();
        for (int i = 0; i < e.length; i++) {
            assertClose(e[i], a[i], tol, what + " [" + i + "]");
        }
    }

    // ------------------------------------------------------------------------------------------------
    // A tiny RNNsearch and a batch of pairs of unequal lengths

    private static final int SOURCE_VOCABULARY = 9;
    private static final int TARGET_VOCABULARY = 11;

    /** @return a tiny RNNsearch graph, initialised; with {@code lossSparseMcxent} its output uses DL4J's loss */
    private static ComputationGraph rnnSearch(DataType type, boolean lossSparseMcxent) {
        ComputationGraphConfiguration conf = Seq2SeqBuilder.rnnSearch().embeddingSize(4).encoderSize(3)
                .decoderSize(5).maxoutSize(4).attentionSize(3).sourceVocabularySize(SOURCE_VOCABULARY)
                .targetVocabularySize(TARGET_VOCABULARY).dataType(type).seed(7).buildConfiguration();
        if (lossSparseMcxent) {        // DL4J's own output layer (every setting of ours) and loss in place of ours
            String json = conf.toJson().replace('"' + RnnSoftmaxOutput.class.getName() + '"',
                    '"' + RnnOutputLayer.class.getName() + '"');
            conf = ComputationGraphConfiguration.fromJson(json);
            assertEquals(RnnOutputLayer.class, outputLayer(conf).getClass());
            outputLayer(conf).setLossFn(new LossSparseMCXENT());
        }
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        return g;
    }

    private static RnnOutputLayer outputLayer(ComputationGraphConfiguration conf) {
        return (RnnOutputLayer) ((LayerVertex) conf.getVertices().get(Seq2SeqBuilder.OUTPUT)).getLayerConf()
                .getLayer();
    }

    private static ILossFunction lossOf(ComputationGraphConfiguration conf) {
        return outputLayer(conf).getLossFn();
    }

    /** @return four pairs, sources of 2–6 ids, targets of 1–5, as the trainer's iterator lays them out */
    private static MultiDataSet batch(DataType type) {
        Random r = new Random(5);
        List<EncodedPair> pairs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            pairs.add(new EncodedPair(i, r.ints(2 + r.nextInt(5), 4, SOURCE_VOCABULARY).toArray(),
                    r.ints(1 + r.nextInt(5), 4, TARGET_VOCABULARY).toArray()));
        }
        MultiDataSet d = Seq2SeqIterator.toMultiDataSet(pairs);
        return new org.nd4j.linalg.dataset.MultiDataSet(cast(d.getFeatures(), type), cast(d.getLabels(), type),
                cast(d.getFeaturesMaskArrays(), type), cast(d.getLabelsMaskArrays(), type));
    }

    private static INDArray[] cast(INDArray[] a, DataType type) {
        return a == null ? null : Stream.of(a).map(x -> x == null ? null : x.castTo(type)).toArray(INDArray[]::new);
    }
}
