package org.recurrent4j.eval;

import java.util.List;

/**
 * sacreBLEU-compatible BLEU (Papineni et al. 2002), modelled on sacreBLEU {@value #SACREBLEU_VERSION}
 * ({@code sacrebleu/metrics/bleu.py}): same tokenizers, n-gram clipping, closest reference length, brevity
 * penalty, smoothing methods, effective order, signatures and result lines.
 *
 * <p>Two ways in:
 * <pre>{@code
 * BleuScore s = Bleu.corpusScore(hypotheses, List.of(refStream1, refStream2));   // sacreBLEU's BLEU() defaults
 * BleuMetric bleu = Bleu.builder().tokenize("13a").lowercase(true).smoothing(Bleu.Smoothing.FLOOR).build();
 * BleuScore t = bleu.corpusScore(hypotheses, referenceStreams);
 * }</pre>
 * The configured metric is a {@link BleuMetric}: a separate class only because Java cannot have the static
 * {@code Bleu.corpusScore} and an instance method of the same signature in one class.
 */
public final class Bleu {

    /** The sacreBLEU release this implementation reproduces; it appears in every signature. */
    public static final String SACREBLEU_VERSION = "2.6.0";

    /** sacreBLEU's default maximum n-gram order ({@code MAX_NGRAM_ORDER}). */
    public static final int DEFAULT_MAX_NGRAM_ORDER = 4;

    /**
     * sacreBLEU's smoothing methods, from Chen and Cherry (2014), "A Systematic Comparison of Smoothing
     * Techniques for Sentence-Level BLEU".
     */
    public enum Smoothing {
        /** No smoothing: an order with no match makes the score 0. */
        NONE("none", Double.NaN),
        /** Method 1: an order with no match gets precision {@code smoothValue / total} (default 0.1). */
        FLOOR("floor", 0.1),
        /** Method 2: adds {@code smoothValue} (default 1) to matches and totals of orders n > 1. */
        ADD_K("add-k", 1.0),
        /** Method 3, NIST's (mteval-v13a.pl): the k-th order with no match gets precision {@code 1 / (2^k total)}. */
        EXP("exp", Double.NaN);

        private final String sacrebleuName;
        private final double defaultValue;

        Smoothing(String sacrebleuName, double defaultValue) {
            this.sacrebleuName = sacrebleuName;
            this.defaultValue = defaultValue;
        }

        /** @return the method's name in sacreBLEU ({@code smooth_method}) and in signatures */
        public String sacrebleuName() {
            return sacrebleuName;
        }

        /** @return whether the method takes a value (floor and add-k) */
        public boolean takesValue() {
            return !Double.isNaN(defaultValue);
        }

        /** @return the default value of floor (0.1) and add-k (1); NaN for methods that take no value */
        public double defaultValue() {
            return defaultValue;
        }
    }

    private static final BleuMetric CORPUS_DEFAULT = builder().build();
    private static final BleuMetric SENTENCE_DEFAULT = builder().effectiveOrder(true).build();

    private Bleu() {
    }

    /** @return a builder of a {@link BleuMetric}; its defaults are sacreBLEU's {@code BLEU()} defaults */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Corpus BLEU with sacreBLEU's defaults ({@code BLEU().corpus_score(hypotheses, references)}): 13a
     * tokenizer, mixed case, exp smoothing, max order 4, no effective order.
     *
     * @param hypotheses       one line per segment
     * @param referenceStreams one or more reference streams, each parallel to {@code hypotheses}; a
     *                         {@code null} reference means this segment has one reference fewer
     */
    public static BleuScore corpusScore(List<String> hypotheses, List<List<String>> referenceStreams) {
        return CORPUS_DEFAULT.corpusScore(hypotheses, referenceStreams);
    }

    /**
     * Sentence BLEU with the defaults of sacreBLEU's {@code sentence_bleu(hypothesis, references)}: as
     * {@link #corpusScore} but with effective order (recommended at sentence level).
     *
     * @param hypothesis one segment
     * @param references its references (one per reference stream; {@code null} entries are dropped)
     */
    public static BleuScore sentenceScore(String hypothesis, List<String> references) {
        return SENTENCE_DEFAULT.sentenceScore(hypothesis, references);
    }

    /** Options of a {@link BleuMetric}, named and defaulted as sacreBLEU's {@code BLEU(...)} arguments. */
    public static final class Builder {
        private String tokenize = "13a";
        private boolean lowercase = false;
        private Smoothing smoothing = Smoothing.EXP;
        private Double smoothValue = null;
        private int maxNgramOrder = DEFAULT_MAX_NGRAM_ORDER;
        private boolean effectiveOrder = false;

        private Builder() {
        }

        /** @param name {@code "13a"} (default), {@code "none"} (whitespace only) or {@code "char"} */
        public Builder tokenize(String name) {
            this.tokenize = name;
            return this;
        }

        /** @param lowercase whether to lowercase hypotheses and references ({@code case:lc}); default false */
        public Builder lowercase(boolean lowercase) {
            this.lowercase = lowercase;
            return this;
        }

        /** @param smoothing the smoothing method; default {@link Smoothing#EXP} */
        public Builder smoothing(Smoothing smoothing) {
            this.smoothing = smoothing;
            return this;
        }

        /** @param value the value of floor or add-k smoothing (>= 0); default: the method's default */
        public Builder smoothValue(double value) {
            this.smoothValue = value;
            return this;
        }

        /** @param order the maximum n-gram order (>= 1); default 4 */
        public Builder maxNgramOrder(int order) {
            this.maxNgramOrder = order;
            return this;
        }

        /**
         * @param effectiveOrder if true, the geometric mean stops at the highest order for which the
         *                       hypotheses have any n-gram (sacreBLEU's {@code effective_order}); default false
         */
        public Builder effectiveOrder(boolean effectiveOrder) {
            this.effectiveOrder = effectiveOrder;
            return this;
        }

        /** @return the configured, immutable and thread-safe metric */
        public BleuMetric build() {
            if (smoothing == null) {
                throw new IllegalArgumentException("Bleu.Builder: smoothing must not be null");
            }
            if (smoothValue != null && !smoothing.takesValue()) {
                throw new IllegalArgumentException("Bleu.Builder: smoothValue is only used by FLOOR and ADD_K, "
                        + "got smoothValue=" + smoothValue + " with smoothing=" + smoothing);
            }
            if (smoothValue != null && !(smoothValue >= 0 && Double.isFinite(smoothValue))) {
                throw new IllegalArgumentException("Bleu.Builder: smoothValue must be finite and >= 0, got "
                        + smoothValue);
            }
            if (maxNgramOrder < 1) {
                throw new IllegalArgumentException("Bleu.Builder: maxNgramOrder must be >= 1, got " + maxNgramOrder);
            }
            double value = smoothValue != null ? smoothValue : smoothing.defaultValue();
            return new BleuMetric(tokenize, lowercase, smoothing, value, maxNgramOrder, effectiveOrder);
        }
    }
}
