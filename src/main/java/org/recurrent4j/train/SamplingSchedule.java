package org.recurrent4j.train;

import java.io.Serializable;
import java.util.Locale;

/**
 * The probability ε_i of feeding the <em>gold</em> previous token at update i in scheduled sampling (Bengio et al.
 * 2015, section 2.4); with probability 1 − ε_i the model's own prediction is fed instead. Updates count from 0.
 * <ul>
 *   <li>{@link #teacherForcing()}: ε = 1 always (the default of every trainer);</li>
 *   <li>{@link #constant(double)}: ε = k;</li>
 *   <li>{@link #linear(double, double, double)}: ε_i = max(ε_min, k − c·i);</li>
 *   <li>{@link #exponential(double)}: ε_i = k^i, k &lt; 1;</li>
 *   <li>{@link #inverseSigmoid(double)}: ε_i = k / (k + exp(i / k)), k ≥ 1.</li>
 * </ul>
 * {@link #parse(String)} reads the text form {@link #toString()} writes (e.g. {@code linear:1,1e-4,0.25}), used by
 * the command line and in saved training state.
 */
public final class SamplingSchedule implements Serializable {

    /** The decay shape. */
    public enum Kind { CONSTANT, LINEAR, EXPONENTIAL, INVERSE_SIGMOID }

    private final Kind kind;
    private final double k;
    private final double c;
    private final double min;

    private SamplingSchedule(Kind kind, double k, double c, double min) {
        this.kind = kind;
        this.k = k;
        this.c = c;
        this.min = min;
    }

    /** ε = 1: always feed the gold token (teacher forcing). */
    public static SamplingSchedule teacherForcing() {
        return constant(1);
    }

    /** ε = {@code epsilon} at every update; in [0, 1]. */
    public static SamplingSchedule constant(double epsilon) {
        require(epsilon >= 0 && epsilon <= 1, "constant: epsilon", "in [0, 1]", epsilon);
        return new SamplingSchedule(Kind.CONSTANT, epsilon, 0, 0);
    }

    /**
     * ε_i = max(ε_min, k − c·i).
     *
     * @param k   the start, in [0, 1]
     * @param c   the decrease per update, ≥ 0
     * @param min ε_min, the floor, in [0, 1]
     */
    public static SamplingSchedule linear(double k, double c, double min) {
        require(k >= 0 && k <= 1, "linear: k", "in [0, 1]", k);
        require(c >= 0 && Double.isFinite(c), "linear: c", "finite and >= 0", c);
        require(min >= 0 && min <= 1, "linear: min", "in [0, 1]", min);
        return new SamplingSchedule(Kind.LINEAR, k, c, min);
    }

    /** ε_i = k^i, with k in (0, 1] (k = 1 is teacher forcing). */
    public static SamplingSchedule exponential(double k) {
        require(k > 0 && k <= 1, "exponential: k", "in (0, 1]", k);
        return new SamplingSchedule(Kind.EXPONENTIAL, k, 0, 0);
    }

    /** ε_i = k / (k + exp(i / k)), with k ≥ 1 (larger k decays later). */
    public static SamplingSchedule inverseSigmoid(double k) {
        require(k >= 1 && Double.isFinite(k), "inverseSigmoid: k", "finite and >= 1", k);
        return new SamplingSchedule(Kind.INVERSE_SIGMOID, k, 0, 0);
    }

    /**
     * Reads {@code teacher-forcing}, {@code constant:E}, {@code linear:K,C,MIN}, {@code exponential:K} or
     * {@code inverse-sigmoid:K} (case-insensitive; the form {@link #toString()} writes).
     *
     * @throws IllegalArgumentException naming the expected forms
     */
    public static SamplingSchedule parse(String text) {
        String s = text.trim().toLowerCase(Locale.ROOT);
        String[] nameArgs = s.split(":", 2);
        double[] a;
        try {
            a = nameArgs.length < 2 || nameArgs[1].isBlank() ? new double[0]
                    : java.util.Arrays.stream(nameArgs[1].split(",")).mapToDouble(x -> Double.parseDouble(x.trim())).toArray();
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(usage(text), e);
        }
        switch (nameArgs[0].replace('_', '-')) {
            case "teacher-forcing":
                if (a.length == 0) {
                    return teacherForcing();
                }
                break;
            case "constant":
                if (a.length == 1) {
                    return constant(a[0]);
                }
                break;
            case "linear":
                if (a.length == 3) {
                    return linear(a[0], a[1], a[2]);
                }
                break;
            case "exponential":
                if (a.length == 1) {
                    return exponential(a[0]);
                }
                break;
            case "inverse-sigmoid":
                if (a.length == 1) {
                    return inverseSigmoid(a[0]);
                }
                break;
            default:
                break;
        }
        throw new IllegalArgumentException(usage(text));
    }

    private static String usage(String text) {
        return "SamplingSchedule.parse: expected teacher-forcing, constant:E, linear:K,C,MIN, exponential:K or "
                + "inverse-sigmoid:K, got '" + text + "'";
    }

    /** @return ε_i, the probability of feeding the gold previous token at update {@code update} (≥ 0) */
    public double epsilon(long update) {
        if (update < 0) {
            throw new IllegalArgumentException("SamplingSchedule.epsilon: update must be >= 0, got " + update);
        }
        return switch (kind) {
            case CONSTANT -> k;
            case LINEAR -> Math.max(min, k - c * update);
            case EXPONENTIAL -> Math.pow(k, update);
            case INVERSE_SIGMOID -> k / (k + Math.exp(update / k));
        };
    }

    /** @return whether ε is 1 at every update (no sampling, no extra forward pass) */
    public boolean isTeacherForcing() {
        return (kind == Kind.CONSTANT || kind == Kind.EXPONENTIAL) && k == 1
                || kind == Kind.LINEAR && k == 1 && (c == 0 || min == 1);
    }

    public Kind kind() {
        return kind;
    }

    @Override
    public String toString() {
        return switch (kind) {
            case CONSTANT -> k == 1 ? "teacher-forcing" : "constant:" + k;
            case LINEAR -> "linear:" + k + "," + c + "," + min;
            case EXPONENTIAL -> "exponential:" + k;
            case INVERSE_SIGMOID -> "inverse-sigmoid:" + k;
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SamplingSchedule s && s.kind == kind && s.k == k && s.c == c && s.min == min;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(kind, k, c, min);
    }

    private static void require(boolean ok, String what, String expected, double actual) {
        if (!ok) {
            throw new IllegalArgumentException("SamplingSchedule." + what + " must be " + expected + ", got " + actual);
        }
    }
}
