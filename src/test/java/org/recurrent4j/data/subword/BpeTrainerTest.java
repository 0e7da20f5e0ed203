package org.recurrent4j.data.subword;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A case worked by hand (and checked with spm_train/spm_encode 0.1.97), and the trainer's refusals. */
class BpeTrainerTest {
    private static final List<String> CORPUS = List.of("ab ab ab", "abc");

    /**
     * Words ▁ab ×3 and ▁abc: pairs ▁a and ab both occur 4 times and are both 2 characters long, so the smaller text
     * wins: "ab" (U+0061 before U+2581). Then ▁ab (4), ▁abc (1); then the characters by count, ties by code point.
     */
    @Test
    void mergesByFrequencyThenLengthThenText() {
        BpeModel model = new BpeTrainer(10).train(CORPUS);

        assertEquals(List.of("ab", "▁ab", "▁abc", "a", "b", "▁", "c"), model.pieces());
        assertEquals(10, model.size());
        // spm_encode: "▁abc ▁ab ▁ b a ▁ab d" (d is no piece: it stays a piece of its own, <unk> to a vocabulary)
        assertEquals(List.of("▁abc", "▁ab", "▁", "b", "a", "▁ab", "d"), model.segment(List.of("abc", "ab", "ba", "abd")));
        assertEquals(List.of("<pad>", "<unk>", "<s>", "</s>", "ab", "▁ab", "▁abc", "a", "b", "▁", "c"),
                model.vocabulary().tokens());
    }

    /**
     * Past the pairs that occur, SentencePiece goes on taking pairs that once occurred and now have count 0 (in
     * their order of creation among equals: bc, ▁a, abc); spm_train's vocabularies at sizes 11 to 13.
     */
    @Test
    void continuesWithPairsOfCountZeroAsSentencePieceDoes() {
        assertEquals(List.of("ab", "▁ab", "▁abc", "bc", "a", "b", "▁", "c"), new BpeTrainer(11).train(CORPUS).pieces());
        assertEquals(List.of("ab", "▁ab", "▁abc", "bc", "▁a", "a", "b", "▁", "c"),
                new BpeTrainer(12).train(CORPUS).pieces());
        assertEquals(List.of("ab", "▁ab", "▁abc", "bc", "▁a", "abc", "a", "b", "▁", "c"),
                new BpeTrainer(13).train(CORPUS).pieces());
    }

    @Test
    void refusesASizeBelowMetaPiecesPlusAlphabet() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new BpeTrainer(6).train(CORPUS));
        assertTrue(e.getMessage().contains("size 6 is smaller than the 3 meta pieces plus the 4 characters"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new BpeTrainer(3));
        assertTrue(e.getMessage().contains("must exceed the 3 meta pieces"), e.getMessage());
    }

    @Test
    void refusesASizeTheTextCannotFill() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new BpeTrainer(14).train(CORPUS));
        // spm_train: "Vocabulary size too high (14). Please set it to a value <= 13."
        assertTrue(e.getMessage().contains("allows only 6 merged pieces, so at most 13 subwords, but 14"),
                e.getMessage());
    }

    @Test
    void refusesAnEmptyCorpus() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new BpeTrainer(100).train(List.of("", "   ")));
        assertTrue(e.getMessage().contains("no non-blank line"), e.getMessage());
    }
}
