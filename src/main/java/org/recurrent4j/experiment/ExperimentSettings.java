package org.recurrent4j.experiment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything that determines a BLEU-vs-length run: model sizes, vocabulary, optimiser, budget, decoding and
 * evaluation settings, seed and parallelism. Immutable; build with {@link #quick()} or {@link #full()} and adjust
 * with {@link #toBuilder()}.
 */
public final class ExperimentSettings {
    private final int embeddingSize;
    private final int hiddenSize;
    private final int maxoutSize;
    private final int attentionSize;
    private final int vocabularyWords;
    private final int subwords;
    private final Optimizer optimizer;
    private final double learningRate;
    private final double learningRateDecay;
    private final double clipNorm;
    private final int batchSize;
    private final int updates;
    private final int epochs;
    private final int beamWidth;
    private final double maxLengthRatio;
    private final int testLimit;
    private final int bucketWidth;
    private final int minBucketSentences;
    private final int longSentenceLength;
    private final double claimMargin;
    private final long seed;
    private final int threads;
    private final List<Integer> lengthFilters;

    private ExperimentSettings(Builder b) {
        embeddingSize = positive(b.embeddingSize, "embeddingSize");
        hiddenSize = positive(b.hiddenSize, "hiddenSize");
        maxoutSize = nonNegative(b.maxoutSize, "maxoutSize");
        attentionSize = positive(b.attentionSize, "attentionSize");
        vocabularyWords = positive(b.vocabularyWords, "vocabularyWords");
        subwords = nonNegative(b.subwords, "subwords");
        optimizer = Objects.requireNonNull(b.optimizer, "ExperimentSettings: optimizer");
        if (!(b.learningRate > 0)) {
            throw new IllegalArgumentException("ExperimentSettings: learningRate must be > 0, got " + b.learningRate);
        }
        learningRate = b.learningRate;
        if (!(b.learningRateDecay > 0 && b.learningRateDecay <= 1)) {
            throw new IllegalArgumentException("ExperimentSettings: learningRateDecay must be in (0, 1], got "
                    + b.learningRateDecay);
        }
        learningRateDecay = b.learningRateDecay;
        if (!(b.clipNorm > 0)) {
            throw new IllegalArgumentException("ExperimentSettings: clipNorm must be > 0, got " + b.clipNorm);
        }
        clipNorm = b.clipNorm;
        batchSize = positive(b.batchSize, "batchSize");
        updates = nonNegative(b.updates, "updates");
        epochs = nonNegative(b.epochs, "epochs");
        if ((updates == 0) == (epochs == 0)) {
            throw new IllegalArgumentException("ExperimentSettings: set exactly one budget, updates or epochs (the "
                    + "other 0); got updates " + updates + ", epochs " + epochs);
        }
        beamWidth = positive(b.beamWidth, "beamWidth");
        if (!(b.maxLengthRatio > 0)) {
            throw new IllegalArgumentException("ExperimentSettings: maxLengthRatio must be > 0, got " + b.maxLengthRatio);
        }
        maxLengthRatio = b.maxLengthRatio;
        testLimit = nonNegative(b.testLimit, "testLimit");
        bucketWidth = positive(b.bucketWidth, "bucketWidth");
        minBucketSentences = positive(b.minBucketSentences, "minBucketSentences");
        longSentenceLength = positive(b.longSentenceLength, "longSentenceLength");
        if (!(b.claimMargin >= 0)) {
            throw new IllegalArgumentException("ExperimentSettings: claimMargin must be >= 0, got " + b.claimMargin);
        }
        claimMargin = b.claimMargin;
        seed = b.seed;
        threads = positive(b.threads, "threads");
        if (b.lengthFilters.isEmpty() || b.lengthFilters.stream().anyMatch(n -> n < 1)) {
            throw new IllegalArgumentException("ExperimentSettings: lengthFilters must be non-empty and >= 1, got "
                    + b.lengthFilters);
        }
        lengthFilters = List.copyOf(b.lengthFilters);
    }

    /**
     * The {@code --quick} preset: small models (embedding 64, hidden 128, maxout 64, attention 64), the 3,000 most
     * frequent words per language, Adam 0.01 decaying exponentially to 0.001 over the budget, global-norm clipping at
     * 1, minibatch 32, 4,000 updates per model (a fixed budget of updates, not wall time, so that the run is
     * deterministic), beam 5, two models trained at once in two threads. About 12 minutes on an idle 2-core machine,
     * the most the main job affords within 15 minutes. Without the decay, 4,000 updates made RNNsearch-50 worse than
     * 2,400 for two seeds of three (README, "The quick run, measured").
     */
    public static ExperimentSettings quick() {
        return new Builder().build();
    }

    /**
     * The paper's settings (Bahdanau et al. 2014): embedding 620, hidden 1000, maxout 500, attention 1000, the 30,000
     * most frequent words, Adadelta (ρ 0.95, ε 1e-6), clipping at 1, minibatch 80, beam 10; budget in epochs.
     */
    public static ExperimentSettings full() {
        return new Builder().embeddingSize(620).hiddenSize(1000).maxoutSize(500).attentionSize(1000)
                .vocabularyWords(30000).optimizer(Optimizer.ADADELTA).learningRateDecay(1).batchSize(80).updates(0)
                .epochs(5).beamWidth(10).threads(1).build();
    }

    /** @return a builder holding these settings */
    public Builder toBuilder() {
        return new Builder().embeddingSize(embeddingSize).hiddenSize(hiddenSize).maxoutSize(maxoutSize)
                .attentionSize(attentionSize).vocabularyWords(vocabularyWords).subwords(subwords).optimizer(optimizer)
                .learningRate(learningRate).learningRateDecay(learningRateDecay).clipNorm(clipNorm).batchSize(batchSize)
                .updates(updates).epochs(epochs).beamWidth(beamWidth).maxLengthRatio(maxLengthRatio).testLimit(testLimit)
                .bucketWidth(bucketWidth).minBucketSentences(minBucketSentences).longSentenceLength(longSentenceLength)
                .claimMargin(claimMargin).seed(seed).threads(threads).lengthFilters(lengthFilters);
    }

    /** word-embedding size of both sides */
    public int embeddingSize() { return embeddingSize; }
    /** encoder (each direction) and decoder state size */
    public int hiddenSize() { return hiddenSize; }
    /** deep-output maxout size */
    public int maxoutSize() { return maxoutSize; }
    /** hidden size of the additive attention scores */
    public int attentionSize() { return attentionSize; }
    /** most frequent words kept per language; the rest become {@code <unk>} */
    public int vocabularyWords() { return vocabularyWords; }
    /** BPE pieces per language learned from the training split (SentencePiece's vocabulary size); 0 = words */
    public int subwords() { return subwords; }
    /** the optimiser */
    public Optimizer optimizer() { return optimizer; }
    /** Adam's learning rate (Adadelta ignores it) */
    public double learningRate() { return learningRate; }
    /**
     * the fraction of {@link #learningRate()} that Adam's learning rate has decayed to, exponentially, at the end of
     * the budget; 1 = constant (Adadelta ignores it)
     */
    public double learningRateDecay() { return learningRateDecay; }
    /** global gradient-norm threshold */
    public double clipNorm() { return clipNorm; }
    /** sentence pairs per minibatch */
    public int batchSize() { return batchSize; }
    /** parameter updates per model, or 0 when the budget is {@link #epochs()} */
    public int updates() { return updates; }
    /** epochs per model, or 0 when the budget is {@link #updates()} */
    public int epochs() { return epochs; }
    /** beam width of the test translations */
    public int beamWidth() { return beamWidth; }
    /** longest translation, as a multiple of the source length */
    public double maxLengthRatio() { return maxLengthRatio; }
    /** test sentences evaluated (the first n), 0 = all */
    public int testLimit() { return testLimit; }
    /** width of the source-length buckets, in tokens */
    public int bucketWidth() { return bucketWidth; }
    /** buckets with fewer sentences are left out of the plot and the slope */
    public int minBucketSentences() { return minBucketSentences; }
    /** sentences with at least this many source tokens are "long" (the first claim) */
    public int longSentenceLength() { return longSentenceLength; }
    /** BLEU points by which RNNsearch must beat RNNenc on long sentences for the first claim */
    public double claimMargin() { return claimMargin; }
    /** seed of initialisation and data order */
    public long seed() { return seed; }
    /** models trained at once */
    public int threads() { return threads; }
    /** the training length filters (30 and 50 in the paper) */
    public List<Integer> lengthFilters() { return lengthFilters; }

    /** @return the settings as name → value text, in a fixed order (for results) */
    public Map<String, String> describe() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("embedding", Integer.toString(embeddingSize));
        m.put("hidden", Integer.toString(hiddenSize));
        m.put("maxout", Integer.toString(maxoutSize));
        m.put("attention", Integer.toString(attentionSize));
        m.put("vocabulary", subwords > 0
                ? "BPE, " + subwords + " pieces per language (SentencePiece's size; learned from the training split)"
                : vocabularyWords + " words per language (+4 specials), rest <unk>");
        m.put("optimizer", optimizer.describe(learningRate, learningRateDecay));
        m.put("gradient clipping", "global norm " + clipNorm);
        m.put("minibatch", Integer.toString(batchSize));
        m.put("budget", updates > 0 ? updates + " updates per model" : epochs + " epochs per model");
        m.put("beam width", Integer.toString(beamWidth));
        m.put("test sentences", testLimit == 0 ? "all" : "first " + testLimit);
        m.put("buckets", bucketWidth + " source tokens; plot and slope use buckets with >= " + minBucketSentences
                + " sentences");
        m.put("seed", Long.toString(seed));
        m.put("threads", Integer.toString(threads));
        return m;
    }

    private static int positive(int v, String name) {
        if (v < 1) {
            throw new IllegalArgumentException("ExperimentSettings: " + name + " must be >= 1, got " + v);
        }
        return v;
    }

    private static int nonNegative(int v, String name) {
        if (v < 0) {
            throw new IllegalArgumentException("ExperimentSettings: " + name + " must be >= 0, got " + v);
        }
        return v;
    }

    /** Builder; starts from the {@link #quick()} values. */
    public static final class Builder {
        private int embeddingSize = 64;
        private int hiddenSize = 128;
        private int maxoutSize = 64;
        private int attentionSize = 64;
        private int vocabularyWords = 3000;
        private int subwords = 0;
        private Optimizer optimizer = Optimizer.ADAM;
        private double learningRate = 0.01;
        private double learningRateDecay = 0.1;
        private double clipNorm = 1.0;
        private int batchSize = 32;
        private int updates = 4000;
        private int epochs = 0;
        private int beamWidth = 5;
        private double maxLengthRatio = 2.0;
        private int testLimit = 0;
        private int bucketWidth = 10;
        private int minBucketSentences = 20;
        private int longSentenceLength = 30;
        private double claimMargin = 2.0;
        private long seed = 42;
        private int threads = 2;
        private List<Integer> lengthFilters = List.of(30, 50);

        public Builder embeddingSize(int v) { embeddingSize = v; return this; }
        public Builder hiddenSize(int v) { hiddenSize = v; return this; }
        public Builder maxoutSize(int v) { maxoutSize = v; return this; }
        public Builder attentionSize(int v) { attentionSize = v; return this; }
        public Builder vocabularyWords(int v) { vocabularyWords = v; return this; }
        /** BPE pieces per language, 0 = words (the shortlist of vocabularyWords) */
        public Builder subwords(int v) { subwords = v; return this; }
        public Builder optimizer(Optimizer v) { optimizer = v; return this; }
        public Builder learningRate(double v) { learningRate = v; return this; }
        /** fraction of the learning rate reached at the end of the budget, exponentially; 1 = constant */
        public Builder learningRateDecay(double v) { learningRateDecay = v; return this; }
        public Builder clipNorm(double v) { clipNorm = v; return this; }
        public Builder batchSize(int v) { batchSize = v; return this; }
        /** budget in updates (sets epochs to 0 when v &gt; 0) */
        public Builder updates(int v) { updates = v; if (v > 0) { epochs = 0; } return this; }
        /** budget in epochs (sets updates to 0 when v &gt; 0) */
        public Builder epochs(int v) { epochs = v; if (v > 0) { updates = 0; } return this; }
        public Builder beamWidth(int v) { beamWidth = v; return this; }
        public Builder maxLengthRatio(double v) { maxLengthRatio = v; return this; }
        public Builder testLimit(int v) { testLimit = v; return this; }
        public Builder bucketWidth(int v) { bucketWidth = v; return this; }
        public Builder minBucketSentences(int v) { minBucketSentences = v; return this; }
        public Builder longSentenceLength(int v) { longSentenceLength = v; return this; }
        public Builder claimMargin(double v) { claimMargin = v; return this; }
        public Builder seed(long v) { seed = v; return this; }
        public Builder threads(int v) { threads = v; return this; }
        public Builder lengthFilters(List<Integer> v) { lengthFilters = new ArrayList<>(v); return this; }

        public ExperimentSettings build() {
            return new ExperimentSettings(this);
        }
    }
}
