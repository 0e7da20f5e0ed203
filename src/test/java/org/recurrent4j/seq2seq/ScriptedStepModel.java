package org.recurrent4j.seq2seq;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.recurrent4j.data.vocab.Vocabulary;

/**
 * A {@link StepModel} without a network: each row's next-word log-probabilities come from a {@link Script} of the
 * row's sentence and the words it has produced so far. It records the rows of every step ("sentence: words"), so
 * tests can say which hypotheses were alive when. Words are the specials followed by {@code a, b, c, d, e}.
 */
final class ScriptedStepModel implements StepModel {
    /** The model's answer for one row. */
    interface Script {
        /** @return the log-probability of every word of the vocabulary after {@code prefix} (no {@code <s>}) */
        double[] logProbabilities(int sentence, List<Integer> prefix);
    }

    static final int VOCABULARY = Vocabulary.SPECIALS.size() + 5;

    private final Script script;
    private final int alignmentLength;
    private List<Integer> rowSentences = new ArrayList<>();
    private List<List<Integer>> rowPrefixes = new ArrayList<>();
    private List<List<Integer>> lastPrefixes;
    private final List<List<String>> steps = new ArrayList<>();

    /**
     * @param alignmentLength the length of the attention rows each step reports (0: no attention); the weight of
     *                        source position j at a row's step t is {@code 10 t + j}
     */
    ScriptedStepModel(int alignmentLength, Script script) {
        this.alignmentLength = alignmentLength;
        this.script = script;
    }

    /** @return the id of word {@code 'a'}, {@code 'b'}, … */
    static int id(char word) {
        return Vocabulary.SPECIALS.size() + word - 'a';
    }

    /** @return the ids of the words of {@code words}, e.g. {@code "ab"}, followed by {@code </s>} */
    static int[] idsEnded(String words) {
        int[] ids = new int[words.length() + 1];
        for (int i = 0; i < words.length(); i++) {
            ids[i] = id(words.charAt(i));
        }
        ids[words.length()] = Vocabulary.EOS_ID;
        return ids;
    }

    /**
     * @param wordProbabilities pairs of a word (a {@code char} 'a' … or a special's id) and its probability
     * @return log-probabilities of {@code logOther} for every word but those given
     */
    static double[] logProbabilities(double logOther, Object... wordProbabilities) {
        double[] out = new double[VOCABULARY];
        Arrays.fill(out, logOther);
        for (int i = 0; i < wordProbabilities.length; i += 2) {
            Object w = wordProbabilities[i];
            int id = w instanceof Character c ? id(c) : (Integer) w;
            out[id] = Math.log((Double) wordProbabilities[i + 1]);
        }
        return out;
    }

    /** @return per step so far, its rows as {@code "sentence: words"} (e.g. {@code "0: a b"}, {@code "1: "}) */
    List<List<String>> steps() {
        return steps;
    }

    @Override
    public int vocabularySize() {
        return VOCABULARY;
    }

    @Override
    public void encode(List<int[]> sourceIds) {
        rowSentences = new ArrayList<>();
        rowPrefixes = new ArrayList<>();
        for (int s = 0; s < sourceIds.size(); s++) {
            rowSentences.add(s);
            rowPrefixes.add(List.of());
        }
        steps.clear();
    }

    @Override
    public Step step(int[] previousTokens) {
        int rows = rowSentences.size();
        if (previousTokens.length != rows) {
            throw new AssertionError(previousTokens.length + " previous tokens for " + rows + " rows");
        }
        double[][] logP = new double[rows][];
        double[][] alignment = alignmentLength == 0 ? null : new double[rows][alignmentLength];
        List<String> described = new ArrayList<>();
        lastPrefixes = new ArrayList<>();
        for (int r = 0; r < rows; r++) {
            List<Integer> prefix = rowPrefixes.get(r);
            if (steps.isEmpty() != (previousTokens[r] == Vocabulary.BOS_ID)) {
                throw new AssertionError("step " + steps.size() + ", row " + r + ": previous token " + previousTokens[r]);
            }
            if (!steps.isEmpty()) {                              // the parent's words and the word chosen for this row
                prefix = new ArrayList<>(prefix);
                prefix.add(previousTokens[r]);
            }
            logP[r] = script.logProbabilities(rowSentences.get(r), prefix);
            for (int j = 0; alignment != null && j < alignmentLength; j++) {
                alignment[r][j] = 10 * prefix.size() + j;
            }
            described.add(rowSentences.get(r) + ": " + words(prefix));
            lastPrefixes.add(prefix);
        }
        steps.add(described);
        return new Step() {
            @Override
            public double logProbability(int row, int word) {
                return logP[row][word];
            }

            @Override
            public double[][] alignment() {
                return alignment;
            }
        };
    }

    /** Row i continues row parentRows[i]: its words are the parent's and the next step's previous token. */
    @Override
    public void selectRows(long[] parentRows, long[] sentences) {
        List<Integer> nextSentences = new ArrayList<>();
        List<List<Integer>> nextPrefixes = new ArrayList<>();
        for (int i = 0; i < parentRows.length; i++) {
            int parent = (int) parentRows[i];
            if (sentences[i] != rowSentences.get(parent)) {
                throw new AssertionError("row " + i + " continues row " + parent + " of sentence "
                        + rowSentences.get(parent) + " but is said to be of sentence " + sentences[i]);
            }
            nextSentences.add(rowSentences.get(parent));
            nextPrefixes.add(lastPrefixes.get(parent));
        }
        rowSentences = nextSentences;
        rowPrefixes = nextPrefixes;
    }

    private static String words(List<Integer> prefix) {
        StringBuilder b = new StringBuilder();
        for (int id : prefix) {
            b.append(b.length() == 0 ? "" : " ").append(id >= Vocabulary.SPECIALS.size()
                    ? String.valueOf((char) ('a' + id - Vocabulary.SPECIALS.size())) : Vocabulary.SPECIALS.get(id));
        }
        return b.toString();
    }
}
