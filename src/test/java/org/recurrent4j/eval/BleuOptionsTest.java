package org.recurrent4j.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * Signatures, result lines, statistics and argument checking. Signature strings follow sacreBLEU 2.6.0's
 * {@code BLEUSignature} and {@code Signature.format} (metrics/bleu.py, metrics/base.py): key order nrefs, case,
 * eff, tok, smooth, version; floor and add-k carry {@code [value:.2f]}.
 */
class BleuOptionsTest {

    private static final List<String> HYPS = List.of(
            "The dog bit the man.", "It wasn't surprising.", "The man had just bitten him.");
    private static final List<List<String>> REFS = List.of(
            List.of("The dog bit the man.", "It was not unexpected.", "The man bit him first."),
            List.of("The dog had bit the man.", "No one was surprised.", "The man had bitten the dog."));

    @Test
    void signaturesOfEveryOption() {
        assertEquals("nrefs:1|case:lc|eff:yes|tok:none|smooth:floor[0.10]|version:2.6.0",
                Bleu.builder().lowercase(true).effectiveOrder(true).tokenize("none")
                        .smoothing(Bleu.Smoothing.FLOOR).build().signature(1));
        assertEquals("nrefs:3|case:mixed|eff:no|tok:char|smooth:add-k[2.00]|version:2.6.0",
                Bleu.builder().tokenize("char").smoothing(Bleu.Smoothing.ADD_K).smoothValue(2).build().signature(3));
        assertEquals("nrefs:1|case:mixed|eff:no|tok:13a|smooth:add-k[1.00]|version:2.6.0",
                Bleu.builder().smoothing(Bleu.Smoothing.ADD_K).build().signature(1));
        assertEquals("nrefs:var|case:mixed|eff:no|tok:13a|smooth:none|version:2.6.0",
                Bleu.builder().smoothing(Bleu.Smoothing.NONE).build().signature(BleuStatistics.VARIABLE_NREFS));
        // the sentence-level default of sacreBLEU's sentence_bleu: effective order
        assertEquals("nrefs:1|case:mixed|eff:yes|tok:13a|smooth:exp|version:2.6.0",
                Bleu.sentenceScore("a b", List.of("a b")).signature());
    }

    @Test
    void resultLineWithSignatureAndWidth() {
        // sacreBLEU's command line prints width 1 with the signature (README: "BLEU|nrefs:1|...| = 20.8 54.4/...")
        assertEquals("BLEU|nrefs:2|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0 = 48.5 82.4/50.0/45.5/37.5"
                        + " (BP = 0.943 ratio = 0.944 hyp_len = 17 ref_len = 18)",
                Bleu.corpusScore(HYPS, REFS).format(1, true));
    }

    @Test
    void statisticsPrecisionsAndBrevityPenalty() {
        BleuScore s = Bleu.corpusScore(HYPS, REFS);
        // precisions 82.4/50.0/45.5/37.5 of the README line are counts/totals: 14/17, 7/14, 5/11, 3/8
        assertArrayEquals(new long[]{14, 7, 5, 3}, s.counts());
        assertArrayEquals(new long[]{17, 14, 11, 8}, s.totals());
        double[] p = s.precisions();
        assertEquals(100.0 * 14 / 17, p[0], 1e-12);
        assertEquals(100.0 * 3 / 8, p[3], 1e-12);
        assertEquals(Math.exp(1 - 18.0 / 17), s.brevityPenalty(), 1e-15);
        assertEquals(17.0 / 18, s.ratio(), 1e-15);
        // BLEU = BP * geometric mean of the precisions (no order without a match, so no smoothing)
        double geo = Math.exp((Math.log(p[0]) + Math.log(p[1]) + Math.log(p[2]) + Math.log(p[3])) / 4);
        assertEquals(s.brevityPenalty() * geo, s.score(), 1e-12);
    }

    @Test
    void corpusStatisticsAreTheSumOfSegmentStatistics() {
        BleuMetric m = Bleu.builder().build();
        List<BleuStatistics> segs = m.segmentStatistics(HYPS, REFS);
        BleuStatistics sum = segs.get(0).plus(segs.get(1)).plus(segs.get(2));
        assertEquals(Bleu.corpusScore(HYPS, REFS).statistics(), sum);
        // a one-segment corpus is the sentence score with the same options
        BleuMetric eff = Bleu.builder().effectiveOrder(true).build();
        assertEquals(eff.corpusScore(List.of(HYPS.get(1)), List.of(List.of(REFS.get(0).get(1)), List.of(REFS.get(1).get(1)))),
                eff.sentenceScore(HYPS.get(1), List.of(REFS.get(0).get(1), REFS.get(1).get(1))));
    }

