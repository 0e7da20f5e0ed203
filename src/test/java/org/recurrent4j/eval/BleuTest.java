package org.recurrent4j.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * BLEU against sacreBLEU's own published numbers: every expected value below is copied from sacreBLEU's test
 * suite or README (mjpost/sacrebleu, tag v2.6.0 and the commit after it, f615c72), never computed here.
 */
class BleuTest {

    private static final double EPSILON = 1e-8; // test_bleu.py's EPSILON

    // test_bleu.py `_refs` / `_hyps` (the README example)
    private static final List<String> HYPS = List.of(
            "The dog bit the man.", "It wasn't surprising.", "The man had just bitten him.");
    private static final List<List<String>> REFS = List.of(
            List.of("The dog bit the man.", "It was not unexpected.", "The man bit him first."),
            List.of("The dog had bit the man.", "No one was surprised.", "The man had bitten the dog."));

    /** sacreBLEU's {@code raw_corpus_bleu(hyps, refs, smooth_value)}: tok none, floor, effective order. */
    private static BleuScore rawCorpusBleu(List<String> hyps, List<List<String>> refs, double smoothValue) {
        return Bleu.builder().tokenize("none").smoothing(Bleu.Smoothing.FLOOR).smoothValue(smoothValue)
                .effectiveOrder(true).build().corpusScore(hyps, refs);
    }

    private static BleuScore rawCorpusBleuDefaultFloor(List<String> hyps, List<List<String>> refs) {
        return Bleu.builder().tokenize("none").smoothing(Bleu.Smoothing.FLOOR)
                .effectiveOrder(true).build().corpusScore(hyps, refs);
    }

    // ---- test_bleu.py: test_corpus_bleu_cases -------------------------------------------------------------

    @Test
    void issueVectorDefaultSettings() { // test_corpus_bleu_cases[0]: (_hyps, _refs, {}, 48.530827)
        assertEquals(48.530827, Bleu.corpusScore(HYPS, REFS).score(), EPSILON);
    }

    @Test
    void emptyHypothesesAreKeptAndScoreZero() { // test_corpus_bleu_cases[1]: (('', '', ''), _refs, {}, 0.0)
        assertEquals(0.0, Bleu.corpusScore(List.of("", "", ""), REFS).score(), EPSILON);
    }

    @Test
    void tokenizeNone() { // test_corpus_bleu_cases[2]: {'tokenize': 'none'} -> 49.1919566
        assertEquals(49.1919566, Bleu.builder().tokenize("none").build().corpusScore(HYPS, REFS).score(), EPSILON);
    }

    @Test
    void tokenize13aExplicitly() { // test_corpus_bleu_cases[3]: {'tokenize': '13a'} -> 48.530827
        assertEquals(48.530827, Bleu.builder().tokenize("13a").build().corpusScore(HYPS, REFS).score(), EPSILON);
    }

    @Test
    void smoothNoneOnCorpus() { // test_corpus_bleu_cases[5]: {'smooth_method': 'none'} -> 48.530827
        assertEquals(48.530827, Bleu.builder().smoothing(Bleu.Smoothing.NONE).build()
                .corpusScore(HYPS, REFS).score(), EPSILON);
    }

    // ---- test_bleu.py: test_raw_bleu_cases (raw_corpus_bleu with smooth_value .01), score / 100 ------------

    @Test
    void rawBleuNoMatchIsZero() { // (["this is a test", "another test"], [["ref1", "ref2"]], 0.0) (#141)
        assertEquals(0.0, rawCorpusBleu(List.of("this is a test", "another test"),
                List.of(List.of("ref1", "ref2")), .01).score() / 100, EPSILON);
    }

    @Test
    void rawBleuIdentical() { // (["this is a test"], [["this is a test"]], 1.0)
        assertEquals(1.0, rawCorpusBleu(List.of("this is a test"), List.of(List.of("this is a test")), .01)
                .score() / 100, EPSILON);
    }

    @Test
    void rawBleuOneWordWrong() { // (["this is a fest"], [["this is a test"]], 0.223606797749979)
        assertEquals(0.223606797749979, rawCorpusBleu(List.of("this is a fest"),
                List.of(List.of("this is a test")), .01).score() / 100, EPSILON);
    }

    // ---- test_bleu.py: test_case_effective_order (raw_corpus_bleu, .01) -----------------------------------

    static Stream<Arguments> effectiveOrderCases() {
        return Stream.of(
                Arguments.of("test", "a test", 0.3678794411714425),
                Arguments.of("a test", "a test", 1.0),
                Arguments.of("a little test", "a test", 0.03218297948685433));
    }

    @ParameterizedTest
    @MethodSource("effectiveOrderCases")
    void effectiveOrder(String hyp, String ref, double expected) {
        assertEquals(expected, rawCorpusBleu(List.of(hyp), List.of(List.of(ref)), .01).score() / 100, EPSILON);
    }

