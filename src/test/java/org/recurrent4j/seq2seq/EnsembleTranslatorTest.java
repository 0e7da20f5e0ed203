package org.recurrent4j.seq2seq;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recurrent4j.data.vocab.Vocabulary;

/** Ensembles of {@link Seq2SeqModel}s through {@link Translator#builder(List)}: against one model, and refused. */
class EnsembleTranslatorTest {

    private static Seq2SeqModel model(long seed) {
        Seq2SeqModel m = TranslatorFixtures.randomModel(6, 6, false, seed);
        m.graph().getLayer(Seq2SeqBuilder.OUTPUT).getParam("W").muli(4);        // sharper than at initialisation
        return m;
    }

    private static List<Translation> translate(List<Seq2SeqModel> models, List<List<String>> sources) {
        return Translator.builder(models).beamWidth(3).nBest(3).maxLength(6).lengthPenalty(LengthPenalty.gnmt(0.6))
                .coveragePenalty(0.2).batchSize(3).build().translate(sources);
    }

    private static void assertSameTranslations(List<Translation> expected, List<Translation> actual) {
        for (int i = 0; i < expected.size(); i++) {
            List<Hypothesis> e = expected.get(i).nBest();
            List<Hypothesis> a = actual.get(i).nBest();
            assertEquals(e.size(), a.size());
            for (int h = 0; h < e.size(); h++) {
                assertEquals(e.get(h).tokens(), a.get(h).tokens(), "sentence " + i + ", hypothesis " + h);
                assertEquals(e.get(h).logProbability(), a.get(h).logProbability(), 0.0);
                assertEquals(e.get(h).score(), a.get(h).score(), 0.0);
                assertArrayEquals(e.get(h).alignment(), a.get(h).alignment());
            }
        }
    }

    @Test
    void anEnsembleOfOneModelOrOfTwoCopiesOfItOrOfItTwiceTranslatesAsTheModel() {
        Seq2SeqModel m = model(5);
        List<List<String>> sources = TranslatorTest.randomSources(m, 7, 1, 6, 8);
        List<Translation> alone = Translator.builder(m).beamWidth(3).nBest(3).maxLength(6)
                .lengthPenalty(LengthPenalty.gnmt(0.6)).coveragePenalty(0.2).batchSize(3).build().translate(sources);
        assertSameTranslations(alone, translate(List.of(m), sources));
        // (x + x) / 2 = x exactly in floating point: the same words and the same scores
        assertSameTranslations(alone, translate(List.of(m, model(5)), sources));
        assertSameTranslations(alone, translate(List.of(m, m), sources));
    }

    @Test
    void twoDifferentModelsScoreByTheMeanOfTheirLogProbabilitiesAndTranslateAsNeither() {
        Seq2SeqModel a = model(5);
        Seq2SeqModel b = model(6);
        EnsembleStepModel ensemble = new EnsembleStepModel(List.of(new Seq2SeqStepModel(a), new Seq2SeqStepModel(b)));
        Seq2SeqStepModel alone = new Seq2SeqStepModel(a);
        Seq2SeqStepModel other = new Seq2SeqStepModel(b);
        List<int[]> source = List.of(new int[] {4, 5, 6}, new int[] {7, 8});
        int[] start = {Vocabulary.BOS_ID, Vocabulary.BOS_ID};
        ensemble.encode(source);
        alone.encode(source);
        other.encode(source);
        StepModel.Step mean = ensemble.step(start);
        StepModel.Step pa = alone.step(start);
        StepModel.Step pb = other.step(start);
        for (int r = 0; r < 2; r++) {
            for (int w = 0; w < ensemble.vocabularySize(); w++) {
                assertEquals((pa.logProbability(r, w) + pb.logProbability(r, w)) / 2, mean.logProbability(r, w), 1e-15);
            }
            for (int j = 0; j < 3; j++) {
                assertEquals((pa.alignment()[r][j] + pb.alignment()[r][j]) / 2, mean.alignment()[r][j], 1e-15);
            }
        }

        List<List<String>> sources = TranslatorTest.randomSources(a, 12, 1, 6, 9);
        List<Translation> both = translate(List.of(a, b), sources);
        List<Translation> onlyA = translate(List.of(a), sources);
        List<Translation> onlyB = translate(List.of(b), sources);
        assertNotEquals(onlyA.stream().map(Translation::tokens).toList(), both.stream().map(Translation::tokens).toList());
        assertNotEquals(onlyB.stream().map(Translation::tokens).toList(), both.stream().map(Translation::tokens).toList());
        for (int i = 0; i < sources.size(); i++) {
            Hypothesis h = both.get(i).best();
            double[] logA = TranslatorFixtures.referenceLogProbabilities(a, sources.get(i), List.of(h.ids()));
            double[] logB = TranslatorFixtures.referenceLogProbabilities(b, sources.get(i), List.of(h.ids()));
            assertEquals((logA[0] + logB[0]) / 2, h.logProbability(), 1e-9, "sentence " + i);
        }
    }

    @Test
    void modelsWithDifferentVocabulariesAreRefusedNamingTheFileAndTheEntry(@TempDir Path dir) {
        Seq2SeqModel a = model(5);
        a.save(dir.resolve("a.zip"), false);
        TranslatorFixtures.withTargetWord(model(6), 7, "house").save(dir.resolve("b.zip"), false);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Translator.builder(
                List.of(Seq2SeqModel.load(dir.resolve("a.zip"), false), Seq2SeqModel.load(dir.resolve("b.zip"), false))));
        assertTrue(e.getMessage().contains("model 2 (" + dir.resolve("b.zip") + ") has a different target vocabulary")
                && e.getMessage().contains("model 1 (" + dir.resolve("a.zip") + ")")
                && e.getMessage().contains("entry 7 is 'house', expected 't3'"), e.getMessage());

        e = assertThrows(IllegalArgumentException.class,
                () -> Translator.builder(List.of(a, TranslatorFixtures.randomModel(7, 6, false, 6))));
        assertTrue(e.getMessage().contains("model 2 has a different source vocabulary (11 words) from model 1 "
                + "(10 words): entry 10 is 's6', expected none (only 10)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Translator.builder(List.of(a, TranslatorFixtures.randomModel(6, 6, true, 6))));
        assertTrue(e.getMessage().contains("model 2 reads the source reversed, expected in order as model 1"),
                e.getMessage());
    }
}
