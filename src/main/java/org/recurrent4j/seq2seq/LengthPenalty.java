package org.recurrent4j.seq2seq;

/**
 * How a finished hypothesis' log-probability is normalised by its length before hypotheses are compared
 * ({@code score = log P(y | x) / lp(L)}, plus the coverage penalty if set). {@code L} counts the scored predictions,
 * the final {@code </s>} included (a translation of 3 words has L = 4).
 *
 * <ul>
 *   <li>{@link #NONE}: {@code lp = 1}, the model's log-probability (favours short translations)</li>
 *   <li>{@link #AVERAGE}: {@code lp = L}, the mean log-probability per prediction</li>
 *   <li>{@link #gnmt(double)}: {@code lp = ((5 + L) / 6)^α} (Wu et al. 2016, GNMT); α = 0 is NONE, α = 1 is close
 *       to AVERAGE</li>
 * </ul>
 */
public final class LengthPenalty {
    /** no normalisation: the score is the log-probability */
    public static final LengthPenalty NONE = new LengthPenalty(Kind.NONE, 0);
    /** the log-probability divided by the number of predictions */
    public static final LengthPenalty AVERAGE = new LengthPenalty(Kind.AVERAGE, 0);

    private enum Kind { NONE, AVERAGE, GNMT }

    private final Kind kind;
    private final double alpha;

    private LengthPenalty(Kind kind, double alpha) {
        this.kind = kind;
        this.alpha = alpha;
    }

    /**
     * @param alpha the exponent α ≥ 0 (GNMT used 0.6–0.7)
     * @return GNMT's penalty {@code ((5 + L) / 6)^α}
     */
    public static LengthPenalty gnmt(double alpha) {
        if (!(alpha >= 0) || Double.isInfinite(alpha)) {
            throw new IllegalArgumentException("LengthPenalty.gnmt: alpha must be a finite number >= 0, got " + alpha);
        }
        return new LengthPenalty(Kind.GNMT, alpha);
    }

    /**
     * Parses {@code none}, {@code average} or {@code gnmt:α} (e.g. {@code gnmt:0.6}), case-insensitive.
     *
     * @throws IllegalArgumentException naming the accepted forms
     */
    public static LengthPenalty parse(String text) {
        String t = text.trim().toLowerCase(java.util.Locale.ROOT);
        if (t.equals("none")) {
            return NONE;
        }
        if (t.equals("average")) {
            return AVERAGE;
        }
        if (t.startsWith("gnmt:")) {
            try {
                return gnmt(Double.parseDouble(t.substring(5)));
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        throw new IllegalArgumentException("LengthPenalty: expected none, average or gnmt:ALPHA (e.g. gnmt:0.6), got '"
                + text + "'");
    }

    /** @return the divisor lp(L) for a hypothesis of {@code predictions} scored predictions (L ≥ 1) */
    public double divisor(int predictions) {
        return switch (kind) {
            case NONE -> 1.0;
            case AVERAGE -> predictions;
            case GNMT -> Math.pow((5.0 + predictions) / 6.0, alpha);
        };
    }

    @Override
    public String toString() {
        return kind == Kind.GNMT ? "gnmt:" + alpha : kind.name().toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LengthPenalty p && p.kind == kind && p.alpha == alpha;
    }

    @Override
    public int hashCode() {
        return kind.hashCode() * 31 + Double.hashCode(alpha);
    }
}