    // ---- test_bleu.py: test_case_statistics and test_case_offset ------------------------------------------

    private static final List<String> OFFSET_HYP = List.of("am I am a character sequence");
    private static final List<List<String>> OFFSET_REF = List.of(List.of("I am a symbol string sequence a a"));

    @Test
    void statistics() { // Statistics([4, 2, 1, 0], [6, 5, 4, 3])
        BleuScore s = rawCorpusBleu(OFFSET_HYP, OFFSET_REF, .01);
        assertArrayEquals(new long[]{4, 2, 1, 0}, s.counts());
        assertArrayEquals(new long[]{6, 5, 4, 3}, s.totals());
    }

    @Test
    void floorOffsetZeroGivesZero() { // test_offset: expected_without_offset 0 with smooth_value 0.0
        assertEquals(0.0, rawCorpusBleu(OFFSET_HYP, OFFSET_REF, 0.0).score() / 100, EPSILON);
    }

    @Test
    void floorDefaultOffsetIsPointOne() { // test_offset: expected_with_offset 0.1555722182 (value None / default)
        assertEquals(0.1555722182, rawCorpusBleuDefaultFloor(OFFSET_HYP, OFFSET_REF).score() / 100, EPSILON);
        assertEquals(0.1555722182, rawCorpusBleu(OFFSET_HYP, OFFSET_REF, 0.1).score() / 100, EPSILON);
    }

    // ---- test_bleu.py: test_case_scoring and test_case_degenerate_stats (BLEU.compute_bleu) ---------------

    @Test
    void scoringFromStatistics() { // ((Statistics([9,7,5,3], [10,8,6,4]), 11, 11), 0.8375922397), smooth 'none'
        BleuMetric none = Bleu.builder().smoothing(Bleu.Smoothing.NONE).build();
        BleuStatistics stats = new BleuStatistics(11, 11, new long[]{9, 7, 5, 3}, new long[]{10, 8, 6, 4}, 1);
        assertEquals(0.8375922397, none.score(stats).score() / 100, EPSILON);
    }

    static Stream<Arguments> degenerateCases() { // (correct, total, sys_len, ref_len, floor offset) -> 0.0
        return Stream.of(
                Arguments.of(new long[]{0, 0, 0, 0}, new long[]{4, 4, 2, 1}, 0, 1, 0.0),
                Arguments.of(new long[]{0, 0, 0, 0}, new long[]{10, 11, 12, 0}, 14, 10, 0.0),
                Arguments.of(new long[]{0, 0, 0, 0}, new long[]{0, 0, 0, 0}, 0, 0, 0.0),
                Arguments.of(new long[]{6, 5, 4, 0}, new long[]{6, 5, 4, 3}, 6, 6, 0.0),
                Arguments.of(new long[]{0, 0, 0, 0}, new long[]{0, 0, 0, 0}, 0, 0, 0.1),
                Arguments.of(new long[]{0, 0, 0, 0}, new long[]{0, 0, 0, 0}, 1, 5, 0.01));
    }

    @ParameterizedTest
    @MethodSource("degenerateCases")
    void degenerateStatisticsScoreExactlyZero(long[] correct, long[] total, long sysLen, long refLen, double offset) {
        BleuMetric floor = Bleu.builder().smoothing(Bleu.Smoothing.FLOOR).smoothValue(offset).build();
        assertEquals(0.0, floor.score(new BleuStatistics(sysLen, refLen, correct, total, 1)).score() / 100);
    }

    // ---- test_bleu.py: test_bleu_max_order (f"{bleu.score:.2f}") ------------------------------------------

    static Stream<Arguments> maxOrderCases() {
        return Stream.of(Arguments.of(1, "77.65"), Arguments.of(2, "60.50"), Arguments.of(3, "53.93"),
                Arguments.of(4, "48.53"), Arguments.of(5, "46.14"), Arguments.of(6, "43.28"));
    }

    @ParameterizedTest
    @MethodSource("maxOrderCases")
    void maxNgramOrder(int order, String expected) {
        BleuScore s = Bleu.builder().maxNgramOrder(order).build().corpusScore(HYPS, REFS);
        assertEquals(expected, PythonFormat.fixed(s.score(), 2));
        assertEquals(order, s.precisions().length);
    }

    // ---- test_sentence_bleu.py (example from sacreBLEU issue #98), effective order, EPSILON 1e-3 ----------

    private static final String REF = "producţia de zahăr brut se exprimă în zahăr alb;";
    private static final String SYS = "Producția de zahăr primă va fi exprimată în ceea ce privește zahărul alb;";

    @Test
    void issueSentenceVectorWithDefaults() { // ('exp', None, False, '13a', 8.493) via sentence_bleu defaults
        assertEquals(8.493, Bleu.sentenceScore(SYS, List.of(REF)).score(), 1e-3);
    }

