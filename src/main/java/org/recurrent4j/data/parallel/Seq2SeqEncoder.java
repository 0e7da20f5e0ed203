package org.recurrent4j.data.parallel;

import org.recurrent4j.data.tokenize.Tokenizer;
import org.recurrent4j.data.vocab.Vocabulary;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Turns sentence pairs into id sequences for encoder-decoder training: tokenizes each side with its
 * {@link Tokenizer}, maps tokens to ids with its {@link Vocabulary} (unknown words become {@code <unk>}),
 * keeps only pairs within the length limits (Bahdanau et al. 2014 trained on pairs with both sides at most
 * 30, or 50, tokens; lengths count tokens, without {@code <s>}/{@code </s>}), and optionally reverses the
 * source (Sutskever et al. 2014).
 */
public final class Seq2SeqEncoder {

    private final Tokenizer sourceTokenizer;
    private final Tokenizer targetTokenizer;
    private final Vocabulary sourceVocabulary;
    private final Vocabulary targetVocabulary;
    private final int maxSourceLength;
    private final int maxTargetLength;
    private final boolean reverseSource;

    private Seq2SeqEncoder(Builder b) {
        this.sourceTokenizer = Objects.requireNonNull(b.sourceTokenizer, "Seq2SeqEncoder: sourceTokenizer");
        this.targetTokenizer = Objects.requireNonNull(b.targetTokenizer, "Seq2SeqEncoder: targetTokenizer");
        this.sourceVocabulary = Objects.requireNonNull(b.sourceVocabulary, "Seq2SeqEncoder: sourceVocabulary");
        this.targetVocabulary = Objects.requireNonNull(b.targetVocabulary, "Seq2SeqEncoder: targetVocabulary");
        if (b.maxSourceLength < 1 || b.maxTargetLength < 1) {
            throw new IllegalArgumentException("Seq2SeqEncoder: max lengths must be >= 1, got source "
                    + b.maxSourceLength + ", target " + b.maxTargetLength);
        }
        this.maxSourceLength = b.maxSourceLength;
        this.maxTargetLength = b.maxTargetLength;
        this.reverseSource = b.reverseSource;
    }

    /** @return a new builder */
    public static Builder builder() {
        return new Builder();
    }

    /** The pairs that passed the length filter, and how many did not. */
    public record Result(List<EncodedPair> pairs, int droppedTooLong) {
    }

    /**
     * Encodes {@code pairs}, dropping those over the length limits.
     *
     * @throws IllegalArgumentException if a sentence tokenizes to no tokens (naming the pair)
     */
    public Result encode(List<SentencePair> pairs) {
        List<EncodedPair> out = new ArrayList<>(pairs.size());
        int dropped = 0;
        for (int i = 0; i < pairs.size(); i++) {
            SentencePair p = pairs.get(i);
            List<String> src = tokens(sourceTokenizer, p.source(), i, "source");
            List<String> tgt = tokens(targetTokenizer, p.target(), i, "target");
            if (src.size() > maxSourceLength || tgt.size() > maxTargetLength) {
                dropped++;
                continue;
            }
            out.add(new EncodedPair(i, encodeSourceTokens(src), targetVocabulary.encode(tgt)));
        }
        return new Result(out, dropped);
    }

    /** @return the ids of one source sentence, reversed if configured (for translating new text) */
    public int[] encodeSource(String sentence) {
        return encodeSourceTokens(sourceTokenizer.tokenize(sentence));
    }

    private int[] encodeSourceTokens(List<String> tokens) {
        int[] ids = sourceVocabulary.encode(tokens);
        if (reverseSource) {
            for (int a = 0, z = ids.length - 1; a < z; a++, z--) {
                int t = ids[a];
                ids[a] = ids[z];
                ids[z] = t;
            }
        }
        return ids;
    }

    private static List<String> tokens(Tokenizer tokenizer, String text, int index, String side) {
        List<String> tokens = tokenizer.tokenize(text);
        if (tokens.isEmpty()) {
            throw new IllegalArgumentException("Seq2SeqEncoder: pair " + index + " has a " + side
                    + " sentence with no tokens: '" + text + "'; expected at least one token");
        }
        return tokens;
    }

    /** Builder; tokenizers and vocabularies are required, lengths default to unlimited, no reversal. */
    public static final class Builder {
        private Tokenizer sourceTokenizer;
        private Tokenizer targetTokenizer;
        private Vocabulary sourceVocabulary;
        private Vocabulary targetVocabulary;
        private int maxSourceLength = Integer.MAX_VALUE;
        private int maxTargetLength = Integer.MAX_VALUE;
        private boolean reverseSource;

        public Builder sourceTokenizer(Tokenizer t) {
            this.sourceTokenizer = t;
            return this;
        }

        public Builder targetTokenizer(Tokenizer t) {
            this.targetTokenizer = t;
            return this;
        }

        public Builder sourceVocabulary(Vocabulary v) {
            this.sourceVocabulary = v;
            return this;
        }

        public Builder targetVocabulary(Vocabulary v) {
            this.targetVocabulary = v;
            return this;
        }

        /** Keeps only pairs whose source has at most {@code n} tokens. */
        public Builder maxSourceLength(int n) {
            this.maxSourceLength = n;
            return this;
        }

        /** Keeps only pairs whose target has at most {@code n} tokens. */
        public Builder maxTargetLength(int n) {
            this.maxTargetLength = n;
            return this;
        }

        /** Keeps only pairs with both sides at most {@code n} tokens. */
        public Builder maxLength(int n) {
            return maxSourceLength(n).maxTargetLength(n);
        }

        /** Reverses the order of the source ids (Sutskever et al. 2014). */
        public Builder reverseSource(boolean reverse) {
            this.reverseSource = reverse;
            return this;
        }

        public Seq2SeqEncoder build() {
            return new Seq2SeqEncoder(this);
        }
    }
}
