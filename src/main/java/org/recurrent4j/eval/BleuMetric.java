package org.recurrent4j.eval;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.recurrent4j.data.tokenize.SacreBleuCharTokenizer;
import org.recurrent4j.data.tokenize.PythonWhitespace;
import org.recurrent4j.data.tokenize.Tokenizer;
import org.recurrent4j.data.tokenize.Tokenizer13a;
import org.recurrent4j.data.tokenize.WhitespaceTokenizer;

/**
 * A configured BLEU metric (sacreBLEU's {@code BLEU} object), made by {@link Bleu#builder()}. Immutable and
 * thread-safe.
 *
 * <p>Per segment: each line is lowercased (if asked, {@link String#toLowerCase(Locale)} with the root locale),
 * right-stripped and tokenized; the hypothesis n-grams (orders 1..max) are clipped against, for each n-gram,
 * the maximum count over the segment's references; the reference length is the closest to the hypothesis
 * length, ties to the shorter. Corpus BLEU sums these statistics over segments (see {@link BleuStatistics}) and
 * computes precision, brevity penalty and smoothing once ({@link #score(BleuStatistics)}).
 *
 * <p>Lowercasing uses Java's Unicode tables, sacreBLEU Python's {@code str.lower()}: they agree on every code point
 * both Unicode versions know; Java 17 (Unicode 13.0) leaves 40 code points added later (e.g. U+2C2F, U+A7C0,
 * U+10570..) unchanged that Python 3.11 (Unicode 14.0) lowercases.
 *
 * <p>References: a {@code null} reference is dropped (the segment has one reference fewer, and the signature
 * says {@code nrefs:var} when the count varies); an empty string is kept as a reference of length 0, as in
 * sacreBLEU since 2.2. A segment without any non-null reference is an error.
 */
public final class BleuMetric {

    private final String tokenizerName;
    private final Tokenizer tokenizer;
    private final boolean lowercase;
    private final Bleu.Smoothing smoothing;
    private final double smoothValue;
    private final int maxOrder;
    private final boolean effectiveOrder;

    BleuMetric(String tokenizerName, boolean lowercase, Bleu.Smoothing smoothing, double smoothValue,
               int maxOrder, boolean effectiveOrder) {
        this.tokenizerName = tokenizerName;
        this.tokenizer = tokenizerFor(tokenizerName);
        this.lowercase = lowercase;
        this.smoothing = smoothing;
        this.smoothValue = smoothValue;
        this.maxOrder = maxOrder;
        this.effectiveOrder = effectiveOrder;
    }

    private static Tokenizer tokenizerFor(String name) {
        if (name == null) {
            throw new IllegalArgumentException("Bleu.Builder: tokenize must not be null; expected one of "
                    + "\"13a\", \"none\", \"char\"");
        }
        return switch (name) {
            case Tokenizer13a.SIGNATURE -> new Tokenizer13a();
            case WhitespaceTokenizer.SIGNATURE -> new WhitespaceTokenizer();
            case SacreBleuCharTokenizer.SIGNATURE -> new SacreBleuCharTokenizer();
            default -> throw new IllegalArgumentException("Bleu.Builder: unsupported tokenize \"" + name
                    + "\"; expected one of \"13a\", \"none\", \"char\"");
        };
    }

    /** @return the maximum n-gram order */
    public int maxNgramOrder() {
        return maxOrder;
    }

    /**
     * Corpus BLEU ({@code BLEU.corpus_score}).
     *
     * @param hypotheses       one line per segment, at least one, none null
     * @param referenceStreams at least one stream, each of {@code hypotheses.size()} lines; {@code null}
     *                         entries drop that reference for that segment
     */
    public BleuScore corpusScore(List<String> hypotheses, List<List<String>> referenceStreams) {
        List<BleuStatistics> segments = segmentStatistics(hypotheses, referenceStreams);
        return score(sum(segments));
    }

    /**
     * Sentence BLEU ({@code BLEU.sentence_score}): one segment against its references. Uses this metric's
     * options as they are; sacreBLEU recommends {@code effectiveOrder(true)} at sentence level, which is
     * {@link Bleu#sentenceScore}'s default.
     *
     * @param hypothesis one segment
     * @param references its references, at least one non-null
     */
    public BleuScore sentenceScore(String hypothesis, List<String> references) {
        if (hypothesis == null) {
            throw new IllegalArgumentException("BleuMetric.sentenceScore: hypothesis must not be null");
        }
        if (references == null || references.isEmpty()) {
            throw new IllegalArgumentException("BleuMetric.sentenceScore: references must hold at least one "
                    + "reference, got " + references);
        }
        return score(segmentStatistics(hypothesis, references));
    }

