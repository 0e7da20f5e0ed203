package org.recurrent4j.experiment;

import org.recurrent4j.eval.BleuByLength;
import org.recurrent4j.eval.BleuByLengthResult;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * How fast BLEU falls with source length, over the buckets holding at least {@code minSentences} sentences (sparse
 * buckets are noise; open-ended buckets have no midpoint and are left out), each bucket weighted by its number of
 * sentences. Two weighted least-squares fits against the bucket midpoint x_b:
 * <ul>
 *   <li>{@link #slope()}: of bucket BLEU y_b itself, in BLEU points per source token;</li>
 *   <li>{@link #logSlope()}: of ln y_b, so that {@link #relativeChangePer10Tokens()} = exp(10 · logSlope) − 1 is the
 *       fraction of its BLEU a model loses (negative) per 10 more source tokens, whatever its level. This is the
 *       statistic that compares models of different quality fairly: a model near BLEU's floor (a few points that
 *       frequent n-grams score whatever the input) cannot lose many points however badly it handles long sentences,
 *       while a better model can. A bucket with BLEU 0 counts as {@value #LOG_FLOOR} in the log fit.</li>
 * </ul>
 * <pre>
 *   x̄ = Σ n_b x_b / Σ n_b,   ȳ = Σ n_b y_b / Σ n_b,
 *   slope = Σ n_b (x_b − x̄)(y_b − ȳ) / Σ n_b (x_b − x̄)²
 * </pre>
 * A negative slope means BLEU falls as sentences grow; RNNenc's should fall faster than RNNsearch's.
 *
 * @param slope     BLEU points per source token; NaN when fewer than two usable buckets
 * @param logSlope  change of ln BLEU per source token; NaN when fewer than two usable buckets
 * @param buckets   buckets used
 * @param sentences sentences in those buckets
 */
public record LengthTrend(double slope, double logSlope, int buckets, int sentences) {

    /** The BLEU a bucket with BLEU 0 counts as in the log fit. */
    public static final double LOG_FLOOR = 0.01;

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

    /** @return the fitted relative change of BLEU per 10 more source tokens, {@code exp(10 · logSlope) − 1} */
    public double relativeChangePer10Tokens() {
        return Math.expm1(10 * logSlope);
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

    /** @return the weighted least-squares slopes through {@code points} */
    public static LengthTrend fit(List<Point> points) {
        int sentences = 0;
        for (Point p : points) {
            if (p.count() < 1) {
                throw new IllegalArgumentException("LengthTrend.fit: every point needs count >= 1, got " + p);
            }
            if (!(p.bleu() >= 0)) {
                throw new IllegalArgumentException("LengthTrend.fit: every point needs BLEU >= 0, got " + p);
            }
            sentences += p.count();
        }
        if (points.size() < 2) {
            return new LengthTrend(Double.NaN, Double.NaN, points.size(), sentences);
        }
        return new LengthTrend(weightedSlope(points, Point::bleu),
                weightedSlope(points, p -> Math.log(Math.max(p.bleu(), LOG_FLOOR))), points.size(), sentences);
    }

    private static double weightedSlope(List<Point> points, ToDoubleFunction<Point> y) {
        double n = 0;
        double sx = 0;
        double sy = 0;
        for (Point p : points) {
            n += p.count();
            sx += p.count() * p.midpoint();
            sy += p.count() * y.applyAsDouble(p);
        }
        double mx = sx / n;
        double my = sy / n;
        double sxy = 0;
        double sxx = 0;
        for (Point p : points) {
            sxy += p.count() * (p.midpoint() - mx) * (y.applyAsDouble(p) - my);
            sxx += p.count() * (p.midpoint() - mx) * (p.midpoint() - mx);
        }
        return sxx == 0 ? Double.NaN : sxy / sxx;
    }
}
