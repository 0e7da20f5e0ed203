package org.recurrent4j.seq2seq;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.recurrent4j.nn.engine.ConstantGarbageCollection;

/**
 * The compute engine reads ND4J arrays through views that hold only their address, so every array it reads must stay
 * reachable until the engine is done with it; otherwise the garbage collector may free (and ND4J reuse) its memory
 * in the middle of a step. Beam search makes many short-lived arrays per step, so a collection running at any moment
 * during decoding must not change a single translation or score.
 */
class TranslatorUnderGarbageCollectionTest {

    private static List<String> decode(Translator translator, List<List<String>> sources) {
        return translator.translate(sources).stream().map(t -> t.tokens() + " " + t.score()).toList();
    }

    @Test
    void collectionsDuringBeamSearchChangeNoTranslation() throws InterruptedException {
        Seq2SeqModel model = TranslatorFixtures.randomModel(40, 40, false, 5);
        Translator translator = Translator.builder(model).beamWidth(3).maxLength(20).batchSize(16).build();
        List<List<String>> sources = TranslatorTest.randomSources(model, 160, 2, 14, 9);
        List<String> calm = decode(translator, sources);

        try (ConstantGarbageCollection gc = new ConstantGarbageCollection()) {
            for (int round = 0; round < 4; round++) {
                assertEquals(calm, decode(translator, sources), "round " + round + " under garbage collections");
            }
        }
    }
}