    static Stream<Arguments> sentenceCases() { // test_cases: smooth_method, smooth_value, lowercase, tok, expected
        return Stream.of(
                Arguments.of(Bleu.Smoothing.EXP, null, false, "13a", 8.493),
                Arguments.of(Bleu.Smoothing.NONE, null, false, "13a", 0.0),
                Arguments.of(Bleu.Smoothing.FLOOR, null, false, "13a", 4.51688),
                Arguments.of(Bleu.Smoothing.FLOOR, 0.1, false, "13a", 4.51688),
                Arguments.of(Bleu.Smoothing.FLOOR, 0.5, false, "13a", 10.10),
                Arguments.of(Bleu.Smoothing.ADD_K, null, false, "13a", 14.882),
                Arguments.of(Bleu.Smoothing.ADD_K, 1.0, false, "13a", 14.882),
                Arguments.of(Bleu.Smoothing.ADD_K, 2.0, false, "13a", 21.389),
                Arguments.of(Bleu.Smoothing.EXP, null, false, "none", 7.347),
                Arguments.of(Bleu.Smoothing.EXP, null, false, "char", 40.8759),
                Arguments.of(Bleu.Smoothing.EXP, null, true, "char", 42.0267));
    }

    @ParameterizedTest
    @MethodSource("sentenceCases")
    void sentenceBleu(Bleu.Smoothing method, Double value, boolean lowercase, String tok, double expected) {
        Bleu.Builder b = Bleu.builder().smoothing(method).lowercase(lowercase).tokenize(tok).effectiveOrder(true);
        if (value != null) {
            b.smoothValue(value);
        }
        assertEquals(expected, b.build().sentenceScore(SYS, List.of(REF)).score(), 1e-3);
    }

    @ParameterizedTest
    @MethodSource("zeroCases")
    void sentenceBleuWithoutAnyMatchIsZero(Bleu.Smoothing method, Double value) {
        // test_cases_zero_bleu (example from sacreBLEU issue #141): "this is a cat" vs "okay thanks" -> 0.0
        Bleu.Builder b = Bleu.builder().smoothing(method).effectiveOrder(true);
        if (value != null) {
            b.smoothValue(value);
        }
        assertEquals(0.0, b.build().sentenceScore("this is a cat", List.of("okay thanks")).score(), 1e-3);
    }

    static Stream<Arguments> zeroCases() {
        return Stream.of(Arguments.of(Bleu.Smoothing.EXP, null), Arguments.of(Bleu.Smoothing.NONE, null),
                Arguments.of(Bleu.Smoothing.FLOOR, null), Arguments.of(Bleu.Smoothing.FLOOR, 0.1),
                Arguments.of(Bleu.Smoothing.ADD_K, null), Arguments.of(Bleu.Smoothing.ADD_K, 1.0));
    }

    // ---- README.md, "Using SacreBLEU from Python": result lines and signatures ----------------------------

    @Test
    void readmeResultLineAndSignature() {
        BleuScore s = Bleu.corpusScore(HYPS, REFS);
        assertEquals("BLEU = 48.53 82.4/50.0/45.5/37.5 (BP = 0.943 ratio = 0.944 hyp_len = 17 ref_len = 18)",
                s.toString());
        // README prints version:2.0.0, the release it was written for; we model 2.6.0
        assertEquals("nrefs:2|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0", s.signature());
        assertEquals(17, s.sysLen());
        assertEquals(18, s.refLen());
    }

    @Test
    void readmeVariableNumberOfReferences() { // README "Variable Number of References", first ref removed (None)
        List<String> first = Arrays.asList(null, "It was not unexpected.", "The man bit him first.");
        BleuScore s = Bleu.corpusScore(HYPS, List.of(first, REFS.get(1)));
        assertEquals("BLEU = 29.44 82.4/42.9/27.3/12.5 (BP = 0.889 ratio = 0.895 hyp_len = 17 ref_len = 19)",
                s.toString());
        assertEquals("nrefs:var|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0", s.signature());
    }

    @Test
    void emptyStringReferenceIsKeptAsAReference() {
        // Same README example with '' instead of None. Since sacreBLEU 2.2 ("allow empty references", #161;
        // metrics/base.py `_cache_references` drops only None) '' is a reference of length 0: the score is
        // README's, the signature stays nrefs:2 (the README text predates 2.2 and says nrefs:var).
        List<String> first = List.of("", "It was not unexpected.", "The man bit him first.");
        BleuScore s = Bleu.corpusScore(HYPS, List.of(first, REFS.get(1)));
        assertEquals("BLEU = 29.44 82.4/42.9/27.3/12.5 (BP = 0.889 ratio = 0.895 hyp_len = 17 ref_len = 19)",
                s.toString());
        assertEquals("nrefs:2|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0", s.signature());
    }
}
