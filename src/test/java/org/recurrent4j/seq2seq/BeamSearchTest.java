package org.recurrent4j.seq2seq;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.recurrent4j.seq2seq.ScriptedStepModel.idsEnded;
import static org.recurrent4j.seq2seq.ScriptedStepModel.logProbabilities;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.recurrent4j.data.vocab.Vocabulary;

/**
 * {@link BeamSearch} on {@link ScriptedStepModel}s: which hypotheses stay alive at each step, which finish and with
 * what log-probability, the length rules and the words never produced, without a network.
 */
class BeamSearchTest {
    private static final double RARE = Math.log(1e-4);

    /** Runs one search over one source per length (its ids do not matter to a scripted model). */
    private static List<List<BeamSearch.Node>> search(ScriptedStepModel model, int beamWidth, int minLength,
                                                      int[] sourceLengths, int[] maxLengths) {
        List<int[]> sources = new ArrayList<>();
        for (int length : sourceLengths) {
            sources.add(new int[length]);
        }
        return new BeamSearch(model, beamWidth, minLength).search(sources, sourceLengths, maxLengths);
    }

    private static void assertFinished(List<BeamSearch.Node> finished, String... words) {
        assertEquals(words.length, finished.size(), "finished hypotheses");
        for (int i = 0; i < words.length; i++) {
            assertArrayEquals(idsEnded(words[i]), finished.get(i).ids(), "finished hypothesis " + i);
        }
    }

    @Test
    void eachStepKeepsTheMostProbableExtensionsAndAFinishedHypothesisShrinksTheBeam() {
        ScriptedStepModel model = new ScriptedStepModel(0, (s, prefix) -> switch (prefix.toString()) {
            case "[]" -> logProbabilities(RARE, 'a', 0.5, 'b', 0.3, 'c', 0.2);
            case "[4]" -> logProbabilities(RARE, Vocabulary.EOS_ID, 0.7, 'a', 0.1, 'b', 0.1, 'c', 0.1);
            case "[5]" -> logProbabilities(RARE, 'c', 0.9, Vocabulary.EOS_ID, 0.05);
            case "[5, 6]" -> logProbabilities(RARE, Vocabulary.EOS_ID, 0.6, 'a', 0.4);
            default -> logProbabilities(RARE, Vocabulary.EOS_ID, 0.9);
        });
        List<BeamSearch.Node> finished = search(model, 2, 0, new int[] {1}, new int[] {10}).get(0);

        assertEquals(List.of(List.of("0: "), List.of("0: a", "0: b"), List.of("0: b c")), model.steps());
        assertFinished(finished, "a", "bc");
        assertEquals(Math.log(0.5) + Math.log(0.7), finished.get(0).logProbability, 1e-12);
        assertEquals(Math.log(0.3) + Math.log(0.9) + Math.log(0.6), finished.get(1).logProbability, 1e-12);
        assertNull(finished.get(0).alignment, "no attention, no alignment");
    }

    @Test
    void paddingAndStartOfSentenceAreNeverChosenHoweverProbable() {
        ScriptedStepModel model = new ScriptedStepModel(0, (s, prefix) -> prefix.isEmpty()
                ? logProbabilities(RARE, Vocabulary.PAD_ID, 0.6, Vocabulary.BOS_ID, 0.3,
                        Vocabulary.UNK_ID, 0.05, 'a', 0.04)
                : logProbabilities(RARE, Vocabulary.PAD_ID, 0.5, Vocabulary.BOS_ID, 0.4,
                        Vocabulary.EOS_ID, 0.1));
        List<BeamSearch.Node> finished = search(model, 2, 0, new int[] {1}, new int[] {10}).get(0);

        assertEquals(List.of(List.of("0: "), List.of("0: <unk>", "0: a")), model.steps());
        assertEquals(2, finished.size());
        assertArrayEquals(new int[] {Vocabulary.UNK_ID, Vocabulary.EOS_ID}, finished.get(0).ids());
        assertArrayEquals(idsEnded("a"), finished.get(1).ids());
    }

    @Test
    void endOfSentenceIsRefusedBeforeTheMinimumLength() {
        ScriptedStepModel model = new ScriptedStepModel(0,
                (s, prefix) -> logProbabilities(RARE, Vocabulary.EOS_ID, 0.9, 'a', 0.1));

        assertFinished(search(model, 1, 0, new int[] {1}, new int[] {10}).get(0), "");
        List<BeamSearch.Node> atLeastTwo = search(model, 1, 2, new int[] {1}, new int[] {10}).get(0);
        assertFinished(atLeastTwo, "aa");
        assertEquals(2 * Math.log(0.1) + Math.log(0.9), atLeastTwo.get(0).logProbability, 1e-12);
    }

