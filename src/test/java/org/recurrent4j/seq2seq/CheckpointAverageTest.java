package org.recurrent4j.seq2seq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** {@link CheckpointAverage}: the element-wise mean of the parameters, what the result keeps, what is refused. */
class CheckpointAverageTest {

    @Test
    void averagingCopiesOfOneModelGivesItsParameters() {
        Seq2SeqModel a = TranslatorFixtures.randomModel(6, 5, false, 3);
        Seq2SeqModel averaged = CheckpointAverage.average(List.of(a, TranslatorFixtures.randomModel(6, 5, false, 3)));
        assertEquals(a.graph().params(), averaged.graph().params());
        assertEquals("2", averaged.property(CheckpointAverage.AVERAGED_MODELS));
    }

    @Test
    void averagingTwoModelsGivesTheElementwiseMeanAndLeavesThemUnchanged() {
        Seq2SeqModel a = TranslatorFixtures.randomModel(6, 5, false, 3);
        Seq2SeqModel b = TranslatorFixtures.randomModel(6, 5, false, 4);
        INDArray before = a.graph().params().dup();
        Seq2SeqModel averaged = CheckpointAverage.average(List.of(a, b));
        INDArray expected = a.graph().params().add(b.graph().params()).div(2);
        assertEquals(expected, averaged.graph().params());
        assertNotEquals(a.graph().params(), averaged.graph().params());
        assertNotEquals(b.graph().params(), averaged.graph().params());
        assertEquals(before, a.graph().params(), "the models averaged are not changed");
        assertEquals(DataType.DOUBLE, averaged.graph().params().dataType());
        assertEquals(b.targetVocabulary(), averaged.targetVocabulary());
    }

    @Test
    void theWrittenAverageLoadsWithoutTrainingStateOrUpdater(@TempDir Path dir) {
        Seq2SeqModel a = TranslatorFixtures.randomModel(6, 5, true, 3);
        Seq2SeqModel b = TranslatorFixtures.randomModel(6, 5, true, 4);
        Seq2SeqTrainingState.START.writeTo(b);
        b.setProperty(Seq2SeqModel.TOKENIZER, "whitespace");
        a.save(dir.resolve("a.zip"));
        b.save(dir.resolve("b.zip"));
        CheckpointAverage.averageFiles(List.of(dir.resolve("a.zip"), dir.resolve("b.zip")))
                .save(dir.resolve("averaged.zip"), false);

        Seq2SeqModel loaded = Seq2SeqModel.load(dir.resolve("averaged.zip"), false);
        assertEquals(CheckpointAverage.average(List.of(a, b)).graph().params(), loaded.graph().params());
        assertTrue(loaded.reverseSource());
        assertEquals("whitespace", loaded.property(Seq2SeqModel.TOKENIZER), "the last model's properties");
        assertFalse(loaded.properties().keySet().stream().anyMatch(Seq2SeqTrainingState::isStateProperty),
                loaded.properties().toString());
        assertEquals("2", loaded.property(CheckpointAverage.AVERAGED_MODELS));
    }

    @Test
    void modelsOfAnotherArchitectureOrVocabularyAreRefusedNamingTheFileAndTheDifference(@TempDir Path dir) {
        Seq2SeqModel a = TranslatorFixtures.randomModel(6, 5, false, 3);
        Seq2SeqModel wider = Seq2SeqBuilder.rnnSearch().embeddingSize(6).encoderSize(5).decoderSize(9).maxoutSize(4)
                .attentionSize(5).dataType(DataType.DOUBLE).seed(3).build(a.sourceVocabulary(), a.targetVocabulary());
        a.save(dir.resolve("a.zip"), false);
        wider.save(dir.resolve("wider.zip"), false);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CheckpointAverage.averageFiles(List.of(dir.resolve("a.zip"), dir.resolve("wider.zip"))));
        assertEquals("CheckpointAverage: model 2 (" + dir.resolve("wider.zip") + ") has a different architecture: "
                + "parameter 'decoder_W [6, 27]', expected 'decoder_W [6, 21]' as model 1 (" + dir.resolve("a.zip")
                + ")", e.getMessage(), "a GRU decoder of 9 units has 3 · 9 gate columns, of 7 units 3 · 7");

        e = assertThrows(IllegalArgumentException.class, () -> CheckpointAverage.average(
                List.of(a, TranslatorFixtures.withTargetWord(TranslatorFixtures.randomModel(6, 5, false, 4), 4, "la"))));
        assertTrue(e.getMessage().contains("model 2 has a different target vocabulary (9 words) from model 1 (9 words): "
                + "entry 4 is 'la', expected 't0'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> CheckpointAverage.average(List.of(a)));
        assertEquals("CheckpointAverage: needs at least 2 models to average, got 1", e.getMessage());
    }
}
