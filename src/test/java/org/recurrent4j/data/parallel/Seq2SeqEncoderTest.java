package org.recurrent4j.data.parallel;

import org.junit.jupiter.api.Test;
import org.recurrent4j.data.tokenize.LowercasingTokenizer;
import org.recurrent4j.data.tokenize.Tokenizer;
import org.recurrent4j.data.vocab.Vocabulary;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class Seq2SeqEncoderTest {

    /** Test-local whitespace split; blank text gives no tokens. */
    static final Tokenizer SPACES = s -> s.isBlank() ? List.of() : List.of(s.trim().split("\\s+"));

    static final Vocabulary SRC = Vocabulary.of(List.of("the", "cat", "sat"));   // ids 4 5 6
    static final Vocabulary TGT = Vocabulary.of(List.of("el", "gato"));          // ids 4 5

    @Test
    void encodesFiltersAndReverses() {
        List<SentencePair> pairs = List.of(
                new SentencePair("the cat sat", "el gato"),
                new SentencePair("the dog", "el perro grande"),
                new SentencePair("The  CAT", "gato"));
        Seq2SeqEncoder plain = Seq2SeqEncoder.builder().sourceTokenizer(SPACES).targetTokenizer(SPACES)
                .sourceVocabulary(SRC).targetVocabulary(TGT).maxLength(2).build();
        Seq2SeqEncoder.Result r = plain.encode(pairs);
        assertEquals(2, r.droppedTooLong());                     // 3 source tokens; 3 target tokens
        assertEquals(1, r.pairs().size());
        assertEquals(2, r.pairs().get(0).index());
        assertArrayEquals(new int[]{1, 1}, r.pairs().get(0).source()); // "The" "CAT" unknown without lowercasing
        Seq2SeqEncoder lowerReversed = Seq2SeqEncoder.builder()
                .sourceTokenizer(new LowercasingTokenizer(SPACES)).targetTokenizer(SPACES)
                .sourceVocabulary(SRC).targetVocabulary(TGT).maxSourceLength(3).maxTargetLength(3)
                .reverseSource(true).build();
        r = lowerReversed.encode(pairs);
        assertEquals(0, r.droppedTooLong());
        assertArrayEquals(new int[]{6, 5, 4}, r.pairs().get(0).source());
        assertArrayEquals(new int[]{4, 5}, r.pairs().get(0).target());
        assertArrayEquals(new int[]{1, 4}, r.pairs().get(1).source());
        assertArrayEquals(new int[]{4, 1, 1}, r.pairs().get(1).target());
        assertArrayEquals(new int[]{5, 4}, r.pairs().get(2).source());
    }

    @Test
    void sentenceWithoutTokensIsAnError() {
        Seq2SeqEncoder e = Seq2SeqEncoder.builder().sourceTokenizer(s -> List.of()).targetTokenizer(SPACES)
                .sourceVocabulary(SRC).targetVocabulary(TGT).build();
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                () -> e.encode(List.of(new SentencePair("...", "el"))));
        assertEquals(true, ex.getMessage().contains("pair 0 has a source sentence with no tokens"));
    }
}
