package org.recurrent4j.eval;

import java.util.List;
import java.util.Optional;

/**
 * The result of {@link BleuByLength}: one {@link Bucket} per source-length range, in increasing order, plus the
 * corpus BLEU of all kept segments. Immutable.
 *
 * @param buckets        the buckets, in increasing length order
 * @param overallOrNull  corpus BLEU of every segment the filter kept (also those outside all buckets); null
 *                       if the filter kept none
 * @param filteredOut    segments the {@link SentenceFilter} dropped
 * @param outsideBuckets kept segments whose length falls in no bucket (only with explicit edges)
 */
public record BleuByLengthResult(List<Bucket> buckets, BleuScore overallOrNull, int filteredOut,
                                 int outsideBuckets) {

    /**
     * One source-length range.
     *
     * @param lo          smallest source length in the bucket
     * @param hi          largest source length in the bucket (inclusive); {@link BleuByLength#OPEN} if unbounded
     * @param count       number of segments in the bucket
     * @param scoreOrNull corpus BLEU of those segments; null when the bucket is empty (BLEU is undefined)
     */
    public record Bucket(int lo, int hi, int count, BleuScore scoreOrNull) {

        /** @return the bucket's corpus BLEU, empty when it holds no segment */
        public Optional<BleuScore> score() {
            return Optional.ofNullable(scoreOrNull);
        }
    }

    /** Makes the bucket list unmodifiable. */
    public BleuByLengthResult {
        buckets = List.copyOf(buckets);
    }

    /** @return corpus BLEU of every kept segment, empty when the filter kept none */
    public Optional<BleuScore> overall() {
        return Optional.ofNullable(overallOrNull);
    }

    /**
     * @return CSV text, header {@code lo,hi,count,bleu}, one line per bucket; {@code hi} is empty for an open
     *         bucket and {@code bleu} (full double precision) is empty for an empty bucket
     */
    public String toCsv() {
        StringBuilder sb = new StringBuilder("lo,hi,count,bleu\n");
        for (Bucket b : buckets) {
            sb.append(b.lo()).append(',')
                    .append(b.hi() == BleuByLength.OPEN ? "" : Integer.toString(b.hi())).append(',')
                    .append(b.count()).append(',')
                    .append(b.scoreOrNull() == null ? "" : Double.toString(b.scoreOrNull().score())).append('\n');
        }
        return sb.toString();
    }
}
