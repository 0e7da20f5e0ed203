package org.recurrent4j.seq2seq;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.recurrent4j.data.vocab.Vocabulary;

/** {@link Translator}: length limits, batching, save/load, reversed sources, {@code <unk>} replacement, bad input. */
class TranslatorBehaviourTest {

    private static INDArray outputBias(Seq2SeqModel model) {
        return model.graph().getLayer(Seq2SeqBuilder.OUTPUT).getParam("b");
    }

    @Test
    void lengthLimitsHoldEvenWhenTheModelWantsOtherwise() {
        Seq2SeqModel model = TranslatorFixtures.randomModel(6, 5, false, 3);
        List<List<String>> sources = TranslatorTest.randomSources(model, 5, 1, 6, 1);
        // the model wants </s> at once: minLength binds
        outputBias(model).putScalar(Vocabulary.EOS_ID, 30.0);
        for (Translation t : Translator.builder(model).beamWidth(3).nBest(3).minLength(2).build().translate(sources)) {
            assertEquals(2, t.tokens().size(), "minLength 2 with a model that always prefers </s>");
            t.nBest().forEach(h -> assertTrue(h.ids().length >= 2));
        }
        // the model never wants </s>: maxLength and maxLengthRatio bind, and </s> is still scored
        outputBias(model).putScalar(Vocabulary.EOS_ID, -30.0);
        for (Translation t : Translator.builder(model).beamWidth(3).nBest(3).maxLength(4).build().translate(sources)) {
            t.nBest().forEach(h -> assertEquals(4, h.ids().length));
            double ref = TranslatorFixtures.referenceLogProbabilities(model, t.sourceTokens(), List.of(t.best().ids()))[0];
            assertEquals(ref, t.logProbability(), 1e-9, "the forced </s> is part of the log-probability");
        }
        Translator ratio = Translator.builder(model).beamWidth(2).maxLength(50).maxLengthRatio(1.5).build();
        assertEquals(3, ratio.lengthLimit(2));
        assertEquals(5, ratio.lengthLimit(3));
        for (Translation t : ratio.translate(sources)) {
            assertEquals((int) Math.ceil(1.5 * t.sourceTokens().size()), t.tokens().size(), t.sourceTokens().toString());
        }
        Translator both = Translator.builder(model).minLength(4).maxLengthRatio(1.0).build();
        assertEquals(4, both.lengthLimit(1), "minLength wins over a smaller ratio limit");
    }

    @Test
    void batchedDecodingEqualsOneSentenceAtATime() {
        Seq2SeqModel model = TranslatorFixtures.randomModel(7, 6, false, 5);
        model.graph().getLayer(Seq2SeqBuilder.OUTPUT).getParam("W").muli(3);
        List<List<String>> sources = TranslatorTest.randomSources(model, 9, 1, 9, 2);
        sources.add(3, List.of());
        List<Translation> batched = Translator.builder(model).beamWidth(4).nBest(3).maxLengthRatio(2).batchSize(4)
                .build().translate(sources);
        Translator single = Translator.builder(model).beamWidth(4).nBest(3).maxLengthRatio(2).batchSize(1).build();
        assertEquals(sources.size(), batched.size());
        for (int i = 0; i < sources.size(); i++) {
            Translation a = batched.get(i);
            Translation b = single.translateSentence(sources.get(i));
            assertEquals(sources.get(i), a.sourceTokens(), "results in input order");
            assertEquals(b.nBest().size(), a.nBest().size());
            for (int h = 0; h < a.nBest().size(); h++) {
                Hypothesis x = a.nBest().get(h);
                Hypothesis y = b.nBest().get(h);
                assertArrayEquals(y.ids(), x.ids(), "sentence " + i + " hypothesis " + h);
                assertEquals(y.logProbability(), x.logProbability(), 1e-9);
                assertEquals(y.alignment().length, x.alignment().length);
                for (int t = 0; t < x.alignment().length; t++) {
                    assertArrayEquals(y.alignment()[t], x.alignment()[t], 1e-9);
                }
            }
        }
    }

