package org.recurrent4j.seq2seq;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.recurrent4j.data.vocab.Vocabulary;

/** {@link Translator}: greedy and beam search against independent references built on the full graph. */
class TranslatorTest {

    static List<List<String>> randomSources(Seq2SeqModel model, int count, int minLength, int maxLength, long seed) {
        Random rnd = new Random(seed);
        int words = model.sourceVocabulary().size() - Vocabulary.SPECIALS.size();
        List<List<String>> sources = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            sources.add(TranslatorFixtures.tokens(model.sourceVocabulary(),
                    TranslatorFixtures.randomSentence(rnd, words, minLength, maxLength)));
        }
        return sources;
    }

    @Test
    void beamWidthOneIsGreedyDecodingOfTheFullGraph() {
        Seq2SeqModel model = TranslatorFixtures.trainedReverser(6, false, 30, 11);
        Translator greedy = Translator.builder(model).beamWidth(1).maxLength(8).batchSize(4).build();
        List<List<String>> sources = randomSources(model, 6, 1, 7, 4);
        List<Translation> out = greedy.translate(sources);
        for (int i = 0; i < sources.size(); i++) {
            int[] expected = TranslatorFixtures.referenceGreedy(model, sources.get(i), 8);
            Hypothesis h = out.get(i).best();
            assertArrayEquals(expected, h.ids(), "sentence " + i + " " + sources.get(i));
            TranslatorFixtures.Reference ref = TranslatorFixtures.reference(model, sources.get(i), List.of(expected));
            assertEquals(ref.logProbability()[0], h.logProbability(), 1e-9);
            assertEquals(h.logProbability(), h.score(), 0.0, "no penalties: the score is the log-probability");
            assertEquals(h.ids().length + 1, h.alignment().length);
            for (int t = 0; t < h.alignment().length; t++) {
                assertArrayEquals(ref.alignment()[0][t], h.alignment()[t], 1e-9);
                assertEquals(1.0, Arrays.stream(h.alignment()[t]).sum(), 1e-9);
            }
            assertEquals(1, out.get(i).nBest().size());
        }
    }

    /**
     * Target vocabulary of 3 words + specials, at most 4 words: 1 + 4 + 16 + 64 + 256 = 341 sequences over
     * {<unk>, t0, t1, t2}. A beam of 341 keeps every prefix, so the search must return every sequence with the
     * full graph's log-probability, and its best must be the brute-force best under each scoring.
     */
    @Test
    void aBeamHoldingEveryPrefixReturnsTheBruteForceBest() {
        Seq2SeqModel model = TranslatorFixtures.randomModel(5, 3, false, 21);
        model.graph().getLayer(Seq2SeqBuilder.OUTPUT).getParam("W").muli(4);     // sharper than at initialisation
        int maxLength = 4;
        List<int[]> all = TranslatorFixtures.allSequences(new int[] {Vocabulary.UNK_ID, 4, 5, 6}, maxLength);
        assertEquals(341, all.size());
        List<List<String>> sources = List.of(List.of("s0", "s3", "s1"), List.of("s4", "s2", "s2", "s0", "s1"));
        List<LengthPenalty> penalties = List.of(LengthPenalty.NONE, LengthPenalty.AVERAGE, LengthPenalty.gnmt(0.6));
        double[] betas = {0, 0, 0.4};
        for (int p = 0; p < penalties.size(); p++) {
            Translator wide = Translator.builder(model).beamWidth(all.size()).nBest(all.size()).maxLength(maxLength)
                    .lengthPenalty(penalties.get(p)).coveragePenalty(betas[p]).build();
            List<Translation> out = wide.translate(sources);
            for (int s = 0; s < sources.size(); s++) {
                TranslatorFixtures.Reference ref = TranslatorFixtures.reference(model, sources.get(s), all);
                int best = 0;
                double[] score = new double[all.size()];
                Map<String, Integer> index = new HashMap<>();
                for (int i = 0; i < all.size(); i++) {
                    int predictions = all.get(i).length + 1;
                    double lp = p == 0 ? 1 : p == 1 ? predictions : Math.pow((5.0 + predictions) / 6.0, 0.6);
                    score[i] = ref.logProbability()[i] / lp + betas[p] * TranslatorFixtures.referenceCoverage(ref.alignment()[i]);
                    best = score[i] > score[best] ? i : best;
                    index.put(Arrays.toString(all.get(i)), i);
                }
                Translation t = out.get(s);
                String what = penalties.get(p) + ", sentence " + s;
                assertArrayEquals(all.get(best), t.best().ids(), what);
                assertEquals(score[best], t.score(), 1e-9, what);
                assertEquals(all.size(), t.nBest().size(), what + ": every sequence was finished");
                for (Hypothesis h : t.nBest()) {
                    Integer i = index.remove(Arrays.toString(h.ids()));
                    assertTrue(i != null, what + ": duplicate or foreign hypothesis " + Arrays.toString(h.ids()));
                    assertEquals(ref.logProbability()[i], h.logProbability(), 1e-9, what);
                    assertEquals(score[i], h.score(), 1e-9, what);
                }
            }
        }
    }

    @Test
    void beamSearchScoresAtLeastGreedyOnAverageAndNBestListsAreSortedAndExact() {
        Seq2SeqModel model = TranslatorFixtures.trainedReverser(6, false, 30, 12);
        List<List<String>> sources = randomSources(model, 16, 2, 8, 9);
        List<Translation> greedy = Translator.builder(model).maxLength(12).build().translate(sources);
        List<Translation> beam = Translator.builder(model).beamWidth(5).nBest(5).maxLength(12).build().translate(sources);
        double greedyMean = greedy.stream().mapToDouble(Translation::score).average().orElseThrow();
        double beamMean = beam.stream().mapToDouble(Translation::score).average().orElseThrow();
        assertTrue(beamMean >= greedyMean, "beam " + beamMean + " < greedy " + greedyMean);
        for (int s = 0; s < sources.size(); s++) {
            List<Hypothesis> n = beam.get(s).nBest();
            assertEquals(5, n.size());
            List<int[]> ids = n.stream().map(Hypothesis::ids).toList();
            double[] ref = TranslatorFixtures.referenceLogProbabilities(model, sources.get(s), ids);
            for (int i = 0; i < n.size(); i++) {
                assertEquals(ref[i], n.get(i).logProbability(), 1e-9);
                if (i > 0) {
                    assertTrue(n.get(i - 1).score() >= n.get(i).score(), "n-best not sorted at " + i);
                    assertTrue(!Arrays.equals(n.get(i - 1).ids(), n.get(i).ids()), "duplicate hypothesis");
                }
            }
        }
    }
}
