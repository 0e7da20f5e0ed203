package org.recurrent4j.seq2seq;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link Translator}: greedy and beam search against independent references built on the full graph. */
class TranslatorTest {

    @Test
    void beamWidthOneIsGreedyDecodingOfTheFullGraph() {
        Seq2SeqModel model = TranslatorFixtures.trainedReverser(6, false, 30, 11);
        Translator greedy = Translator.builder(model).beamWidth(1).maxLength(8).build();
        Random rnd = new Random(4);
        List<List<String>> sources = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            sources.add(TranslatorFixtures.tokens(model.sourceVocabulary(), TranslatorFixtures.randomSentence(rnd, 6, 1, 7)));
        }
        List<Translation> out = greedy.translate(sources);
        for (int i = 0; i < sources.size(); i++) {
            int[] expected = TranslatorFixtures.referenceGreedy(model, sources.get(i), 8);
            Hypothesis h = out.get(i).best();
            assertArrayEquals(expected, h.ids(), "sentence " + i + " " + sources.get(i));
            double ref = TranslatorFixtures.referenceLogProbabilities(model, sources.get(i), List.of(expected))[0];
            assertEquals(ref, h.logProbability(), 1e-9);
            assertEquals(h.ids().length + 1, h.alignment().length);
            assertEquals(sources.get(i).size(), h.alignment()[0].length);
            for (double[] row : h.alignment()) {
                assertEquals(1.0, java.util.Arrays.stream(row).sum(), 1e-9);
            }
        }
    }
}
