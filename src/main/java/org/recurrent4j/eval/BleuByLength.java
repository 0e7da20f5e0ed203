package org.recurrent4j.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import org.recurrent4j.data.tokenize.Tokenizer;
import org.recurrent4j.data.tokenize.WhitespaceTokenizer;

/**
 * Corpus BLEU per source-length bucket, as in Figure 2 of Bahdanau et al. (2014): for each bucket, the corpus
 * BLEU of the segments whose source length falls in it (their statistics summed, see {@link BleuStatistics}),
 * never an average of sentence scores.
 *
 * <p>Source length is the number of tokens of the source sentence, by default its whitespace tokens
 * ({@link WhitespaceTokenizer}): the raw-text corpora of this project carry no tokenization of their own, and
 * a whitespace count is reproducible without knowing any model's tokenizer. Give another with
 * {@link #sourceTokenizer(Tokenizer)}.
 *
 * <p>Buckets are either of one width ({@link #withBucketWidth}: 0..w-1, w..2w-1, ..., up to the longest kept
 * source) or given by edges ({@link #withBucketEdges}). Immutable; the setters return modified copies.
 */
public final class BleuByLength {

    /** An edge that leaves the last bucket open: {@code withBucketEdges(0, 10, 20, OPEN)} ends with 20..∞. */
    public static final int OPEN = Integer.MAX_VALUE;

    private final int width;       // > 0 for fixed-width buckets, 0 when edges are given
    private final int[] edges;     // null for fixed-width buckets
    private final BleuMetric metric;
    private final Tokenizer sourceTokenizer;

    private BleuByLength(int width, int[] edges, BleuMetric metric, Tokenizer sourceTokenizer) {
        this.width = width;
        this.edges = edges;
        this.metric = metric;
        this.sourceTokenizer = sourceTokenizer;
    }

    /**
     * @param width bucket width in tokens (>= 1): buckets {@code [k·width, (k+1)·width − 1]} for k = 0, 1, ...
     *              up to the bucket of the longest kept source, empty buckets included
     */
    public static BleuByLength withBucketWidth(int width) {
        if (width < 1) {
            throw new IllegalArgumentException("BleuByLength.withBucketWidth: width must be >= 1, got " + width);
        }
        return new BleuByLength(width, null, Bleu.builder().build(), new WhitespaceTokenizer());
    }

    /**
     * @param edges strictly increasing, >= 0, at least two: bucket i holds lengths {@code edges[i] ..
     *              edges[i+1] − 1}; a last edge {@link #OPEN} makes the last bucket unbounded. Segments outside
     *              all buckets are left out and counted in {@link BleuByLengthResult#outsideBuckets()}.
     */
    public static BleuByLength withBucketEdges(int... edges) {
        if (edges == null || edges.length < 2) {
            throw new IllegalArgumentException("BleuByLength.withBucketEdges: need at least two edges, got "
                    + Arrays.toString(edges));
        }
        for (int i = 0; i < edges.length; i++) {
            if (edges[i] < 0 || (i > 0 && edges[i] <= edges[i - 1])) {
                throw new IllegalArgumentException("BleuByLength.withBucketEdges: edges must be >= 0 and strictly "
                        + "increasing, got " + Arrays.toString(edges));
            }
        }
        return new BleuByLength(0, edges.clone(), Bleu.builder().build(), new WhitespaceTokenizer());
    }

    /** @param metric the BLEU options (default: sacreBLEU's defaults, {@code Bleu.builder().build()}) */
    public BleuByLength metric(BleuMetric metric) {
        return new BleuByLength(width, edges, Objects.requireNonNull(metric, "BleuByLength.metric"),
                sourceTokenizer);
    }

    /** @param tokenizer counts source tokens (default {@link WhitespaceTokenizer}) */
    public BleuByLength sourceTokenizer(Tokenizer tokenizer) {
        return new BleuByLength(width, edges, metric,
                Objects.requireNonNull(tokenizer, "BleuByLength.sourceTokenizer"));
    }

