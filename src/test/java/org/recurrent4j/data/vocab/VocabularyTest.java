package org.recurrent4j.data.vocab;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recurrent4j.data.DataFileException;
import org.recurrent4j.data.TestFiles;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VocabularyTest {

    @TempDir
    Path dir;

    private static final List<List<String>> SENTENCES = List.of(
            List.of("b", "a", "c", "a"),
            List.of("d", "b", "a"),
            List.of("c", "e", "b"));
    // counts: a 3, b 3, c 2, d 1, e 1 -> ties by string order

    @Test
    void shortlistByFrequencyThenStringWithFixedSpecials() {
        Vocabulary v = Vocabulary.build(SENTENCES, 3, 1);
        assertEquals(List.of("<pad>", "<unk>", "<s>", "</s>", "a", "b", "c"), v.tokens());
        assertEquals(Vocabulary.UNK_ID, v.id("d"));
        assertArrayEquals(new int[]{5, 4, 1, 6}, v.encode(List.of("b", "a", "zzz", "c")));
        assertEquals(List.of("b", "a"), v.decode(new int[]{5, 4, 3, 6, 0}));
        assertEquals(List.of("<pad>", "<unk>", "<s>", "</s>", "a", "b", "c", "d", "e"),
                Vocabulary.build(SENTENCES, 100, 1).tokens());
        assertEquals(List.of("<pad>", "<unk>", "<s>", "</s>", "a", "b", "c"),
                Vocabulary.build(SENTENCES, 100, 2).tokens());
    }

    /**
     * Counts made elsewhere (Spark's countByValue gives longs) give the shortlist of the sentences they count: by
     * count, ties in token order whatever order the map iterates in (here the reverse), specials left out.
     */
    @Test
    void fromCountsSortsByCountThenTokenLikeBuild() {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String token : List.of("e", "d", "c", "b", "a", "<unk>")) {
            counts.put(token, Map.of("a", 3L, "b", 3L, "c", 2L, "<unk>", 9L).getOrDefault(token, 1L));
        }
        assertEquals(List.of("<pad>", "<unk>", "<s>", "</s>", "a", "b", "c", "d"),
                Vocabulary.fromCounts(counts, 4, 1).tokens());
        for (int[] limits : new int[][] {{3, 1}, {100, 1}, {100, 2}, {4, 1}}) {
            assertEquals(Vocabulary.build(SENTENCES, limits[0], limits[1]).tokens(),
                    Vocabulary.fromCounts(counts, limits[0], limits[1]).tokens(), "maxWords, minCount " + limits[0]
                            + ", " + limits[1]);
        }
        assertThrows(IllegalArgumentException.class, () -> Vocabulary.fromCounts(counts, 0, 1));
    }

    @Test
    void idsDoNotDependOnCorpusOrder() {
        List<List<String>> reversed = new java.util.ArrayList<>(SENTENCES);
        java.util.Collections.reverse(reversed);
        assertEquals(Vocabulary.build(SENTENCES, 4, 1), Vocabulary.build(reversed, 4, 1));
    }

    @Test
    void saveLoadRoundTripWithAwkwardTokens() throws Exception {
        Vocabulary v = Vocabulary.of(List.of("a\\b", "tab\there", "x y", "ñ", "\\s"));
        Path file = dir.resolve("vocab.txt");
        v.save(file);
        assertEquals("<pad>\n<unk>\n<s>\n</s>\na\\\\b\ntab\\there\nx\\sy\nñ\n\\\\s\n", Files.readString(file));
        assertEquals(v, Vocabulary.load(file));
    }

    @Test
    void duplicateEntryNamesBothLines() {
        Path file = TestFiles.lines(dir.resolve("dup.txt"), "<pad>", "<unk>", "<s>", "</s>", "a", "b", "a");
        DataFileException e = assertThrows(DataFileException.class, () -> Vocabulary.load(file));
        assertEquals(7, e.line());
        assertTrue(e.getMessage().contains("duplicate token 'a', already on line 5"), e.getMessage());
    }

    @Test
    void badFilesAreRejectedWithFileAndLine() {
        Path noSpecials = TestFiles.lines(dir.resolve("nospecial.txt"), "<pad>", "<s>", "<unk>", "</s>", "a");
        DataFileException e = assertThrows(DataFileException.class, () -> Vocabulary.load(noSpecials));
        assertEquals(2, e.line());
        Path empty = TestFiles.lines(dir.resolve("empty.txt"), "<pad>", "<unk>", "<s>", "</s>", "", "a");
        assertEquals(5, assertThrows(DataFileException.class, () -> Vocabulary.load(empty)).line());
        Path badEscape = TestFiles.lines(dir.resolve("esc.txt"), "<pad>", "<unk>", "<s>", "</s>", "a\\q");
        assertEquals(5, assertThrows(DataFileException.class, () -> Vocabulary.load(badEscape)).line());
        Path notUtf8 = TestFiles.bytes(dir.resolve("latin1.txt"),
                "<pad>\n<unk>\n<s>\n</s>\ncaf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
        assertEquals(5, assertThrows(DataFileException.class, () -> Vocabulary.load(notUtf8)).line());
        assertThrows(DataFileException.class, () -> Vocabulary.load(dir.resolve("missing.txt")));
    }

    @Test
    void characterVocabularyRoundTripsWhitespaceAndSurrogates() {
        String text = "ab a\n\\\t😀b\r";
        CharacterVocabulary v = CharacterVocabulary.of(text);
        assertEquals(8, v.size());                      // \t \n \r space \ a b 😀
        assertEquals(text, v.decode(v.encode(text)));
        assertEquals('\t', v.codePoint(0));             // ascending code points
        assertEquals(0x1F600, v.codePoint(v.size() - 1));
        Path file = dir.resolve("chars.txt");
        v.save(file);
        assertEquals(v, CharacterVocabulary.load(file));
        assertThrows(IllegalArgumentException.class, () -> v.id('z'));
    }
}
