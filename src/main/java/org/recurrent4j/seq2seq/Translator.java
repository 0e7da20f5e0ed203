package org.recurrent4j.seq2seq;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.recurrent4j.conf.graph.AttentionDecoderVertex;
import org.recurrent4j.data.vocab.Vocabulary;

/**
 * Translates tokenized source sentences with a {@link Seq2SeqModel}: greedy decoding ({@code beamWidth(1)}) or beam
 * search, batched, with length and coverage penalties, length limits, n-best lists and optional {@code <unk>}
 * replacement.
 *
 * <pre>
 * Translator t = Translator.builder(model).beamWidth(10).lengthPenalty(LengthPenalty.gnmt(0.6)).nBest(3).build();
 * List&lt;Translation&gt; out = t.translate(List.of(List.of("la", "casa"), List.of("el", "perro")));
 * </pre>
 *
 * <p><b>How.</b> Sentences are decoded in batches of {@code batchSize} (grouped by source length, results returned
 * in input order). For each batch the graph's encoder layers run once, then all live hypotheses of all its sentences
 * advance together through one decoder step per output word ({@link BeamSearch} over the model's
 * {@link Seq2SeqStepModel}); the user never tiles anything.
 * The source is reversed before encoding if {@link Seq2SeqModel#reverseSource()}, and alignments are mapped back
 * to the original source positions.
 *
 * <p><b>Scores.</b> {@link Hypothesis#logProbability()} is the model's {@code log P(y </s> | x)}, summed in double.
 * Finished hypotheses are ranked by {@code score = logP / lp(L) + β Σ_j log(min(Σ_i α_ij, 1))} with the
 * {@link LengthPenalty} {@code lp} and GNMT's coverage penalty ({@code β = coveragePenalty}, the sum over the real
 * source positions j of the attention each received over all steps, {@code </s>}'s included; a coverage below
 * 1e-10 counts as 1e-10 so that the penalty stays finite).
 *
 * <p><b>Lengths.</b> A translation has at least {@code minLength} and at most
 * {@code max(minLength, min(maxLength, ceil(maxLengthRatio · Tx)))} words (without {@code </s>}; Tx = source
 * words; a ratio of 0 means no ratio limit). A hypothesis that reaches the limit is ended with {@code </s>}, whose
 * probability is counted.
 *
 * <p><b>Unusual input</b>, all decoded without an exception: source words not in the source vocabulary are fed as
 * {@code <unk>} (counted in {@link Translation#unknownSourceWords()}; a line of only unknown words is decoded from
 * {@code <unk>}s like any other); an empty source gives one empty hypothesis with log-probability 0 without
 * running the model ({@link Translation#emptySource()}); a source longer than the model property
 * {@link Seq2SeqModel#MAX_TRAINING_SOURCE_LENGTH} is decoded and marked
 * ({@link Translation#longerThanTraining()}), or refused with {@link #builder} option
 * {@code rejectLongerThanTraining(true)}. A vocabulary that does not match the graph is refused when the
 * {@link Seq2SeqModel} is made.
 *
 * <p><b>Ensembles.</b> {@link #builder(List)} with several models decodes with all of them at once: at every step
 * each model scores the same hypotheses and the beam search uses the mean of their log-probabilities,
 * {@code log p(w) = (1/M) Σ_m log p_m(w)}, and the mean of their attention weights ({@link EnsembleStepModel}).
 * The models must share both vocabularies (the same words in the same order) and the source order; the first model
 * gives the vocabularies, {@link Seq2SeqModel#MAX_TRAINING_SOURCE_LENGTH} and {@link #model()}. One model decodes
 * exactly as without an ensemble.
 *
 * <p>Not thread-safe (the graph is shared); use one translator per thread with its own model copy.
 */
public final class Translator {
    private static final double MIN_COVERAGE = 1e-10;

    private final Seq2SeqModel model;
    private final List<Seq2SeqModel> models;
    private final int beamWidth;
    private final LengthPenalty lengthPenalty;
    private final double coveragePenalty;
    private final int minLength;
    private final int maxLength;
    private final double maxLengthRatio;
    private final int nBest;
    private final boolean replaceUnknown;
    private final int batchSize;
    private final boolean rejectLongerThanTraining;
    private final int maxTrainingSourceLength;
    private final BeamSearch search;

