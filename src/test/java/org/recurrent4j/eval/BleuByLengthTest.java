package org.recurrent4j.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.recurrent4j.data.tokenize.WhitespaceTokenizer;

/**
 * A hand-computed example. Five segments (source length in whitespace tokens):
 * <pre>
 *   A  src  2 tokens  hyp "a b c d"                    ref "a b c d"
 *   B  src  3 tokens  hyp "a b e f"                    ref "a b c d"
 *   C  src 12 tokens  hyp "the cat sat on the mat"     ref "the cat sat on a mat"
 *   D  src 15 tokens  hyp "there is a cat on the mat"  ref "a cat is on the mat"   (source holds "zz")
 *   E  src 31 tokens  hyp "x y z"                      ref "x y z w"
 * </pre>
 * Width 10: buckets 0-9 {A, B}, 10-19 {C, D}, 20-29 {}, 30-39 {E}; counts 2, 2, 0, 1.
 *
 * <p>Bucket 0-9 by hand: A matches [4,3,2,1] of [4,3,2,1] n-grams; B: unigrams a,b of a,b,e,f (2/4), bigram
 * "a b" of "a b","b e","e f" (1/3), trigrams 0/2, 4-gram 0/1. Summed: correct [6,4,2,1], total [8,6,4,2],
 * hyp_len 8 = ref_len 8 so BP = 1; precisions 3/4, 2/3, 1/2, 1/2; BLEU = 100·(3/4·2/3·1/2·1/2)^(1/4) =
 * 100·(1/8)^(1/4) = 100·2^(−3/4) = 59.46035575013605. (The mean of the two sentence scores would be different:
 * A alone is 100.)
 *
 * <p>Bucket 30-39 by hand: E has 3 tokens, so no 4-gram (total 0): sacreBLEU stops there and, without effective
 * order, takes log 0 (floored) for order 4, so BLEU = 0.
 */
class BleuByLengthTest {

    private static String words(String prefix, int n) {
        return IntStream.rangeClosed(1, n).mapToObj(i -> prefix + i).collect(Collectors.joining(" "));
    }

    private static final List<String> SOURCES = List.of(
            words("s", 2), words("s", 3), words("s", 12), words("s", 14) + " zz", words("s", 31));
    private static final List<String> HYPS = List.of(
            "a b c d", "a b e f", "the cat sat on the mat", "there is a cat on the mat", "x y z");
    private static final List<String> REF_LINES = List.of(
            "a b c d", "a b c d", "the cat sat on a mat", "a cat is on the mat", "x y z w");
    private static final List<List<String>> REFS = List.of(REF_LINES);

    private static BleuScore corpusOf(int... segments) {
        List<String> h = new ArrayList<>();
        List<String> r = new ArrayList<>();
        for (int i : segments) {
            h.add(HYPS.get(i));
            r.add(REF_LINES.get(i));
        }
        return Bleu.corpusScore(h, List.of(r));
    }

    @Test
    void bucketsOfWidthTen() {
        BleuByLengthResult res = BleuByLength.withBucketWidth(10).evaluate(SOURCES, HYPS, REFS);
        List<BleuByLengthResult.Bucket> b = res.buckets();
        assertEquals(4, b.size());
        assertEquals(List.of(0, 10, 20, 30), b.stream().map(BleuByLengthResult.Bucket::lo).toList());
        assertEquals(List.of(9, 19, 29, 39), b.stream().map(BleuByLengthResult.Bucket::hi).toList());
        assertEquals(List.of(2, 2, 0, 1), b.stream().map(BleuByLengthResult.Bucket::count).toList());

        assertEquals(59.46035575013605, b.get(0).scoreOrNull().score(), 1e-9);           // by hand, see above
        assertArrayEquals(new long[]{6, 4, 2, 1}, b.get(0).scoreOrNull().counts());
        assertArrayEquals(new long[]{8, 6, 4, 2}, b.get(0).scoreOrNull().totals());
        double meanOfSentences = (Bleu.sentenceScore(HYPS.get(0), List.of(REF_LINES.get(0))).score()
                + Bleu.sentenceScore(HYPS.get(1), List.of(REF_LINES.get(1))).score()) / 2;
        assertNotEquals(meanOfSentences, b.get(0).scoreOrNull().score(), 1.0);

        assertEquals(corpusOf(2, 3), b.get(1).scoreOrNull());                             // corpus BLEU of {C, D}
        assertFalse(b.get(2).score().isPresent());                                        // empty bucket
        assertEquals(0.0, b.get(3).scoreOrNull().score());                                // by hand, see above
        assertEquals(Bleu.corpusScore(HYPS, REFS), res.overallOrNull());
        assertEquals(0, res.filteredOut());
        assertEquals(0, res.outsideBuckets());

        assertEquals("lo,hi,count,bleu\n0,9,2," + b.get(0).scoreOrNull().score() + "\n10,19,2,"
                + b.get(1).scoreOrNull().score() + "\n20,29,0,\n30,39,1,0.0\n", res.toCsv());
    }