    /**
     * The statistics of each segment, for corpus BLEU of subsets ({@link BleuByLength}) without re-tokenizing.
     * Arguments as {@link #corpusScore}.
     *
     * @return one entry per hypothesis, in order
     */
    public List<BleuStatistics> segmentStatistics(List<String> hypotheses, List<List<String>> referenceStreams) {
        validateCorpus(hypotheses, referenceStreams);
        List<BleuStatistics> out = new ArrayList<>(hypotheses.size());
        List<String> refs = new ArrayList<>(referenceStreams.size());
        for (int i = 0; i < hypotheses.size(); i++) {
            refs.clear();
            for (List<String> stream : referenceStreams) {
                refs.add(stream.get(i));
            }
            out.add(segmentStatistics(hypotheses.get(i), refs));
        }
        return out;
    }

    /**
     * Statistics of one segment ({@code _extract_reference_info} and {@code _compute_segment_statistics}).
     *
     * @param hypothesis the hypothesis line
     * @param references its references; {@code null} entries are dropped, at least one must remain
     */
    public BleuStatistics segmentStatistics(String hypothesis, List<String> references) {
        List<Integer> refLens = new ArrayList<>(references.size());
        List<Map<String, Integer>> refMax = emptyCounts();
        for (String ref : references) {
            if (ref == null) {
                continue;
            }
            List<String> tokens = preprocess(ref);
            refLens.add(tokens.size());
            List<Map<String, Integer>> counts = ngramCounts(tokens);
            for (int n = 0; n < maxOrder; n++) {
                Map<String, Integer> max = refMax.get(n);
                counts.get(n).forEach((ngram, count) -> max.merge(ngram, count, Math::max));
            }
        }
        if (refLens.isEmpty()) {
            throw new IllegalArgumentException("BleuMetric: a segment needs at least one non-null reference, got "
                    + references + " for hypothesis \"" + hypothesis + "\"");
        }
        List<String> hypTokens = preprocess(hypothesis);
        List<Map<String, Integer>> hypCounts = ngramCounts(hypTokens);
        long[] correct = new long[maxOrder];
        long[] total = new long[maxOrder];
        for (int n = 0; n < maxOrder; n++) {
            Map<String, Integer> ref = refMax.get(n);
            for (Map.Entry<String, Integer> e : hypCounts.get(n).entrySet()) {
                total[n] += e.getValue();
                correct[n] += Math.min(e.getValue(), ref.getOrDefault(e.getKey(), 0));
            }
        }
        return new BleuStatistics(hypTokens.size(), closestRefLen(hypTokens.size(), refLens), correct, total,
                refLens.size());
    }

    /**
     * BLEU from (summed) statistics: sacreBLEU's {@code BLEU.compute_bleu} with this metric's smoothing, effective
     * order and max order, and this metric's signature.
     *
     * @param stats statistics counted up to this metric's max order
     */
    public BleuScore score(BleuStatistics stats) {
        if (stats.maxOrder() != maxOrder) {
            throw new IllegalArgumentException("BleuMetric.score: statistics have max order " + stats.maxOrder()
                    + ", this metric " + maxOrder);
        }
        long sysLen = stats.hypLen();
        long refLen = stats.refLen();
        double bp = 1.0;
        if (sysLen < refLen) {
            bp = sysLen > 0 ? Math.exp(1 - (double) refLen / sysLen) : 0.0;
        }
        double[] precisions = new double[maxOrder];
        String signature = signature(stats.nrefs());

        long[] rawCorrect = stats.correct();
        boolean anyMatch = false;
        for (long c : rawCorrect) {
            anyMatch |= c != 0;
        }
        if (!anyMatch) { // early stop when nothing matches (sacreBLEU #141)
            return new BleuScore(0.0, stats, precisions, bp, signature);
        }

        double[] correct = toDouble(rawCorrect);
        double[] total = toDouble(stats.total());
        double smoothMteval = 1.0;
        int effOrder = maxOrder;
        for (int n = 1; n <= maxOrder; n++) {
            if (smoothing == Bleu.Smoothing.ADD_K && n > 1) {
                correct[n - 1] += smoothValue;
                total[n - 1] += smoothValue;
            }
            if (total[n - 1] == 0) {
                break;
            }
            if (effectiveOrder) {
                effOrder = n;
            }
            if (correct[n - 1] == 0) {
                if (smoothing == Bleu.Smoothing.EXP) {
                    smoothMteval *= 2;
                    precisions[n - 1] = 100.0 / (smoothMteval * total[n - 1]);
                } else if (smoothing == Bleu.Smoothing.FLOOR) {
                    precisions[n - 1] = 100.0 * smoothValue / total[n - 1];
                }
            } else {
                precisions[n - 1] = 100.0 * correct[n - 1] / total[n - 1];
            }
        }
        double logSum = 0.0;
        for (int n = 0; n < effOrder; n++) {
            logSum += flooredLog(precisions[n]);
        }
        double score = bp * Math.exp(logSum / effOrder);
        return new BleuScore(score, stats, precisions, bp, signature);
    }