    @Test
    void saveLoadDecodeIsIdentical(@TempDir Path dir) {
        Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
        Seq2SeqModel model = Seq2SeqBuilder.rnnSearch().embeddingSize(6).encoderSize(5).decoderSize(7).maxoutSize(4)
                .attentionSize(5).reverseSource(true).seed(8)
                .build(TranslatorFixtures.words("s", 8), TranslatorFixtures.words("t", 8));
        model.graph().getLayer(Seq2SeqBuilder.OUTPUT).getParam("W").muli(3);
        Path file = dir.resolve("model.zip");
        model.save(file, false);
        Seq2SeqModel loaded = Seq2SeqModel.load(file, false);
        List<List<String>> sources = TranslatorTest.randomSources(model, 6, 1, 7, 3);
        List<Translation> a = Translator.builder(model).beamWidth(3).nBest(3).maxLength(10).build().translate(sources);
        List<Translation> b = Translator.builder(loaded).beamWidth(3).nBest(3).maxLength(10).build().translate(sources);
        for (int i = 0; i < sources.size(); i++) {
            for (int h = 0; h < 3; h++) {
                Hypothesis x = a.get(i).nBest().get(h);
                Hypothesis y = b.get(i).nBest().get(h);
                assertEquals(x.tokens(), y.tokens());
                assertEquals(x.logProbability(), y.logProbability(), 0.0);
                assertTrue(Arrays.deepEquals(x.alignment(), y.alignment()));
            }
        }
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    @Test
    void reversedSourceModelsDecodeAndAlignInTheOriginalOrder() {
        Seq2SeqModel model = TranslatorFixtures.randomModel(7, 6, true, 6);
        model.graph().getLayer(Seq2SeqBuilder.OUTPUT).getParam("W").muli(3);
        List<List<String>> sources = TranslatorTest.randomSources(model, 6, 2, 7, 5);
        List<Translation> out = Translator.builder(model).beamWidth(3).nBest(3).maxLength(9).build().translate(sources);
        for (int i = 0; i < sources.size(); i++) {
            List<Hypothesis> n = out.get(i).nBest();
            TranslatorFixtures.Reference ref = TranslatorFixtures.reference(model, sources.get(i),
                    n.stream().map(Hypothesis::ids).toList());
            for (int h = 0; h < n.size(); h++) {
                assertEquals(ref.logProbability()[h], n.get(h).logProbability(), 1e-9);
                for (int t = 0; t < n.get(h).alignment().length; t++) {
                    assertArrayEquals(ref.alignment()[h][t], n.get(h).alignment()[t], 1e-9, "sentence " + i + " step " + t);
                }
            }
        }
        // the same graph read without reversal, fed the reversed sentence, computes the same thing: its alignment
        // columns are the mirror image
        Seq2SeqModel plain = new Seq2SeqModel(model.graph(), model.sourceVocabulary(), model.targetVocabulary(), false,
                Map.of());
        Translator forward = Translator.builder(plain).beamWidth(3).nBest(3).maxLength(9).build();
        for (int i = 0; i < sources.size(); i++) {
            List<String> reversed = new ArrayList<>(sources.get(i));
            java.util.Collections.reverse(reversed);
            Translation f = forward.translateSentence(reversed);
            Translation r = out.get(i);
            assertArrayEquals(f.best().ids(), r.best().ids());
            assertEquals(f.logProbability(), r.logProbability(), 1e-12);
            int tx = reversed.size();
            for (int t = 0; t < r.alignment().length; t++) {
                for (int j = 0; j < tx; j++) {
                    assertEquals(f.alignment()[t][tx - 1 - j], r.alignment()[t][j], 1e-12);
                }
            }
        }
    }

    private static int argmax(double[] a) {
        int best = 0;
        for (int j = 1; j < a.length; j++) {
            best = a[j] > a[best] ? j : best;
        }
        return best;
    }

    @Test
    void unknownOutputWordsAreReplacedByTheMostAttendedSourceWord() {
        for (boolean reverse : new boolean[] {false, true}) {
            Seq2SeqModel model = TranslatorFixtures.randomModel(6, 5, reverse, 9);
            outputBias(model).putScalar(Vocabulary.UNK_ID, 30.0);           // the model says <unk> at every step
            List<String> source = List.of("s2", "new-word", "s0", "s5");       // "new-word" is not in the vocabulary
            Translation plain = Translator.builder(model).maxLength(5).build().translateSentence(source);
            Translation replaced = Translator.builder(model).maxLength(5).replaceUnknown(true).build()
                    .translateSentence(source);
            assertEquals(List.of("<unk>", "<unk>", "<unk>", "<unk>", "<unk>"), plain.tokens());
            assertEquals(1, plain.unknownSourceWords());
            TranslatorFixtures.Reference ref = TranslatorFixtures.reference(model, source, List.of(plain.best().ids()));
            List<String> expected = new ArrayList<>();
            for (int t = 0; t < 5; t++) {
                expected.add(source.get(argmax(ref.alignment()[0][t])));
            }
            assertEquals(expected, replaced.tokens(), "reverseSource " + reverse);
            assertArrayEquals(plain.best().ids(), replaced.best().ids());
            assertEquals(plain.logProbability(), replaced.logProbability(), 0.0);
        }
    }

    @Test
    void unusualSourcesHaveDefinedResults() {
        Seq2SeqModel model = TranslatorFixtures.randomModel(6, 5, false, 4);
        model.setProperty(Seq2SeqModel.MAX_TRAINING_SOURCE_LENGTH, "4");
        Translator t = Translator.builder(model).beamWidth(2).nBest(2).maxLength(6).build();
        // empty line: one empty hypothesis, the model is not run
        Translation empty = t.translateSentence(List.of());
        assertTrue(empty.emptySource());
        assertEquals(List.of(), empty.tokens());
        assertEquals(0.0, empty.logProbability());
        assertEquals(1, empty.nBest().size());
        // only unknown words: decoded from <unk> ids like any sentence
        List<String> unknown = List.of("xx", "yy", "zz");
        Translation u = t.translateSentence(unknown);
        assertEquals(3, u.unknownSourceWords());
        double ref = TranslatorFixtures.referenceLogProbabilities(model, List.of("<unk>", "<unk>", "<unk>"),
                List.of(u.best().ids()))[0];
        assertEquals(ref, u.logProbability(), 1e-9);
        assertFalse(u.longerThanTraining());
        // longer than any training source: decoded and marked, or refused on request
        List<String> longer = List.of("s0", "s1", "s2", "s3", "s4");
        Translation l = t.translateSentence(longer);
        assertTrue(l.longerThanTraining());
        assertEquals(2, l.nBest().size());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Translator.builder(model)
                .rejectLongerThanTraining(true).build().translate(List.of(List.of("s0"), longer)));
        assertTrue(e.getMessage().contains("sentence 1 has 5 tokens") && e.getMessage().contains("maxTrainingSourceLength"),
                e.getMessage());
        // null tokens
        List<String> withNull = new ArrayList<>(List.of("s0"));
        withNull.add(null);
        e = assertThrows(IllegalArgumentException.class, () -> t.translate(List.of(List.of("s1"), withNull)));
        assertTrue(e.getMessage().contains("sentence 1"), e.getMessage());
    }

