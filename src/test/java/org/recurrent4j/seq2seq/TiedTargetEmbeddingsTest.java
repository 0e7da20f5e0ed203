package org.recurrent4j.seq2seq;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.NoOp;
import org.recurrent4j.conf.graph.AttentionDecoderVertex.Attention;
import org.recurrent4j.conf.graph.TiedEmbeddingDecoderVertex;
import org.recurrent4j.data.vocab.Vocabulary;

/**
 * {@link Seq2SeqBuilder#tieTargetEmbeddings}: one matrix E for the target embeddings and the output weights, owned by
 * the decoder vertex. Checked against an untied model whose embedding layer holds E and whose output layer holds Eᵀ
 * (the same function, computed by DL4J's {@code EmbeddingSequenceLayer} and {@code RnnOutputLayer}).
 */
public class TiedTargetEmbeddingsTest {
    private static final Vocabulary SOURCE = Seq2SeqBuilderTest.vocabulary("s", 5);
    private static final Vocabulary TARGET = Seq2SeqBuilderTest.vocabulary("t", 7);

    /** Tiny RNNsearch with maxout size = embedding size (3), and Luong with decoder size = embedding size (3). */
    private static List<Seq2SeqBuilder> presets() {
        return List.of(
                Seq2SeqBuilder.rnnSearch().embeddingSize(3).encoderSize(2).decoderSize(4).maxoutSize(3)
                        .attentionSize(2),
                Seq2SeqBuilder.luong(Attention.LUONG_GENERAL).embeddingSize(3).encoderSize(2).decoderSize(3));
    }

    private static Seq2SeqModel doubleModel(Seq2SeqBuilder b, boolean tied) {
        return b.tieTargetEmbeddings(tied).updater(new NoOp()).dataType(DataType.DOUBLE).seed(11).build(SOURCE, TARGET);
    }

    /**
     * @return an untied model of the same settings whose every parameter equals the tied model's: the decoder's, the
     *     source side's, the target embedding layer's W = E and the output layer's W = Eᵀ, b = bo
     */
    private static Seq2SeqModel untiedTwin(Seq2SeqModel tied, Seq2SeqBuilder b) {
        Seq2SeqModel untied = doubleModel(b, false);
        Map<String, INDArray> from = tied.graph().paramTable();
        INDArray e = from.get("decoder_E");
        Set<String> used = new HashSet<>();
        for (Map.Entry<String, INDArray> p : untied.graph().paramTable().entrySet()) {
            String key = switch (p.getKey()) {
                case "targetEmbedding_W", "output_W" -> "decoder_E";
                case "output_b" -> "decoder_bo";
                default -> p.getKey();
            };
            INDArray value = p.getKey().equals("output_W") ? e.transpose() : from.get(key);
            if (p.getValue().rank() == value.rank()) {
                assertArrayEquals(value.shape(), p.getValue().shape(), p.getKey());
            }
            assertEquals(value.length(), p.getValue().length(), p.getKey());
            p.getValue().assign(value.reshape(p.getValue().shape()));                   // output_b is [Vy], bo [1, Vy]
            used.add(key);
        }
        assertEquals(from.keySet(), used, "every tied parameter has its untied counterpart");
        return untied;
    }