    /**
     * sacreBLEU's signature, e.g. {@code nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0}; floor and
     * add-k carry their value, {@code smooth:floor[0.10]}.
     *
     * @param nrefs references per segment, or {@link BleuStatistics#VARIABLE_NREFS} ({@code nrefs:var})
     */
    public String signature(int nrefs) {
        String smooth = smoothing.sacrebleuName()
                + (smoothing.takesValue() ? "[" + PythonFormat.fixed(smoothValue, 2) + "]" : "");
        return "nrefs:" + (nrefs == BleuStatistics.VARIABLE_NREFS ? "var" : Integer.toString(nrefs))
                + "|case:" + (lowercase ? "lc" : "mixed")
                + "|eff:" + (effectiveOrder ? "yes" : "no")
                + "|tok:" + tokenizerName
                + "|smooth:" + smooth
                + "|version:" + Bleu.SACREBLEU_VERSION;
    }

    /** sacreBLEU's {@code _preprocess_segment}: lowercase if asked, right-strip, tokenize. */
    private List<String> preprocess(String line) {
        String s = lowercase ? line.toLowerCase(Locale.ROOT) : line;
        return tokenizer.tokenize(PythonWhitespace.stripTrailing(s));
    }

    /** @return per order n-1, the counts of the n-grams of {@code tokens}, keyed by tokens joined with spaces */
    private List<Map<String, Integer>> ngramCounts(List<String> tokens) {
        // tokens never contain whitespace, so the space-joined key identifies the n-gram
        List<Map<String, Integer>> counts = emptyCounts();
        for (int n = 1; n <= maxOrder; n++) {
            Map<String, Integer> order = counts.get(n - 1);
            for (int i = 0; i + n <= tokens.size(); i++) {
                order.merge(String.join(" ", tokens.subList(i, i + n)), 1, Integer::sum);
            }
        }
        return counts;
    }

    private List<Map<String, Integer>> emptyCounts() {
        List<Map<String, Integer>> counts = new ArrayList<>(maxOrder);
        for (int n = 0; n < maxOrder; n++) {
            counts.add(new HashMap<>());
        }
        return counts;
    }

    /** sacreBLEU's {@code _get_closest_ref_len}: the closest reference length, ties to the shorter. */
    static int closestRefLen(int hypLen, List<Integer> refLens) {
        int closestDiff = -1;
        int closestLen = -1;
        for (int refLen : refLens) {
            int diff = Math.abs(hypLen - refLen);
            if (closestDiff == -1 || diff < closestDiff) {
                closestDiff = diff;
                closestLen = refLen;
            } else if (diff == closestDiff && refLen < closestLen) {
                closestLen = refLen;
            }
        }
        return closestLen;
    }

    /** sacreBLEU's {@code my_log}: log, with log(0) floored to -9999999999. */
    private static double flooredLog(double x) {
        return x == 0.0 ? -9999999999.0 : Math.log(x);
    }

    private static double[] toDouble(long[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }

    static BleuStatistics sum(List<BleuStatistics> segments) {
        BleuStatistics acc = segments.get(0);
        for (int i = 1; i < segments.size(); i++) {
            acc = acc.plus(segments.get(i));
        }
        return acc;
    }

    private static void validateCorpus(List<String> hypotheses, List<List<String>> referenceStreams) {
        if (hypotheses == null || hypotheses.isEmpty()) {
            throw new IllegalArgumentException("BleuMetric.corpusScore: hypotheses must hold at least one line, got "
                    + (hypotheses == null ? "null" : "an empty list"));
        }
        for (int i = 0; i < hypotheses.size(); i++) {
            if (hypotheses.get(i) == null) {
                throw new IllegalArgumentException("BleuMetric.corpusScore: hypothesis " + i + " is null "
                        + "(undefined line in the hypotheses stream)");
            }
        }
        if (referenceStreams == null || referenceStreams.isEmpty()) {
            throw new IllegalArgumentException("BleuMetric.corpusScore: referenceStreams must hold at least one "
                    + "stream, got " + (referenceStreams == null ? "null" : "an empty list"));
        }
        for (int s = 0; s < referenceStreams.size(); s++) {
            List<String> stream = referenceStreams.get(s);
            if (stream == null || stream.size() != hypotheses.size()) {
                throw new IllegalArgumentException("BleuMetric.corpusScore: reference stream " + s + " must have "
                        + hypotheses.size() + " lines (one per hypothesis), got "
                        + (stream == null ? "null" : stream.size()));
            }
        }
    }
}