    @Test
    void atTheMaximumLengthOnlyEndOfSentenceIsAllowedWithTheModelsProbability() {
        ScriptedStepModel model = new ScriptedStepModel(0,
                (s, prefix) -> logProbabilities(RARE, 'a', 0.9, 'b', 0.08, Vocabulary.EOS_ID, 0.01));

        List<BeamSearch.Node> greedy = search(model, 1, 0, new int[] {1}, new int[] {3}).get(0);
        assertFinished(greedy, "aaa");
        assertEquals(3 * Math.log(0.9) + Math.log(0.01), greedy.get(0).logProbability, 1e-12);

        List<BeamSearch.Node> beam = search(model, 2, 0, new int[] {1}, new int[] {2}).get(0);
        assertFinished(beam, "aa", "ab");
        assertEquals(List.of(List.of("0: "), List.of("0: a", "0: b"), List.of("0: a a", "0: a b")), model.steps());
    }

    @Test
    void beamWidthOneIsGreedyDecoding() {
        ScriptedStepModel.Script script = (s, prefix) -> {
            Random rnd = new Random(31L * prefix.hashCode() + s);
            double[] logP = new double[ScriptedStepModel.VOCABULARY];
            Arrays.setAll(logP, w -> Math.log(rnd.nextDouble()));
            return logP;
        };
        ScriptedStepModel model = new ScriptedStepModel(0, script);
        int[] maxLengths = {6, 4, 7};
        int minLength = 1;
        List<List<BeamSearch.Node>> out = search(model, 1, minLength, new int[] {2, 3, 1}, maxLengths);
        for (int s = 0; s < maxLengths.length; s++) {
            List<Integer> expected = new ArrayList<>();
            double logP = 0;
            while (expected.isEmpty() || expected.get(expected.size() - 1) != Vocabulary.EOS_ID) {
                double[] row = script.logProbabilities(s, expected);
                int best = -1;
                for (int w = 0; w < row.length; w++) {
                    boolean allowed = w != Vocabulary.PAD_ID && w != Vocabulary.BOS_ID
                            && (w != Vocabulary.EOS_ID || expected.size() >= minLength)
                            && (w == Vocabulary.EOS_ID || expected.size() < maxLengths[s]);
                    best = allowed && (best < 0 || row[w] > row[best]) ? w : best;
                }
                expected.add(best);
                logP += row[best];
            }
            assertEquals(1, out.get(s).size(), "sentence " + s);
            assertArrayEquals(expected.stream().mapToInt(Integer::intValue).toArray(), out.get(s).get(0).ids(),
                    "sentence " + s);
            assertEquals(logP, out.get(s).get(0).logProbability, 1e-12, "sentence " + s);
        }
    }

    @Test
    void sentencesOfOneBatchFinishAtDifferentStepsEachWithBeamWidthHypotheses() {
        ScriptedStepModel model = new ScriptedStepModel(4, (s, prefix) -> switch (s + ":" + prefix) {
            case "0:[]" -> logProbabilities(RARE, Vocabulary.EOS_ID, 0.8, 'a', 0.2);
            case "1:[]" -> logProbabilities(RARE, 'a', 0.9, 'b', 0.05);
            case "1:[4]" -> logProbabilities(RARE, 'b', 0.9, 'c', 0.05);
            case "1:[5]" -> logProbabilities(RARE, 'c', 0.5);
            default -> logProbabilities(RARE, Vocabulary.EOS_ID, 0.9);
        });
        List<List<BeamSearch.Node>> out = search(model, 2, 0, new int[] {2, 3}, new int[] {10, 10});

        assertEquals(List.of(List.of("0: ", "1: "), List.of("0: a", "1: a", "1: b"), List.of("1: a b", "1: a c")),
                model.steps());
        assertFinished(out.get(0), "", "a");
        assertFinished(out.get(1), "ab", "ac");
        assertEquals(Math.log(0.9) * 3, out.get(1).get(0).logProbability, 1e-12);
        // each step's attention row, cut to the sentence's real source length
        assertArrayEquals(new double[][] {{0, 1}, {10, 11}}, out.get(0).get(1).alignments());
        assertArrayEquals(new double[][] {{0, 1, 2}, {10, 11, 12}, {20, 21, 22}}, out.get(1).get(1).alignments());
    }

    @Test
    void topWordsAreTheLargestValuesLowerIdFirstOnTies() {
        Random rnd = new Random(1);
        for (int trial = 0; trial < 50; trial++) {
            double[] row = new double[1 + rnd.nextInt(30)];
            for (int w = 0; w < row.length; w++) {
                row[w] = rnd.nextInt(8) == 0 ? Double.NEGATIVE_INFINITY : rnd.nextInt(6);   // many ties
            }
            int k = 1 + rnd.nextInt(row.length);
            double[] values = new double[k];
            int[] ids = new int[k];
            BeamSearch.topWords(row, k, values, ids);
            Integer[] order = new Integer[row.length];
            for (int w = 0; w < row.length; w++) {
                order[w] = w;
            }
            Arrays.sort(order, (a, b) -> row[a] != row[b] ? Double.compare(row[b], row[a]) : Integer.compare(a, b));
            for (int i = 0; i < k; i++) {
                assertEquals(order[i], ids[i], "trial " + trial + " rank " + i);
                assertEquals(row[order[i]], values[i]);
            }
        }
    }
}
