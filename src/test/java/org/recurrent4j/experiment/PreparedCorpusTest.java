package org.recurrent4j.experiment;

import org.junit.jupiter.api.Test;
import org.recurrent4j.data.parallel.EncodedPair;
import org.recurrent4j.data.parallel.Seq2SeqEncoder;
import org.recurrent4j.data.parallel.SentencePair;
import org.recurrent4j.data.vocab.Vocabulary;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PreparedCorpusTest {

    /** n words, the last with a comma attached when {@code comma} (13a makes it a token of its own). */
    private static String sentence(int n, boolean comma) {
        List<String> w = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            w.add("w" + (i % 7));
        }
        return String.join(" ", w) + (comma ? "," : "");
    }

    @Test
    void lengthFiltersKeepPairsWithBothSidesWithinTheLimitInModelTokens() {
        List<SentencePair> train = List.of(
                new SentencePair(sentence(30, false), sentence(30, false)),   // 0: 30/30  → -30, -50
                new SentencePair(sentence(30, true), sentence(10, false)),    // 1: 31/10  → -50 only
                new SentencePair(sentence(10, false), sentence(31, false)),   // 2: 10/31  → -50 only
                new SentencePair(sentence(50, false), sentence(49, true)),    // 3: 50/50  → -50
                new SentencePair(sentence(51, false), sentence(5, false)),    // 4: 51/5   → none
                new SentencePair("Hello, World!", "¡Hola, mundo!"));          // 5: 4/4 tokens (13a) → both
        PreparedCorpus c = new PreparedCorpus("t", train, train.subList(0, 1), 100);
        Seq2SeqEncoder.Result r30 = c.trainingPairs(30);
        Seq2SeqEncoder.Result r50 = c.trainingPairs(50);
        assertEquals(List.of(0, 5), r30.pairs().stream().map(EncodedPair::index).toList());
        assertEquals(4, r30.droppedTooLong());
        assertEquals(List.of(0, 1, 2, 3, 5), r50.pairs().stream().map(EncodedPair::index).toList());
        assertEquals(1, r50.droppedTooLong());
        EncodedPair hello = r30.pairs().get(1);
        assertEquals(List.of("hello", ",", "world", "!"), c.sourceVocabulary().decode(hello.source()));
        assertEquals(List.of("¡hola", ",", "mundo", "!"), c.targetVocabulary().decode(hello.target()));
    }

    @Test
    void vocabulariesKeepTheMostFrequentLowercasedWords() {
        List<SentencePair> train = List.of(new SentencePair("A a a b b c", "X x y"), new SentencePair("a B d", "x z"));
        PreparedCorpus c = new PreparedCorpus("t", train, train, 2);
        assertEquals(Vocabulary.of(List.of("a", "b")), c.sourceVocabulary());
        assertEquals(Vocabulary.of(List.of("x", "y")), c.targetVocabulary());
        assertTrue(c.noUnkFilter().keep("a b", List.of("X y")));
        assertFalse(c.noUnkFilter().keep("a c", List.of("x")));
        assertFalse(c.noUnkFilter().keep("a", List.of("x z")));
    }

    @Test
    void subwordsReplaceTheShortlistButLengthsStillCountWords() {
        List<SentencePair> train = List.of(
                new SentencePair(sentence(30, false), sentence(30, false)),   // 30/30 words → -30
                new SentencePair(sentence(31, false), sentence(5, false)),    // 31/5 words  → dropped
                new SentencePair("Hello, World!", "¡Hola, mundo!"));
        PreparedCorpus c = new PreparedCorpus("t", train, train.subList(2, 3), 100, 40);
        assertEquals(c.subwords().source().vocabulary(), c.sourceVocabulary());
        assertEquals(c.subwords().target().vocabulary(), c.targetVocabulary());

        Seq2SeqEncoder.Result r30 = c.trainingPairs(30);
        assertEquals(List.of(0, 2), r30.pairs().stream().map(EncodedPair::index).toList());
        assertEquals(1, r30.droppedTooLong());
        List<String> pieces = c.targetVocabulary().decode(r30.pairs().get(1).target());
        assertTrue(pieces.size() > 4, "¡hola , mundo ! in pieces: " + pieces);
        assertEquals(List.of("¡hola", ",", "mundo", "!"), c.words(pieces));
        assertEquals(c.sourceVocabulary().encode(c.subwords().source().segment(List.of("hello", ",", "world", "!"))).length,
                c.testSourceTokens().get(0).size());
        assertTrue(c.noUnkFilter().keep("world hello", List.of("mundo")));
        assertFalse(c.noUnkFilter().keep("world jello", List.of("mundo")), "j was never seen");
    }

    @Test
    void emptySplitsAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new PreparedCorpus("t", List.of(), List.of(new SentencePair("a", "b")), 10));
        assertTrue(e.getMessage().contains("PreparedCorpus t"), e.getMessage());
    }
}