    @Test
    void explicitEdges() {
        BleuByLengthResult open = BleuByLength.withBucketEdges(0, 10, BleuByLength.OPEN).evaluate(SOURCES, HYPS, REFS);
        assertEquals(List.of(2, 3), open.buckets().stream().map(BleuByLengthResult.Bucket::count).toList());
        assertEquals(BleuByLength.OPEN, open.buckets().get(1).hi());
        assertEquals(corpusOf(2, 3, 4), open.buckets().get(1).scoreOrNull());
        assertEquals("lo,hi,count,bleu\n0,9,2," + open.buckets().get(0).scoreOrNull().score() + "\n10,,3,"
                + open.buckets().get(1).scoreOrNull().score() + "\n", open.toCsv());

        BleuByLengthResult mid = BleuByLength.withBucketEdges(5, 20).evaluate(SOURCES, HYPS, REFS);
        assertEquals(1, mid.buckets().size());
        assertEquals(2, mid.buckets().get(0).count());     // C (12) and D (15); A, B, E outside
        assertEquals(3, mid.outsideBuckets());
        assertEquals(corpusOf(2, 3), mid.buckets().get(0).scoreOrNull());
    }

    @Test
    void noUnkSubset() {
        Set<String> sourceVocab = new HashSet<>();
        SOURCES.forEach(s -> sourceVocab.addAll(List.of(s.split(" "))));
        sourceVocab.remove("zz");                          // D has an unknown source word
        Set<String> targetVocab = new HashSet<>();
        REF_LINES.forEach(s -> targetVocab.addAll(List.of(s.split(" "))));
        targetVocab.remove("w");                           // E has an unknown reference word
        NoUnkFilter noUnk = new NoUnkFilter(new WhitespaceTokenizer(), sourceVocab, new WhitespaceTokenizer(), targetVocab);

        BleuByLengthResult res = BleuByLength.withBucketWidth(10).evaluate(SOURCES, HYPS, REFS, noUnk);
        assertEquals(2, res.filteredOut());
        assertEquals(List.of(2, 1), res.buckets().stream().map(BleuByLengthResult.Bucket::count).toList());
        assertEquals(59.46035575013605, res.buckets().get(0).scoreOrNull().score(), 1e-9);
        assertEquals(corpusOf(2), res.buckets().get(1).scoreOrNull());
        assertEquals(corpusOf(0, 1, 2), res.overallOrNull());
    }

    @Test
    void metricOptionsAndSourceTokenizerAreUsed() {
        BleuMetric noneTok = Bleu.builder().tokenize("none").smoothing(Bleu.Smoothing.FLOOR).build();
        BleuByLengthResult res = BleuByLength.withBucketWidth(100).metric(noneTok).evaluate(SOURCES, HYPS, REFS);
        assertEquals(noneTok.corpusScore(HYPS, REFS), res.buckets().get(0).scoreOrNull());
        // counting characters instead of words: "s1 s2" has 4 non-space characters
        BleuByLengthResult chars = BleuByLength.withBucketWidth(5)
                .sourceTokenizer(new org.recurrent4j.data.tokenize.SacreBleuCharTokenizer()).evaluate(SOURCES, HYPS, REFS);
        assertEquals(1, chars.buckets().get(0).count());   // only A (4 characters) is below 5
    }

    @Test
    void rejectsBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> BleuByLength.withBucketWidth(0));
        assertThrows(IllegalArgumentException.class, () -> BleuByLength.withBucketEdges(10));
        assertThrows(IllegalArgumentException.class, () -> BleuByLength.withBucketEdges(0, 10, 10));
        assertThrows(IllegalArgumentException.class,
                () -> BleuByLength.withBucketWidth(10).evaluate(SOURCES.subList(0, 4), HYPS, REFS));
    }

    private static void assertArrayEquals(long[] expected, long[] actual) {
        org.junit.jupiter.api.Assertions.assertArrayEquals(expected, actual);
    }
}
