package org.recurrent4j.seq2seq;

import java.util.List;

/**
 * The translation of one source sentence: the best hypothesis, the n-best list it heads, and facts about the
 * source that a caller may want to report.
 *
 * <p>An empty source sentence is translated, without running the model, to one empty hypothesis with
 * log-probability 0 and an empty alignment ({@link #emptySource()} is true).
 */
public final class Translation {
    private final List<String> sourceTokens;
    private final List<Hypothesis> nBest;
    private final int unknownSourceWords;
    private final boolean longerThanTraining;

    Translation(List<String> sourceTokens, List<Hypothesis> nBest, int unknownSourceWords, boolean longerThanTraining) {
        this.sourceTokens = List.copyOf(sourceTokens);
        this.nBest = List.copyOf(nBest);
        this.unknownSourceWords = unknownSourceWords;
        this.longerThanTraining = longerThanTraining;
    }

    /** @return the best hypothesis' output words (no {@code </s>}) */
    public List<String> tokens() { return best().tokens(); }
    /** @return the best hypothesis' log-probability under the model */
    public double logProbability() { return best().logProbability(); }
    /** @return the best hypothesis' score (see {@link Hypothesis#score()}) */
    public double score() { return best().score(); }
    /** @return the best hypothesis' alignment [tokens + 1][Tx] (see {@link Hypothesis#alignment()}) */
    public double[][] alignment() { return best().alignment(); }
    /** @return the best hypothesis */
    public Hypothesis best() { return nBest.get(0); }
    /** @return the hypotheses, best score first (at most the translator's {@code nBest}) */
    public List<Hypothesis> nBest() { return nBest; }
    /** @return the source words as given (before vocabulary lookup or reversal) */
    public List<String> sourceTokens() { return sourceTokens; }
    /** @return how many source words are not in the source vocabulary (fed to the model as {@code <unk>}) */
    public int unknownSourceWords() { return unknownSourceWords; }
    /** @return whether the source had no words (nothing was decoded) */
    public boolean emptySource() { return sourceTokens.isEmpty(); }
    /**
     * @return whether the source is longer than any source the model was trained on (the model property
     *     {@link Seq2SeqModel#MAX_TRAINING_SOURCE_LENGTH}); such sentences are decoded anyway, but the model has
     *     never seen their length; false when the model does not record it
     */
    public boolean longerThanTraining() { return longerThanTraining; }

    @Override
    public String toString() {
        return String.join(" ", tokens()) + " (logP " + logProbability() + ", score " + score() + ")";
    }
}