    @Test
    void contradictorySettingsAndMismatchedVocabulariesAreRefusedByName() {
        Seq2SeqModel model = TranslatorFixtures.randomModel(6, 5, false, 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Translator.builder(model).beamWidth(2).nBest(3).build());
        assertTrue(e.getMessage().contains("nBest must be <= beamWidth (2), got 3"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Translator.builder(model).beamWidth(0));
        assertTrue(e.getMessage().contains("beamWidth"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Translator.builder(model).minLength(5).maxLength(4).build());
        assertTrue(e.getMessage().contains("minLength"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> LengthPenalty.parse("gnmt"));
        assertTrue(e.getMessage().contains("gnmt:ALPHA"), e.getMessage());
        assertEquals(LengthPenalty.gnmt(0.6), LengthPenalty.parse("GNMT:0.6"));
        Seq2SeqModel rnnEnc = Seq2SeqBuilder.rnnEnc().embeddingSize(4).encoderSize(3).decoderSize(5).maxoutSize(2)
                .build(TranslatorFixtures.words("s", 3), TranslatorFixtures.words("t", 3));
        e = assertThrows(IllegalArgumentException.class, () -> Translator.builder(rnnEnc).coveragePenalty(0.2).build());
        assertTrue(e.getMessage().contains("coveragePenalty must be 0 for a model without attention"), e.getMessage());
        // RNNenc decodes; its alignment rows are empty
        Translation t = Translator.builder(rnnEnc).maxLength(3).build().translateSentence(List.of("s1", "s2"));
        assertEquals(t.tokens().size() + 1, t.alignment().length);
        assertEquals(0, t.alignment()[0].length);
        // a target vocabulary that does not match the graph is refused when the model is assembled
        e = assertThrows(IllegalArgumentException.class, () -> new Seq2SeqModel(model.graph(), model.sourceVocabulary(),
                TranslatorFixtures.words("t", 7), false, Map.of()));
        assertTrue(e.getMessage().contains("target vocabulary has 11 words"), e.getMessage());
    }
}