    private Translator(Builder b) {
        this.models = b.models;
        this.model = models.get(0);
        this.beamWidth = b.beamWidth;
        this.lengthPenalty = b.lengthPenalty;
        this.coveragePenalty = b.coveragePenalty;
        this.minLength = b.minLength;
        this.maxLength = b.maxLength;
        this.maxLengthRatio = b.maxLengthRatio;
        this.nBest = b.nBest;
        this.replaceUnknown = b.replaceUnknown;
        this.batchSize = b.batchSize;
        this.rejectLongerThanTraining = b.rejectLongerThanTraining;
        this.maxTrainingSourceLength = maxTrainingSourceLength(model);
        this.search = new BeamSearch(stepModel(models), beamWidth, minLength);
    }

    /** @return one model's step model, or the ensemble of the models' step models */
    private static StepModel stepModel(List<Seq2SeqModel> models) {
        List<Seq2SeqStepModel> members = models.stream().map(Seq2SeqStepModel::new).toList();
        return members.size() == 1 ? members.get(0) : new EnsembleStepModel(members);
    }

    /** @return a builder with defaults: greedy, no penalties, lengths 0 … 200 and 2·Tx + 10, 1-best, batches of 32 */
    public static Builder builder(Seq2SeqModel model) {
        if (model == null) {
            throw new IllegalArgumentException("Translator.builder: model must not be null");
        }
        return new Builder(List.of(model));
    }

    /**
     * @param models the models of an ensemble (one model: as {@link #builder(Seq2SeqModel)}), sharing their source
     *               and target vocabularies and their source order; the first one's properties govern
     * @return a builder with the defaults of {@link #builder(Seq2SeqModel)}
     * @throws IllegalArgumentException for no model, a null model, or models that do not share their vocabularies
     *                                  or source order (names both models, by file when loaded from one, and the
     *                                  first differing vocabulary entry)
     */
    public static Builder builder(List<Seq2SeqModel> models) {
        if (models == null || models.isEmpty() || models.stream().anyMatch(java.util.Objects::isNull)) {
            throw new IllegalArgumentException("Translator.builder: models must be one or more non-null models, got "
                    + models);
        }
        for (int i = 1; i < models.size(); i++) {
            ModelCompatibility.requireSameInputsAndOutputs("Translator ensemble", models.get(0),
                    ModelCompatibility.name(models.get(0), 0), models.get(i), ModelCompatibility.name(models.get(i), i));
        }
        return new Builder(List.copyOf(models));
    }

    /**
     * @return the translation of one tokenized sentence (named apart from {@link #translate(List)}: Java cannot
     *     overload on {@code List<String>} vs {@code List<List<String>>})
     */
    public Translation translateSentence(List<String> sourceTokens) {
        return translate(List.of(sourceTokens)).get(0);
    }

