package org.recurrent4j.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.recurrent4j.data.parallel.Seq2SeqEncoder;
import org.recurrent4j.data.vocab.Vocabulary;

/**
 * What a Spark task needs to turn text pairs into ids, in serializable parts: the tokenizer's factory, both
 * vocabularies' tokens ({@link Vocabulary#tokens()}, specials first), the length limit of training pairs and whether
 * the source is reversed. {@link #encoder()} rebuilds the {@link Seq2SeqEncoder} of the driver.
 *
 * @param maxLength pairs with a side longer than this many tokens are dropped; 0 keeps every pair
 */
public record PairEncoding(TokenizerFactory tokenizer, List<String> sourceTokens, List<String> targetTokens,
                           int maxLength, boolean reverseSource) implements Serializable {

    public PairEncoding {
        sourceTokens = new ArrayList<>(sourceTokens);
        targetTokens = new ArrayList<>(targetTokens);
    }

    /** @return the encoding of {@code source} and {@code target} vocabularies */
    public static PairEncoding of(TokenizerFactory tokenizer, Vocabulary source, Vocabulary target, int maxLength,
                                  boolean reverseSource) {
        return new PairEncoding(tokenizer, source.tokens(), target.tokens(), maxLength, reverseSource);
    }

    /** @return a new encoder with these settings */
    public Seq2SeqEncoder encoder() {
        Seq2SeqEncoder.Builder b = Seq2SeqEncoder.builder().sourceTokenizer(tokenizer.create())
                .targetTokenizer(tokenizer.create()).sourceVocabulary(vocabulary(sourceTokens))
                .targetVocabulary(vocabulary(targetTokens)).reverseSource(reverseSource);
        return (maxLength > 0 ? b.maxLength(maxLength) : b).build();
    }

    private static Vocabulary vocabulary(List<String> tokens) {
        return Vocabulary.of(tokens.subList(Vocabulary.SPECIALS.size(), tokens.size()));
    }
}