    private static INDArray[] cast(INDArray[] a) {
        INDArray[] out = new INDArray[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i] == null ? null : a[i].castTo(DataType.DOUBLE);
        }
        return out;
    }

    /** @return the gradient by parameter name after one forward and backward pass on the batch */
    private static Map<String, INDArray> gradients(ComputationGraph graph, MultiDataSet d) {
        graph.setInputs(cast(d.getFeatures()));
        graph.setLabels(cast(d.getLabels()));
        graph.setLayerMaskArrays(cast(d.getFeaturesMaskArrays()), cast(d.getLabelsMaskArrays()));
        graph.computeGradientAndScore();
        return graph.gradient().gradientForVariable();
    }

    @Test
    void gradientCheckOfTheTiedModelWithMasksAndUnequalLengths() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        for (Seq2SeqBuilder b : presets()) {
            Seq2SeqModel model = doubleModel(b, true);
            MultiDataSet d = Seq2SeqBuilderTest.batch(new Random(3), 3, SOURCE.size(), TARGET.size());
            assertTrue(d.getLabelsMaskArrays()[0].minNumber().doubleValue() == 0, "the batch has padded targets");
            boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(model.graph())
                    .inputs(cast(d.getFeatures())).labels(cast(d.getLabels()))
                    .inputMask(cast(d.getFeaturesMaskArrays())).labelMask(cast(d.getLabelsMaskArrays()))
                    .epsilon(1e-6).maxRelError(1e-4).minAbsoluteError(1e-9)
                    .print(GradientCheckUtil.PrintMode.FAILURES_ONLY));
            assertTrue(ok, "gradient check of " + b.describe());
        }
    }

    @Test
    void theTiedGradientIsTheSumOfTheLookupAndProjectionGradients() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        for (Seq2SeqBuilder b : presets()) {
            Seq2SeqModel tied = doubleModel(b, true);
            Seq2SeqModel untied = untiedTwin(tied, b);
            MultiDataSet d = Seq2SeqBuilderTest.batch(new Random(8), 4, SOURCE.size(), TARGET.size());
            Map<String, INDArray> gTied = gradients(tied.graph(), d);
            double scoreTied = tied.graph().score();
            Map<String, INDArray> gUntied = gradients(untied.graph(), d);
            assertEquals(untied.graph().score(), scoreTied, 1e-12, "the same function");
            INDArray lookup = gUntied.get("targetEmbedding_W");                          // [Vy, e]
            INDArray projection = gUntied.get("output_W").transpose();                  // [Vy, e]
            assertTrue(lookup.norm2Number().doubleValue() > 0 && projection.norm2Number().doubleValue() > 0);
            INDArray sum = lookup.add(projection);
            assertEquals(0, sum.sub(gTied.get("decoder_E")).amaxNumber().doubleValue(), 1e-12, b.describe().toString());
            assertEquals(0, gUntied.get("output_b").reshape(1, TARGET.size()).sub(gTied.get("decoder_bo"))
                    .amaxNumber().doubleValue(), 1e-12);
            for (Map.Entry<String, INDArray> g : gTied.entrySet()) {
                if (!g.getKey().equals("decoder_E") && !g.getKey().equals("decoder_bo")) {
                    assertEquals(0, g.getValue().sub(gUntied.get(g.getKey())).amaxNumber().doubleValue(), 1e-12,
                            g.getKey());
                }
            }
        }
    }

    @Test
    void theParameterCountDropsByExactlyTheTargetVocabularyTimesTheEmbeddingSize() {
        for (Seq2SeqBuilder b : presets()) {
            long tied = doubleModel(b, true).graph().params().length();
            long untied = doubleModel(b, false).graph().params().length();
            assertEquals((long) TARGET.size() * 3, untied - tied, b.describe().toString());
        }
    }

    @Test
    void decodingEqualsTheUntiedModelHoldingTheSameMatrix() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        for (Seq2SeqBuilder b : presets()) {
            Seq2SeqModel tied = doubleModel(b, true);
            tied.graph().paramTable().get("decoder_E").muli(4);                                // sharper than at initialisation
            double[] bias = new Random(4).doubles(TARGET.size(), -1, 1).toArray();
            tied.graph().paramTable().get("decoder_bo").assign(Nd4j.createFromArray(bias).reshape(1, bias.length));
            Seq2SeqModel untied = untiedTwin(tied, b);
            List<List<String>> sources = TranslatorTest.randomSources(tied, 5, 1, 6, 2);
            for (int beam : new int[] {1, 3}) {
                List<Translation> a = Translator.builder(tied).beamWidth(beam).maxLength(7).build().translate(sources);
                List<Translation> u = Translator.builder(untied).beamWidth(beam).maxLength(7).build().translate(sources);
                for (int i = 0; i < sources.size(); i++) {
                    assertEquals(u.get(i).tokens(), a.get(i).tokens(), "beam " + beam + " sentence " + i);
                    assertEquals(u.get(i).logProbability(), a.get(i).logProbability(), 1e-12);
                    for (int t = 0; t < a.get(i).alignment().length; t++) {
                        assertArrayEquals(u.get(i).alignment()[t], a.get(i).alignment()[t], 1e-12);
                    }
                }
            }
            List<String> source = sources.get(0);
            int[] greedy = TranslatorFixtures.referenceGreedy(tied, source, 7);
            Hypothesis h = Translator.builder(tied).beamWidth(1).maxLength(7).build().translate(List.of(source))
                    .get(0).best();
            assertArrayEquals(greedy, h.ids(), "step-wise decoding = the full tied graph");
            assertEquals(TranslatorFixtures.reference(tied, source, List.of(greedy)).logProbability()[0],
                    h.logProbability(), 1e-9);
        }
    }

    @Test
    void jsonJavaSerializationAndSaveLoadKeepTheTiedModel(@TempDir Path dir) throws Exception {
        Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
        Seq2SeqModel model = Seq2SeqBuilder.rnnSearch().embeddingSize(4).encoderSize(3).decoderSize(5).maxoutSize(4)
                .attentionSize(3).tieTargetEmbeddings(true).updater(new Adam(0.01)).build(SOURCE, TARGET);
        ComputationGraphConfiguration conf = model.graph().getConfiguration();
        ComputationGraphConfiguration fromJson = ComputationGraphConfiguration.fromJson(conf.toJson());
        assertEquals(conf, fromJson);
        assertInstanceOf(TiedEmbeddingDecoderVertex.class, fromJson.getVertices().get(Seq2SeqBuilder.DECODER));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(conf);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            assertEquals(conf, in.readObject());
        }
        assertFalse(conf.getVertices().containsKey(Seq2SeqBuilder.TARGET_EMBEDDING));
        Random rnd = new Random(5);
        for (int i = 0; i < 3; i++) {
            model.graph().fit(Seq2SeqBuilderTest.batch(rnd, 4, SOURCE.size(), TARGET.size()));
        }
        Path file = dir.resolve("tied.zip");
        model.save(file);
        Seq2SeqModel loaded = Seq2SeqModel.load(file, true);
        assertTrue(loaded.tiedTargetEmbeddings());
        assertEquals("true", loaded.property("tieTargetEmbeddings"));
        MultiDataSet d = Seq2SeqBuilderTest.batch(rnd, 4, SOURCE.size(), TARGET.size());
        INDArray a = model.graph().output(false, d.getFeatures(), d.getFeaturesMaskArrays(), d.getLabelsMaskArrays())[0];
        INDArray b = loaded.graph().output(false, d.getFeatures(), d.getFeaturesMaskArrays(), d.getLabelsMaskArrays())[0];
        assertEquals(a, b);
        assertEquals(1.0, a.sum(1).getDouble(0, 0), 1e-5, "the loss layer outputs probabilities");
        model.graph().fit(d);
        loaded.graph().fit(d);
        assertEquals(model.graph().params(), loaded.graph().params(), "training continues identically");
    }

    @Test
    void mismatchedSizesDropoutAndBadIdsAreRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Seq2SeqBuilder.rnnSearch()
                .embeddingSize(4).maxoutSize(6).tieTargetEmbeddings(true).build(SOURCE, TARGET));
        assertTrue(e.getMessage().contains("maxoutSize") && e.getMessage().contains("embeddingSize = 4")
                && e.getMessage().contains("got 6"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Seq2SeqBuilder.luong(Attention.LUONG_DOT)
                .embeddingSize(4).decoderSize(8).tieTargetEmbeddings(true).build(SOURCE, TARGET));
        assertTrue(e.getMessage().contains("decoderSize") && e.getMessage().contains("embeddingSize = 4")
                && e.getMessage().contains("got 8"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Seq2SeqBuilder.rnnSearch().embeddingSize(4)
                .maxoutSize(4).dropout(0.2).tieTargetEmbeddings(true).build(SOURCE, TARGET));
        assertTrue(e.getMessage().contains("dropout"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new TiedEmbeddingDecoderVertex.Builder()
                .vocabularySize(9).embeddingSize(4).annotationSize(6).nOut(5).maxoutSize(3).attentionSize(2).build());
        assertTrue(e.getMessage().contains("maxoutSize 3") && e.getMessage().contains("embeddingSize (4)"),
                e.getMessage());

        Seq2SeqModel model = Seq2SeqBuilder.rnnSearch().embeddingSize(4).encoderSize(3).decoderSize(5).maxoutSize(4)
                .attentionSize(3).tieTargetEmbeddings(true).build(SOURCE, TARGET);
        MultiDataSet d = Seq2SeqBuilderTest.batch(new Random(1), 2, SOURCE.size(), TARGET.size());
        INDArray[] in = d.getFeatures();
        in[1] = in[1].dup();
        in[1].putScalar(new long[] {1, 0, 0}, TARGET.size());
        e = assertThrows(IllegalArgumentException.class,
                () -> model.graph().output(false, in, d.getFeaturesMaskArrays(), d.getLabelsMaskArrays()));
        assertTrue(e.getMessage().contains("'decoder'") && e.getMessage().contains("example 1 step 0")
                && e.getMessage().contains("[0, " + TARGET.size() + ")"), e.getMessage());
    }
}