    /**
     * @param sourceTokens tokenized source sentences (none null)
     * @return one translation per sentence, in the same order
     * @throws IllegalArgumentException for a null sentence or token, or (with {@code rejectLongerThanTraining}) a
     *                                  sentence longer than any seen in training; names the sentence index
     */
    public List<Translation> translate(List<List<String>> sourceTokens) {
        Translation[] out = new Translation[sourceTokens.size()];
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < out.length; i++) {
            List<String> s = sourceTokens.get(i);
            check(s, i);
            if (s.isEmpty()) {
                out[i] = new Translation(s, List.of(new Hypothesis(List.of(), new int[0], 0.0, 0.0, new double[0][0])),
                        0, false);
            } else {
                order.add(i);
            }
        }
        // group similar lengths (less padding); the results do not depend on the grouping
        order.sort(Comparator.comparingInt(i -> sourceTokens.get(i).size()));
        for (int from = 0; from < order.size(); from += batchSize) {
            List<Integer> batch = order.subList(from, Math.min(order.size(), from + batchSize));
            List<Translation> done = translateBatch(batch.stream().map(sourceTokens::get).toList());
            for (int j = 0; j < batch.size(); j++) {
                out[batch.get(j)] = done.get(j);
            }
        }
        return Arrays.asList(out);
    }

    private void check(List<String> sentence, int index) {
        if (sentence == null || sentence.stream().anyMatch(java.util.Objects::isNull)) {
            throw new IllegalArgumentException("Translator: sentence " + index + " must be a list of non-null tokens, got "
                    + sentence);
        }
        if (rejectLongerThanTraining && maxTrainingSourceLength > 0 && sentence.size() > maxTrainingSourceLength) {
            throw new IllegalArgumentException("Translator: sentence " + index + " has " + sentence.size()
                    + " tokens, more than the longest training source (" + maxTrainingSourceLength
                    + ", model property " + Seq2SeqModel.MAX_TRAINING_SOURCE_LENGTH + "); expected at most "
                    + maxTrainingSourceLength + " (rejectLongerThanTraining is set)");
        }
    }

    /** Translates non-empty sentences, all in one batch. */
    private List<Translation> translateBatch(List<List<String>> sentences) {
        Vocabulary sourceVocabulary = model.sourceVocabulary();
        List<int[]> ids = new ArrayList<>();
        int[] lengths = new int[sentences.size()];
        int[] limits = new int[sentences.size()];
        for (int i = 0; i < sentences.size(); i++) {
            int[] s = sourceVocabulary.encode(sentences.get(i));
            if (model.reverseSource()) {
                reverse(s);
            }
            ids.add(s);
            lengths[i] = s.length;
            limits[i] = lengthLimit(s.length);
        }
        List<List<BeamSearch.Node>> finished = search.search(ids, lengths, limits);
        List<Translation> out = new ArrayList<>();
        for (int i = 0; i < sentences.size(); i++) {
            List<String> source = sentences.get(i);
            List<Hypothesis> hypotheses = new ArrayList<>();
            for (BeamSearch.Node n : finished.get(i)) {
                hypotheses.add(hypothesis(n, source));
            }
            hypotheses.sort(Comparator.comparingDouble(Hypothesis::score).reversed());
            int unknown = (int) Arrays.stream(ids.get(i)).filter(id -> id == Vocabulary.UNK_ID).count();
            boolean longer = maxTrainingSourceLength > 0 && source.size() > maxTrainingSourceLength;
            out.add(new Translation(source, hypotheses.subList(0, Math.min(nBest, hypotheses.size())), unknown, longer));
        }
        return out;
    }

    /** @return the most words a translation of a source of {@code sourceLength} words may have */
    int lengthLimit(int sourceLength) {
        int limit = maxLength;
        if (maxLengthRatio > 0) {
            limit = (int) Math.min(limit, Math.ceil(maxLengthRatio * sourceLength));
        }
        return Math.max(minLength, limit);
    }

    /** Turns a finished node into a hypothesis: original-order alignment, words, scores. */
    private Hypothesis hypothesis(BeamSearch.Node node, List<String> source) {
        int[] withEos = node.ids();
        int[] ids = Arrays.copyOf(withEos, withEos.length - 1);
        double[][] alignment = node.alignments();                      // [n + 1][Tx], model order
        if (model.reverseSource()) {
            for (double[] row : alignment) {
                reverse(row);
            }
        }
        Vocabulary target = model.targetVocabulary();
        List<String> tokens = new ArrayList<>(ids.length);
        for (int i = 0; i < ids.length; i++) {
            tokens.add(replaceUnknown && ids[i] == Vocabulary.UNK_ID ? source.get(argmax(alignment[i]))
                    : target.token(ids[i]));
        }
        double score = node.logProbability / lengthPenalty.divisor(withEos.length);
        if (coveragePenalty != 0) {
            score += coveragePenalty * coverage(alignment, source.size());
        }
        return new Hypothesis(List.copyOf(tokens), ids, node.logProbability, score, alignment);
    }

    /** @return Σ_j log(min(Σ_i α_ij, 1)) over the source positions j (GNMT's coverage term, ≤ 0) */
    static double coverage(double[][] alignment, int sourceLength) {
        double sum = 0;
        for (int j = 0; j < sourceLength; j++) {
            double c = 0;
            for (double[] row : alignment) {
                c += row[j];
            }
            sum += Math.log(Math.min(Math.max(c, MIN_COVERAGE), 1.0));
        }
        return sum;
    }

    private static int argmax(double[] a) {
        int best = 0;
        for (int j = 1; j < a.length; j++) {
            if (a[j] > a[best]) {
                best = j;
            }
        }
        return best;
    }

    private static void reverse(int[] a) {
        for (int i = 0, j = a.length - 1; i < j; i++, j--) {
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    private static void reverse(double[] a) {
        for (int i = 0, j = a.length - 1; i < j; i++, j--) {
            double t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    private static int maxTrainingSourceLength(Seq2SeqModel model) {
        String v = model.property(Seq2SeqModel.MAX_TRAINING_SOURCE_LENGTH);
        if (v == null) {
            return 0;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Translator: model property " + Seq2SeqModel.MAX_TRAINING_SOURCE_LENGTH
                    + " must be an integer, got '" + v + "'", e);
        }
    }

    /** @return the model this translator decodes with (the first of an ensemble) */
    public Seq2SeqModel model() { return model; }
    /** @return the models this translator decodes with: one, or the members of an ensemble */
    public List<Seq2SeqModel> models() { return models; }
    /** @return the beam width (1 = greedy) */
    public int beamWidth() { return beamWidth; }

    /** Settings of a {@link Translator}; every setter checks its argument. */
    public static final class Builder {
        private final List<Seq2SeqModel> models;
        private int beamWidth = 1;
        private LengthPenalty lengthPenalty = LengthPenalty.NONE;
        private double coveragePenalty = 0;
        private int minLength = 0;
        private int maxLength = 200;
        private double maxLengthRatio = 0;
        private int nBest = 1;
        private boolean replaceUnknown = false;
        private int batchSize = 32;
        private boolean rejectLongerThanTraining = false;

        private Builder(List<Seq2SeqModel> models) {
            this.models = models;
        }

        /** hypotheses kept per sentence (1 = greedy decoding); default 1 */
        public Builder beamWidth(int k) {
            require(k >= 1, "beamWidth", ">= 1", k);
            beamWidth = k;
            return this;
        }

        /** how finished hypotheses are normalised by length; default {@link LengthPenalty#NONE} */
        public Builder lengthPenalty(LengthPenalty p) {
            require(p != null, "lengthPenalty", "not null", p);
            lengthPenalty = p;
            return this;
        }

        /** GNMT's coverage-penalty weight β ≥ 0; 0 (default) = off; needs a model with attention (in an ensemble: one) */
        public Builder coveragePenalty(double beta) {
            require(beta >= 0 && Double.isFinite(beta), "coveragePenalty", "a finite number >= 0", beta);
            coveragePenalty = beta;
            return this;
        }

        /** the fewest words of a translation (without {@code </s>}); default 0 */
        public Builder minLength(int n) {
            require(n >= 0, "minLength", ">= 0", n);
            minLength = n;
            return this;
        }

        /** the most words of a translation (without {@code </s>}); default 200 */
        public Builder maxLength(int n) {
            require(n >= 1, "maxLength", ">= 1", n);
            maxLength = n;
            return this;
        }

        /** the most words of a translation as a multiple of the source length (rounded up); 0 (default) = off */
        public Builder maxLengthRatio(double r) {
            require(r >= 0 && Double.isFinite(r), "maxLengthRatio", "a finite number >= 0", r);
            maxLengthRatio = r;
            return this;
        }

        /** hypotheses returned per sentence, best first (at most beamWidth); default 1 */
        public Builder nBest(int n) {
            require(n >= 1, "nBest", ">= 1", n);
            nBest = n;
            return this;
        }

        /** replace each output {@code <unk>} by the source word it attends to most; default false */
        public Builder replaceUnknown(boolean r) {
            replaceUnknown = r;
            return this;
        }

        /** sentences decoded together (each with its beam); default 32 */
        public Builder batchSize(int n) {
            require(n >= 1, "batchSize", ">= 1", n);
            batchSize = n;
            return this;
        }

        /**
         * refuse (IllegalArgumentException) sources longer than the model property
         * {@link Seq2SeqModel#MAX_TRAINING_SOURCE_LENGTH} instead of decoding and marking them; default false
         */
        public Builder rejectLongerThanTraining(boolean r) {
            rejectLongerThanTraining = r;
            return this;
        }

        /** @throws IllegalArgumentException for settings that contradict each other or the model */
        public Translator build() {
            require(nBest <= beamWidth, "nBest", "<= beamWidth (" + beamWidth + ")", nBest);
            require(minLength <= maxLength, "minLength", "<= maxLength (" + maxLength + ")", minLength);
            boolean attention = models.stream().anyMatch(Builder::attends);
            require(attention || coveragePenalty == 0, "coveragePenalty",
                    "0 for a model without attention (RNNenc)", coveragePenalty);
            require(attention || !replaceUnknown, "replaceUnknown",
                    "false for a model without attention (RNNenc)", replaceUnknown);
            return new Translator(this);
        }

        private static boolean attends(Seq2SeqModel model) {
            return model.decoder().getConfig() instanceof AttentionDecoderVertex v
                    && v.getAttention() != AttentionDecoderVertex.Attention.NONE;
        }

        private static void require(boolean ok, String option, String expected, Object actual) {
            if (!ok) {
                throw new IllegalArgumentException("Translator: " + option + " must be " + expected + ", got " + actual);
            }
        }
    }
}
