package org.recurrent4j.seq2seq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
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
import org.recurrent4j.data.parallel.EncodedPair;
import org.recurrent4j.data.parallel.Seq2SeqIterator;
import org.recurrent4j.data.vocab.Vocabulary;

/**
 * The graph of {@link Seq2SeqBuilder}: layout, gradients of the whole composition, JSON, save and load. Its tiny
 * vocabularies, presets and random batches serve the tests of other packages too.
 */
public class Seq2SeqBuilderTest {

    public static Vocabulary vocabulary(String prefix, int words) {
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < words; i++) {
            tokens.add(prefix + i);
        }
        return Vocabulary.of(tokens);
    }

    /** Random pairs of unequal lengths (source 2–6, target 1–5 ids), so masks matter. */
    public static MultiDataSet batch(Random rnd, int mb, int srcVocab, int tgtVocab) {
        List<EncodedPair> pairs = new ArrayList<>();
        for (int i = 0; i < mb; i++) {
            int[] s = new int[2 + rnd.nextInt(5)];
            int[] t = new int[1 + rnd.nextInt(5)];
            for (int k = 0; k < s.length; k++) {
                s[k] = 4 + rnd.nextInt(srcVocab - 4);
            }
            for (int k = 0; k < t.length; k++) {
                t[k] = 4 + rnd.nextInt(tgtVocab - 4);
            }
            pairs.add(new EncodedPair(i, s, t));
        }
        return Seq2SeqIterator.toMultiDataSet(pairs);
    }

    public static Seq2SeqBuilder tiny(Seq2SeqBuilder b) {
        return b.embeddingSize(4).encoderSize(3).decoderSize(5).maxoutSize(4).attentionSize(3);
    }

    static Seq2SeqBuilder micro(Seq2SeqBuilder b) {
        return b.embeddingSize(2).encoderSize(2).decoderSize(3).maxoutSize(2).attentionSize(2);
    }

    @Test
    void gradientsOfEveryPresetAreExactInDoublePrecision() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        Vocabulary src = vocabulary("s", 2);
        Vocabulary tgt = vocabulary("t", 3);
        // the decoder vertex is checked option by option elsewhere; here the composition (embeddings, stacked
        // bidirectional encoder, decoder, sparse softmax, masks) with tiny sizes, since GradientCheckUtil checks
        // every parameter of a ComputationGraph
        List<Seq2SeqBuilder> presets = List.of(
                micro(Seq2SeqBuilder.rnnSearch()).encoderLayers(2).resetAfter(true),
                micro(Seq2SeqBuilder.rnnEnc()),
                micro(Seq2SeqBuilder.luong(Attention.LUONG_GENERAL)).maxoutSize(0));
        for (Seq2SeqBuilder b : presets) {
            Seq2SeqModel model = b.updater(new NoOp()).dataType(DataType.DOUBLE).seed(7).build(src, tgt);
            MultiDataSet d = batch(new Random(3), 2, src.size(), tgt.size());
            boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(model.graph())
                    .inputs(cast(d.getFeatures())).labels(cast(d.getLabels()))
                    .inputMask(cast(d.getFeaturesMaskArrays())).labelMask(cast(d.getLabelsMaskArrays()))
                    .subset(true).maxPerParam(6).epsilon(1e-6).maxRelError(1e-4).minAbsoluteError(1e-9).print(GradientCheckUtil.PrintMode.FAILURES_ONLY));
            assertTrue(ok, "gradient check of " + b.describe());
        }
    }

    private static INDArray[] cast(INDArray[] a) {
        INDArray[] out = new INDArray[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i] == null ? null : a[i].castTo(DataType.DOUBLE);
        }
        return out;
    }

    @Test
    void layoutJsonAndSaveLoadGiveIdenticalOutputs(@TempDir Path dir) throws java.io.IOException {
        Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
        Vocabulary src = vocabulary("s", 9);
        Vocabulary tgt = vocabulary("t", 11);
        Seq2SeqModel model = tiny(Seq2SeqBuilder.rnnSearch()).reverseSource(true).updater(new Adam(0.01))
                .build(src, tgt);
        ComputationGraphConfiguration conf = model.graph().getConfiguration();
        assertEquals(conf, ComputationGraphConfiguration.fromJson(conf.toJson()));
        Random rnd = new Random(5);
        for (int i = 0; i < 3; i++) {
            model.graph().fit(batch(rnd, 4, src.size(), tgt.size()));
        }
        model.setProperty(Seq2SeqModel.TOKENIZER, "whitespace");
        Path file = dir.resolve("model.zip");
        model.save(file);
        Seq2SeqModel loaded = Seq2SeqModel.load(file, true);
        assertEquals(src, loaded.sourceVocabulary());
        assertEquals(tgt, loaded.targetVocabulary());
        assertTrue(loaded.reverseSource());
        assertEquals("whitespace", loaded.property(Seq2SeqModel.TOKENIZER));
        MultiDataSet d = batch(rnd, 4, src.size(), tgt.size());
        INDArray a = model.graph().output(false, d.getFeatures(), d.getFeaturesMaskArrays(), d.getLabelsMaskArrays())[0];
        INDArray b = loaded.graph().output(false, d.getFeatures(), d.getFeaturesMaskArrays(), d.getLabelsMaskArrays())[0];
        assertEquals(a, b);
        // training continues identically (updater state saved)
        MultiDataSet next = batch(rnd, 4, src.size(), tgt.size());
        model.graph().fit(next);
        loaded.graph().fit(next);
        assertEquals(model.graph().params(), loaded.graph().params());
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file left behind");
        }
    }

    @Test
    void badSettingsAndMismatchedVocabulariesAreRefusedByName(@TempDir Path dir) {
        Vocabulary src = vocabulary("s", 9);
        Vocabulary tgt = vocabulary("t", 11);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> tiny(Seq2SeqBuilder.rnnSearch()).encoderLayers(0).build(src, tgt));
        assertTrue(e.getMessage().contains("encoderLayers"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Seq2SeqBuilder.luong(Attention.BAHDANAU));
        assertTrue(e.getMessage().contains("LUONG_DOT"), e.getMessage());
        Seq2SeqModel model = tiny(Seq2SeqBuilder.rnnEnc()).build(src, tgt);
        e = assertThrows(IllegalArgumentException.class,
                () -> new Seq2SeqModel(model.graph(), src, vocabulary("t", 12), false, java.util.Map.of()));
        assertTrue(e.getMessage().contains("target vocabulary has 16 words") && e.getMessage().contains("15 rows"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Seq2SeqModel.load(dir.resolve("none.zip"), false));
        assertTrue(e.getMessage().contains("no model file"), e.getMessage());
        Path plain = dir.resolve("plain.zip");
        try {
            org.deeplearning4j.util.ModelSerializer.writeModel(model.graph(), plain.toFile(), false);
        } catch (java.io.IOException io) {
            throw new java.io.UncheckedIOException(io);
        }
        e = assertThrows(IllegalArgumentException.class, () -> Seq2SeqModel.load(plain, false));
        assertTrue(e.getMessage().contains("not a Recurrent4j translation model"), e.getMessage());
    }
}