    /** All segments; see {@link #evaluate(List, List, List, SentenceFilter)}. */
    public BleuByLengthResult evaluate(List<String> sources, List<String> hypotheses,
                                      List<List<String>> referenceStreams) {
        return evaluate(sources, hypotheses, referenceStreams, SentenceFilter.ALL);
    }

    /**
     * @param sources          source sentences, parallel to {@code hypotheses}
     * @param hypotheses       system outputs
     * @param referenceStreams reference streams, each parallel to {@code hypotheses} (as in {@link Bleu})
     * @param filter           which segments take part (e.g. {@link NoUnkFilter}); the others are counted in
     *                         {@link BleuByLengthResult#filteredOut()}
     */
    public BleuByLengthResult evaluate(List<String> sources, List<String> hypotheses,
                                      List<List<String>> referenceStreams, SentenceFilter filter) {
        Objects.requireNonNull(filter, "BleuByLength.evaluate: filter");
        List<BleuStatistics> stats = metric.segmentStatistics(hypotheses, referenceStreams); // validates both
        if (sources == null || sources.size() != hypotheses.size()) {
            throw new IllegalArgumentException("BleuByLength.evaluate: sources must have " + hypotheses.size()
                    + " lines (one per hypothesis), got " + (sources == null ? "null" : sources.size()));
        }
        List<Integer> kept = new ArrayList<>();
        int[] lengths = new int[sources.size()];
        List<String> refs = new ArrayList<>();
        for (int i = 0; i < sources.size(); i++) {
            String source = sources.get(i);
            if (source == null) {
                throw new IllegalArgumentException("BleuByLength.evaluate: source " + i + " is null");
            }
            refs.clear();
            for (List<String> stream : referenceStreams) {
                refs.add(stream.get(i));
            }
            if (filter.keep(source, refs)) {
                kept.add(i);
                lengths[i] = sourceTokenizer.tokenize(source).size();
            }
        }
        int[] bucketEdges = edges != null ? edges : widthEdges(kept, lengths);
        int nBuckets = bucketEdges.length - 1;
        BleuStatistics[] sums = new BleuStatistics[nBuckets];
        int[] counts = new int[nBuckets];
        int outside = 0;
        BleuStatistics overall = null;
        for (int i : kept) {
            overall = overall == null ? stats.get(i) : overall.plus(stats.get(i));
            int b = bucketOf(lengths[i], bucketEdges);
            if (b < 0) {
                outside++;
                continue;
            }
            counts[b]++;
            sums[b] = sums[b] == null ? stats.get(i) : sums[b].plus(stats.get(i));
        }
        List<BleuByLengthResult.Bucket> buckets = new ArrayList<>(nBuckets);
        for (int b = 0; b < nBuckets; b++) {
            int hi = bucketEdges[b + 1] == OPEN ? OPEN : bucketEdges[b + 1] - 1;
            buckets.add(new BleuByLengthResult.Bucket(bucketEdges[b], hi, counts[b],
                    sums[b] == null ? null : metric.score(sums[b])));
        }
        return new BleuByLengthResult(buckets, overall == null ? null : metric.score(overall),
                sources.size() - kept.size(), outside);
    }

    private int[] widthEdges(List<Integer> kept, int[] lengths) {
        int maxLen = 0;
        for (int i : kept) {
            maxLen = Math.max(maxLen, lengths[i]);
        }
        int n = maxLen / width + 1;
        int[] e = new int[n + 1];
        for (int k = 0; k <= n; k++) {
            e[k] = k * width;
        }
        return e;
    }

    /** @return the bucket holding {@code length}, or −1 if none does */
    private static int bucketOf(int length, int[] edges) {
        for (int b = 0; b + 1 < edges.length; b++) {
            if (length >= edges[b] && (edges[b + 1] == OPEN || length < edges[b + 1])) {
                return b;
            }
        }
        return -1;
    }
}