    @Test
    void closestReferenceLengthTiesToTheShorter() { // metrics/bleu.py `_get_closest_ref_len`
        assertEquals(4, BleuMetric.closestRefLen(5, List.of(6, 4)));
        assertEquals(4, BleuMetric.closestRefLen(5, List.of(4, 6)));
        assertEquals(7, BleuMetric.closestRefLen(6, List.of(0, 7)));
        // through the metric: hyp of 5 tokens, refs of 4 and 6 tokens -> ref_len 4, no brevity penalty
        BleuScore s = Bleu.sentenceScore("a b c d e", List.of("a b c d e f", "a b c d"));
        assertEquals(4, s.refLen());
        assertEquals(1.0, s.brevityPenalty());
    }

    @Test
    void clippingUsesThePerNgramMaximumOverReferences() {
        // hyp "the the the the": 'the' occurs at most 2 times in one reference -> 2 of 4 unigrams match
        BleuScore s = Bleu.builder().tokenize("none").build().sentenceScore("the the the the",
                List.of("the cat the mat", "a the b c"));
        assertEquals(2, s.counts()[0]);
        assertEquals(4, s.totals()[0]);
    }

    @Test
    void addKCountsAreRawAndPrecisionsSmoothed() {
        BleuScore s = Bleu.builder().smoothing(Bleu.Smoothing.ADD_K).tokenize("none").build()
                .sentenceScore("a b x", List.of("a b c"));
        assertArrayEquals(new long[]{2, 1, 0, 0}, s.counts());
        assertArrayEquals(new long[]{3, 2, 1, 0}, s.totals());
        // (2)/3, (1+1)/(2+1), (0+1)/(1+1), (0+1)/(0+1)
        assertArrayEquals(new double[]{100.0 * 2 / 3, 100.0 * 2 / 3, 50.0, 100.0}, s.precisions(), 1e-12);
    }

    @Test
    void rightStripsBeforeTokenizing() {
        // metrics/bleu.py `_preprocess_segment`: tokenizer(sent.rstrip()). Stripping the final newline first
        // keeps 13a's "-\n" join from firing: "a b c d-\n" -> tokens a b c d-, identical to the reference
        // (without the strip it would become "a b c d": 3 of 4 unigrams, 59.46)
        assertEquals(100.0, Bleu.corpusScore(List.of("a b c d-\n"), List.of(List.of("a b c d-"))).score(), 1e-12);
    }

    @Test
    void rejectsBadArguments() {
        assertMessage(() -> Bleu.builder().tokenize("intl").build(), "intl");
        assertMessage(() -> Bleu.builder().maxNgramOrder(0).build(), "maxNgramOrder");
        assertMessage(() -> Bleu.builder().smoothValue(0.5).build(), "smoothValue");  // EXP takes no value
        assertMessage(() -> Bleu.builder().smoothing(Bleu.Smoothing.FLOOR).smoothValue(-1).build(), "smoothValue");
        assertMessage(() -> Bleu.corpusScore(List.of(), REFS), "hypotheses");
        assertMessage(() -> Bleu.corpusScore(Arrays.asList("a", null, "c"), REFS), "hypothesis 1");
        assertMessage(() -> Bleu.corpusScore(HYPS, List.of()), "referenceStreams");
        assertMessage(() -> Bleu.corpusScore(HYPS, List.of(List.of("a", "b"))), "reference stream 0");
        assertMessage(() -> Bleu.corpusScore(List.of("a"), List.of(Arrays.asList((String) null))), "non-null reference");
        assertMessage(() -> Bleu.sentenceScore("a", List.of()), "references");
        BleuMetric order4 = Bleu.builder().build();
        assertMessage(() -> order4.score(new BleuStatistics(1, 1, new long[]{1}, new long[]{1}, 1)), "max order");
        assertMessage(() -> new BleuStatistics(1, 1, new long[]{2}, new long[]{1}, 1), "correct <= total");
    }

    private static void assertMessage(org.junit.jupiter.api.function.Executable call, String part) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }
}
