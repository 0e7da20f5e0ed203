package org.recurrent4j.seq2seq;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.recurrent4j.seq2seq.ScriptedStepModel.idsEnded;
import static org.recurrent4j.seq2seq.ScriptedStepModel.logProbabilities;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.recurrent4j.data.vocab.Vocabulary;

/**
 * {@link EnsembleStepModel} over {@link ScriptedStepModel}s: the mean of the members' log-probabilities, the mean of
 * the attending members' attention, rows kept in every member, and a search whose choice is neither member's.
 */
class EnsembleStepModelTest {
    private static final double RARE = Math.log(1e-4);

    /** Prefers 'a' (0.5) to 'c' (0.4) to 'b' (0.1), then ends. */
    private static ScriptedStepModel prefersA(int alignmentLength) {
        return new ScriptedStepModel(alignmentLength, (s, prefix) -> prefix.isEmpty()
                ? logProbabilities(RARE, 'a', 0.5, 'c', 0.4, 'b', 0.1)
                : logProbabilities(RARE, Vocabulary.EOS_ID, 0.9));
    }

    /** Prefers 'b' (0.5) to 'c' (0.4) to 'a' (0.1), then ends. */
    private static ScriptedStepModel prefersB(int alignmentLength) {
        return new ScriptedStepModel(alignmentLength, (s, prefix) -> prefix.isEmpty()
                ? logProbabilities(RARE, 'b', 0.5, 'c', 0.4, 'a', 0.1)
                : logProbabilities(RARE, Vocabulary.EOS_ID, 0.8));
    }

    private static List<BeamSearch.Node> greedy(StepModel model) {
        return new BeamSearch(model, 1, 0).search(List.of(new int[3]), new int[] {3}, new int[] {5}).get(0);
    }

    @Test
    void eachLogProbabilityIsTheMeanOfTheMembersAndTheAttentionTheMeanOfTheirs() {
        ScriptedStepModel a = prefersA(3);
        ScriptedStepModel b = prefersB(3);
        EnsembleStepModel ensemble = new EnsembleStepModel(List.of(a, b));
        ensemble.encode(List.of(new int[3], new int[3]));
        StepModel.Step step = ensemble.step(new int[] {Vocabulary.BOS_ID, Vocabulary.BOS_ID});
        for (int row = 0; row < 2; row++) {
            double[] expectedA = logProbabilities(RARE, 'a', 0.5, 'c', 0.4, 'b', 0.1);
            double[] expectedB = logProbabilities(RARE, 'b', 0.5, 'c', 0.4, 'a', 0.1);
            for (int w = 0; w < ensemble.vocabularySize(); w++) {
                assertEquals((expectedA[w] + expectedB[w]) / 2, step.logProbability(row, w), 1e-15, "word " + w);
            }
            assertArrayEquals(new double[] {0, 1, 2}, step.alignment()[row], "both members attend 10 t + j");
        }
        ensemble.selectRows(new long[] {1, 1}, new long[] {1, 1});
        ensemble.step(new int[] {ScriptedStepModel.id('a'), ScriptedStepModel.id('b')});
        List<List<String>> expected = List.of(List.of("0: ", "1: "), List.of("1: a", "1: b"));
        assertEquals(expected, a.steps(), "every member keeps the chosen rows");
        assertEquals(expected, b.steps());
    }

    @Test
    void theEnsemblesChoiceIsNeitherMembersAndItsScoreTheMeanOfTheirs() {
        assertArrayEquals(idsEnded("a"), greedy(prefersA(0)).get(0).ids());
        assertArrayEquals(idsEnded("b"), greedy(prefersB(0)).get(0).ids());
        BeamSearch.Node best = greedy(new EnsembleStepModel(List.of(prefersA(0), prefersB(0)))).get(0);
        assertArrayEquals(idsEnded("c"), best.ids(), "sqrt(0.4 · 0.4) > sqrt(0.5 · 0.1)");
        double expected = (Math.log(0.4) + Math.log(0.9)) / 2 + (Math.log(0.4) + Math.log(0.8)) / 2;
        assertEquals(expected, best.logProbability, 1e-12);
    }

    @Test
    void oneMemberIsThatMember() {
        List<BeamSearch.Node> alone = greedy(prefersA(3));
        List<BeamSearch.Node> ensemble = greedy(new EnsembleStepModel(List.of(prefersA(3))));
        assertArrayEquals(alone.get(0).ids(), ensemble.get(0).ids());
        assertEquals(alone.get(0).logProbability, ensemble.get(0).logProbability, 0.0);
        assertArrayEquals(alone.get(0).alignments(), ensemble.get(0).alignments());
    }

    @Test
    void theAttentionIsTheMeanOfTheAttendingMembersOnly() {
        EnsembleStepModel ensemble = new EnsembleStepModel(List.of(prefersA(0), prefersB(2)));
        ensemble.encode(List.of(new int[2]));
        assertArrayEquals(new double[][] {{0, 1}}, ensemble.step(new int[] {Vocabulary.BOS_ID}).alignment());
        EnsembleStepModel blind = new EnsembleStepModel(List.of(prefersA(0), prefersB(0)));
        blind.encode(List.of(new int[2]));
        assertNull(blind.step(new int[] {Vocabulary.BOS_ID}).alignment());
    }

    @Test
    void membersScoringDifferentVocabulariesAreRefused() {
        StepModel smaller = new StepModel() {
            @Override
            public int vocabularySize() {
                return ScriptedStepModel.VOCABULARY - 1;
            }

            @Override
            public void encode(List<int[]> sourceIds) {
                throw new AssertionError("not decoded");
            }

            @Override
            public Step step(int[] previousTokens) {
                throw new AssertionError("not decoded");
            }

            @Override
            public void selectRows(long[] parentRows, long[] rowSentences) {
                throw new AssertionError("not decoded");
            }
        };
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new EnsembleStepModel(List.of(prefersA(0), smaller)));
        assertTrue(e.getMessage().contains("member 2 scores " + (ScriptedStepModel.VOCABULARY - 1)
                + " target words, expected " + ScriptedStepModel.VOCABULARY), e.getMessage());
    }
}
