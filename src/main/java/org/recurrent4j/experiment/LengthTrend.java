package org.recurrent4j.experiment;

import org.recurrent4j.eval.BleuByLength;
import org.recurrent4j.eval.BleuByLengthResult;

import java.util.ArrayList;
import java.util.List;

/**
 * How fast BLEU falls with source length: the weighted least-squares slope of bucket BLEU against bucket midpoint,
 * each bucket weighted by its number of sentences, over the buckets holding at least {@code minSentences}
 * sentences (sparse buckets are noise; open-ended buckets have no midpoint and are left out).
 *
 * <pre>
 *   x̄ = Σ n_b x_b / Σ n_b,   ȳ = Σ n_b y_b / Σ n_b,
 *   slope = Σ n_b (x_b − x̄)(y_b − ȳ) / Σ n_b (x_b − x̄)²       [BLEU points per source token]
 * </pre>
 * A negative slope means BLEU falls as sentences grow; RNNenc's should be more negative than RNNsearch's.
 *
 * @param slope     BLEU points per source token; NaN when fewer than two usable buckets
 * @param buckets   buckets used
 * @param sentences sentences in those buckets
 */
public record LengthTrend(double slope, int buckets, int sentences) {

    /**
     * One bucket.
     *
     * @param midpoint the bucket's middle length, {@code (lo + hi) / 2}
     * @param count    its sentences (the weight)
     * @param bleu     its corpus BLEU
     */
    public record Point(double midpoint, int count, double bleu) {
    }

    /** @return the slope per 10 source tokens (how results print it) */
    public double slopePer10Tokens() {
        return 10 * slope;
    }

    /** @return the buckets of {@code result} that the trend uses, as points */
    public static List<Point> points(BleuByLengthResult result, int minSentences) {
        List<Point> points = new ArrayList<>();
        for (BleuByLengthResult.Bucket b : result.buckets()) {
            if (b.count() >= minSentences && b.hi() != BleuByLength.OPEN && b.scoreOrNull() != null) {
                points.add(new Point((b.lo() + b.hi()) / 2.0, b.count(), b.scoreOrNull().score()));
            }
        }
        return points;
    }

    /** @return the trend of {@code result}'s buckets with at least {@code minSentences} sentences */
    public static LengthTrend of(BleuByLengthResult result, int minSentences) {
        return fit(points(result, minSentences));
    }

    /** @return the weighted least-squares slope through {@code points} */
    public static LengthTrend fit(List<Point> points) {
        double n = 0;
        double sx = 0;
        double sy = 0;
        int sentences = 0;
        for (Point p : points) {
            if (p.count() < 1) {
                throw new IllegalArgumentException("LengthTrend.fit: every point needs count >= 1, got " + p);
            }
            n += p.count();
            sx += p.count() * p.midpoint();
            sy += p.count() * p.bleu();
            sentences += p.count();
        }
        if (points.size() < 2) {
            return new LengthTrend(Double.NaN, points.size(), sentences);
        }
        double mx = sx / n;
        double my = sy / n;
        double sxy = 0;
        double sxx = 0;
        for (Point p : points) {
            sxy += p.count() * (p.midpoint() - mx) * (p.bleu() - my);
            sxx += p.count() * (p.midpoint() - mx) * (p.midpoint() - mx);
        }
        return new LengthTrend(sxx == 0 ? Double.NaN : sxy / sxx, points.size(), sentences);
    }
}
