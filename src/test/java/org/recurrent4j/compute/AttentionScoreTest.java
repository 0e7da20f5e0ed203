package org.recurrent4j.compute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.recurrent4j.compute.Reference.table;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.recurrent4j.compute.attention.AdditiveScore;
import org.recurrent4j.compute.attention.Attention;
import org.recurrent4j.compute.attention.DotScore;
import org.recurrent4j.compute.attention.Memory;
import org.recurrent4j.compute.attention.ScaledScore;
import org.recurrent4j.compute.attention.ScoreFunction;

/**
 * The score functions of {@code compute.attention} and {@link Attention} against naive loops in double written from
 * the classes' Javadoc: {@code e_j = vᵀ tanh(W_q q + b + W_k k_j)} (with and without b, v or {@code g v / ‖v‖}),
 * {@code qᵀ k_j}, {@code qᵀ W k_j}, each also times a learned s; {@code α = maskedSoftmax(e)}, {@code c = Σ_j α_j v_j};
 * and the gradients of {@code L = Σ dc ∘ c} at the query, the keys (through {@code backwardMemory}), the values and
 * every parameter. The source mask pads positions inside and at the end of one example and all of another; a
 * variant scales queries and keys ×50, where tanh saturates. The naive backward itself is checked by central
 * differences. Parameters and their gradients lie in every layout; the sequences (query, keys, values, weights,
 * context) row-major, with or without a gap between rows, as the batched products over examples require.
 */
class AttentionScoreTest extends EngineTestSupport {
    /**
     * FLOAT32: per function value an error δ = the tanh bound + the exp bound (1e-7 relative) + rounding; a score sums
     * a = 7 hidden units times |v| ≤ 0.6, about 4δ, and the softmax, the context and the gradients keep that size
     * (they sum a few products of values ≤ 1). Measured: at most 1.4e-7.
     */
    private static final double FLOAT32 = 4 * (FAST_FUNCTION_ERROR + 1e-7 + 1.2e-7);
    private static final double SATURATING_SCALE = 50;
    /**
     * FLOAT32 with queries and keys ×50: the gradients at W_q and W_k multiply the hidden layer's error by them
     * (measured: at most 6e-7); the dot scores, rounded by ≈ 2500 · 6e-8 · 5 ≈ 1e-3, differ by far more than that
     * with these seeds, so their weights agree.
     */
    private static final double FLOAT32_SATURATED = SATURATING_SCALE * FLOAT32;
    private static final int MB = 3;
    private static final int TK = 4;
    private static final int DQ = 5;
    private static final int DK = 6;
    private static final int A = 7;
    private static final int DV = 3;
    /** example 0 unpadded; example 1 padded inside and at the end; example 2 padded throughout */
    private static final double[][] MASK = {{1, 1, 1, 1}, {1, 0, 1, 0}, {0, 0, 0, 0}};
    private static final String QUERY = "query";
    private static final String KEYS = "keys";
    private static final String VALUES = "values";

    enum Kind { ADDITIVE, DOT, GENERAL }

    /** A score function under test: its kind and options, and whether a {@link ScaledScore} wraps it. */
    record Variant(Kind kind, boolean bias, boolean weightNorm, boolean scaled) {
        int keySize() {
            return kind == Kind.DOT ? DQ : DK;
        }

        ScoreFunction create(ComputeEngine engine) {
            ScoreFunction f = kind == Kind.ADDITIVE ? new AdditiveScore(engine, A, bias, weightNorm)
                    : new DotScore(engine, DQ, keySize(), kind == Kind.GENERAL);
            return scaled ? new ScaledScore(engine, f) : f;
        }

        /** @return parameter key → shape, as the Javadocs give them */
        Map<String, int[]> shapes() {
            Map<String, int[]> m = new LinkedHashMap<>();
            if (kind == Kind.ADDITIVE) {
                m.put(AdditiveScore.QUERY_WEIGHTS, new int[] {DQ, A});
                m.put(AdditiveScore.KEY_WEIGHTS, new int[] {DK, A});
                if (bias) {
                    m.put(AdditiveScore.BIAS, new int[] {1, A});
                }
                m.put(AdditiveScore.V, new int[] {A, 1});
                if (weightNorm) {
                    m.put(AdditiveScore.GAIN, new int[] {1, 1});
                }
            } else if (kind == Kind.GENERAL) {
                m.put(DotScore.WEIGHTS, new int[] {DQ, DK});
            }
            if (scaled) {
                m.put(ScaledScore.SCALE, new int[] {1, 1});
            }
            return m;
        }

        @Override
        public String toString() {
            return (scaled ? "scaled " : "") + kind.name().toLowerCase()
                    + (kind == Kind.ADDITIVE ? (bias ? " +b" : " no b") + (weightNorm ? " g·v/‖v‖" : " v") : "");
        }
    }

    static Stream<Variant> variants() {
        Stream<Variant> additive = Stream.of(false, true).flatMap(b -> Stream.of(false, true)
                .map(w -> new Variant(Kind.ADDITIVE, b, w, false)));
        Stream<Variant> plain = Stream.concat(additive, Stream.of(new Variant(Kind.DOT, false, false, false),
                new Variant(Kind.GENERAL, false, false, false)));
        return plain.flatMap(v -> Stream.of(v, new Variant(v.kind(), v.bias(), v.weightNorm(), true)));
    }

    static Stream<Arguments> precisionsAndVariants() {
        return Stream.of(Precision.values()).flatMap(p -> variants().map(v -> Arguments.of(p, v)));
    }

    static Stream<Arguments> precisionsVariantsAndLayouts() {
        return precisionsAndVariants().flatMap(a -> Stream.of(Layout.values())
                .map(l -> Arguments.of(a.get()[0], a.get()[1], l)));
    }

    // ------------------------------------------------------------------------------------------------
    // Tests

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("precisionsVariantsAndLayouts")
    void scoresAndTheSavedHiddenLayerFollowTheFormulas(Precision p, Variant s, Layout layout) {
        Setup u = new Setup(p, s, layout, 1);
        Matrix scores = nans(p, Layout.ROWS, MB, TK);                   // the additive score needs adjacent rows
        Matrix saved = u.saved(layout);
        u.f.score(u.params(), u.in.get(QUERY), u.memory.projectedKeys(), scores, saved);
        double tol = tolerance(p, FLOAT32);
        assertClose(u.naive.scores(), scores, tol, "scores (unmasked)");
        if (saved != null) {
            assertClose(table(MB * TK, A, (r, k) -> Math.tanh(u.naive.pre(r / TK, r % TK, k))), saved, tol,
                    "saved H = tanh(W_q q + b + W_k k_j)");
        }
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("precisionsVariantsAndLayouts")
    void attentionAndItsGradientsMatchTheNaiveLoops(Precision p, Variant s, Layout layout) {
        Setup u = new Setup(p, s, layout, 1);
        u.attendAndBackward(u.saved(layout), tolerance(p, FLOAT32));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("precisionsAndVariants")
    void backwardWithoutTheSavedHiddenLayerRecomputesIt(Precision p, Variant s) {
        new Setup(p, s, Layout.ROWS, 1).attendAndBackward(null, tolerance(p, FLOAT32));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("precisionsAndVariants")
    void saturatingQueriesAndKeysStayFiniteAndMatchTheNaiveLoops(Precision p, Variant s) {
        Setup u = new Setup(p, s, Layout.ROWS_PADDED, SATURATING_SCALE);
        if (s.kind() == Kind.ADDITIVE) {
            int saturated = 0;
            for (int r = 0; r < MB * TK; r++) {
                for (int k = 0; k < A; k++) {
                    saturated += Math.abs(u.naive.pre(r / TK, r % TK, k)) > 10 ? 1 : 0;
                }
            }
            assertTrue(saturated > MB * TK * A / 2, "most hidden units saturate: " + saturated);
        }
        u.attendAndBackward(u.saved(Layout.ROWS_PADDED), tolerance(p, FLOAT32_SATURATED));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("precisionsAndVariants")
    void paddedPositionsGetExactlyZeroWeightAndAFullyPaddedExampleAZeroContext(Precision p, Variant s) {
        Setup u = new Setup(p, s, Layout.ROWS, 1);
        Matrix alpha = nans(p, Layout.ROWS, MB, TK);
        Matrix context = nans(p, Layout.ROWS, MB, DV);
        u.attention.attend(u.params(), u.memory, u.in.get(QUERY), u.saved(Layout.ROWS), alpha, context);
        for (int b = 0; b < MB; b++) {
            for (int j = 0; j < TK; j++) {
                if (MASK[b][j] == 0) {
                    assertEquals(0.0, get(alpha, b, j), "α at padded position " + b + ", " + j);
                }
            }
        }
        for (int d = 0; d < DV; d++) {
            assertEquals(0.0, get(context, 2, d), "context of the fully padded example");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void naiveBackwardAgreesWithCentralDifferences(Variant s) {
        double step = 1e-5;
        Map<String, double[][]> x = problem(s, 1);
        double[][] dContext = random(MB, DV, 1);
        Map<String, double[][]> g = new Naive(s, x).gradients(dContext);
        for (Map.Entry<String, double[][]> e : x.entrySet()) {
            double[][] v = e.getValue();
            for (int i = 0; i < v.length; i++) {
                for (int j = 0; j < v[i].length; j++) {
                    double saved = v[i][j];
                    v[i][j] = saved + step;
                    double up = new Naive(s, x).loss(dContext);
                    v[i][j] = saved - step;
                    double down = new Naive(s, x).loss(dContext);
                    v[i][j] = saved;
                    assertClose((up - down) / (2 * step), g.get(e.getKey())[i][j], 1e-8,
                            "d" + e.getKey() + " (" + i + ", " + j + ")");
                }
            }
        }
    }

    // ------------------------------------------------------------------------------------------------
    // The problem, naively and on the engine

    /** @return random parameters (gain and scale in (0.5, 1.5)), query and keys ×inputScale, values */
    private Map<String, double[][]> problem(Variant s, double inputScale) {
        Map<String, double[][]> x = new LinkedHashMap<>();
        s.shapes().forEach((key, shape) -> x.put(key, shape[0] * shape[1] == 1 ? uniform(1, 1, 0.5, 1.5)
                : random(shape[0], shape[1], 0.6)));
        double[][] q = random(MB, DQ, 1);
        double[][] k = random(MB * TK, s.keySize(), 1);
        x.put(QUERY, table(MB, DQ, (i, j) -> (float) (inputScale * q[i][j])));
        x.put(KEYS, table(MB * TK, s.keySize(), (i, j) -> (float) (inputScale * k[i][j])));
        x.put(VALUES, random(MB * TK, DV, 1));
        return x;
    }

    /**
     * Attention by the formulas, per example and source position in scalar loops, in double.
     *
     * @param x every variable by name: the parameters, {@link #QUERY} [mb, dq], {@link #KEYS} [mb·Tk, dk] and
     *          {@link #VALUES} [mb·Tk, dv]
     */
    private record Naive(Variant s, Map<String, double[][]> x) {
        double[] query(int b) {
            return x.get(QUERY)[b];
        }

        double[] key(int b, int j) {
            return x.get(KEYS)[b * TK + j];
        }

        double scale() {
            return s.scaled() ? x.get(ScaledScore.SCALE)[0][0] : 1;
        }

        /** @return unit k of {@code W_q q_b + b + W_k k_j} */
        double pre(int b, int j, int k) {
            double sum = s.bias() ? x.get(AdditiveScore.BIAS)[0][k] : 0;
            for (int i = 0; i < DQ; i++) {
                sum += query(b)[i] * x.get(AdditiveScore.QUERY_WEIGHTS)[i][k];
            }
            for (int i = 0; i < DK; i++) {
                sum += key(b, j)[i] * x.get(AdditiveScore.KEY_WEIGHTS)[i][k];
            }
            return sum;
        }

        /** @return ‖v‖ */
        double norm() {
            double sum = 0;
            for (double[] row : x.get(AdditiveScore.V)) {
                sum += row[0] * row[0];
            }
            return Math.sqrt(sum);
        }

        /** @return unit k of v, or of g · v / ‖v‖ */
        double v(int k) {
            double v = x.get(AdditiveScore.V)[k][0];
            return s.weightNorm() ? x.get(AdditiveScore.GAIN)[0][0] * v / norm() : v;
        }

        /** @return the score before the scale */
        double raw(int b, int j) {
            double e = 0;
            switch (s.kind()) {
                case ADDITIVE -> {
                    for (int k = 0; k < A; k++) {
                        e += v(k) * Math.tanh(pre(b, j, k));
                    }
                }
                case DOT -> {
                    for (int i = 0; i < DQ; i++) {
                        e += query(b)[i] * key(b, j)[i];
                    }
                }
                case GENERAL -> {
                    for (int i = 0; i < DQ; i++) {
                        for (int l = 0; l < DK; l++) {
                            e += query(b)[i] * x.get(DotScore.WEIGHTS)[i][l] * key(b, j)[l];
                        }
                    }
                }
            }
            return e;
        }

        double[][] scores() {
            return table(MB, TK, (b, j) -> scale() * raw(b, j));
        }

        /** @return α: the softmax over each example's real positions, 0 elsewhere (and all 0 without any) */
        double[][] alpha() {
            double[][] e = scores();
            return table(MB, TK, (b, j) -> {
                double max = Double.NEGATIVE_INFINITY;
                double sum = 0;
                for (int l = 0; l < TK; l++) {
                    max = MASK[b][l] != 0 ? Math.max(max, e[b][l]) : max;
                }
                for (int l = 0; l < TK; l++) {
                    sum += MASK[b][l] != 0 ? Math.exp(e[b][l] - max) : 0;
                }
                return MASK[b][j] != 0 ? Math.exp(e[b][j] - max) / sum : 0;
            });
        }

        double[][] context() {
            double[][] alpha = alpha();
            return table(MB, DV, (b, d) -> {
                double c = 0;
                for (int j = 0; j < TK; j++) {
                    c += alpha[b][j] * x.get(VALUES)[b * TK + j][d];
                }
                return c;
            });
        }

        double loss(double[][] dContext) {
            double[][] c = context();
            double l = 0;
            for (int b = 0; b < MB; b++) {
                for (int d = 0; d < DV; d++) {
                    l += dContext[b][d] * c[b][d];
                }
            }
            return l;
        }

        /** @return dL/d(every variable) for {@code L = Σ dc ∘ c} */
        Map<String, double[][]> gradients(double[][] dContext) {
            Map<String, double[][]> g = new HashMap<>();
            x.forEach((key, v) -> g.put(key, new double[v.length][v[0].length]));
            double[][] alpha = alpha();
            double[] dvEff = new double[A];
            for (int b = 0; b < MB; b++) {
                double[] dAlpha = new double[TK];
                double mean = 0;
                for (int j = 0; j < TK; j++) {
                    for (int d = 0; d < DV; d++) {
                        dAlpha[j] += x.get(VALUES)[b * TK + j][d] * dContext[b][d];
                        g.get(VALUES)[b * TK + j][d] += alpha[b][j] * dContext[b][d];
                    }
                    mean += alpha[b][j] * dAlpha[j];
                }
                for (int j = 0; j < TK; j++) {
                    double de = alpha[b][j] * (dAlpha[j] - mean);
                    if (s.scaled()) {
                        g.get(ScaledScore.SCALE)[0][0] += de * raw(b, j);
                    }
                    rawBackward(b, j, scale() * de, g, dvEff);
                }
            }
            if (s.kind() == Kind.ADDITIVE) {
                // v_eff = g v / n, n = ‖v‖: ∂v_eff_k/∂v_l = g (δ_kl / n − v_k v_l / n³), ∂v_eff_k/∂g = v_k / n
                double[][] v = x.get(AdditiveScore.V);
                double n = norm();
                for (int k = 0; k < A; k++) {
                    for (int l = 0; l < A; l++) {
                        double gain = s.weightNorm() ? x.get(AdditiveScore.GAIN)[0][0] : 0;
                        double dvk = !s.weightNorm() ? (k == l ? 1 : 0)
                                : gain * ((k == l ? 1 / n : 0) - v[k][0] * v[l][0] / (n * n * n));
                        g.get(AdditiveScore.V)[l][0] += dvEff[k] * dvk;
                    }
                    if (s.weightNorm()) {
                        g.get(AdditiveScore.GAIN)[0][0] += dvEff[k] * v[k][0] / n;
                    }
                }
            }
            return g;
        }

        /** Adds the gradients of {@code de · raw(b, j)}; for the additive score, dL/dv_eff to dvEff. */
        private void rawBackward(int b, int j, double de, Map<String, double[][]> g, double[] dvEff) {
            double[] q = query(b);
            double[] key = key(b, j);
            double[] dq = g.get(QUERY)[b];
            double[] dKey = g.get(KEYS)[b * TK + j];
            switch (s.kind()) {
                case ADDITIVE -> {
                    for (int k = 0; k < A; k++) {
                        double h = Math.tanh(pre(b, j, k));
                        double da = de * v(k) * (1 - h * h);                            // at the pre-activation
                        dvEff[k] += de * h;
                        if (s.bias()) {
                            g.get(AdditiveScore.BIAS)[0][k] += da;
                        }
                        for (int i = 0; i < DQ; i++) {
                            g.get(AdditiveScore.QUERY_WEIGHTS)[i][k] += da * q[i];
                            dq[i] += da * x.get(AdditiveScore.QUERY_WEIGHTS)[i][k];
                        }
                        for (int i = 0; i < DK; i++) {
                            g.get(AdditiveScore.KEY_WEIGHTS)[i][k] += da * key[i];
                            dKey[i] += da * x.get(AdditiveScore.KEY_WEIGHTS)[i][k];
                        }
                    }
                }
                case DOT -> {
                    for (int i = 0; i < DQ; i++) {
                        dq[i] += de * key[i];
                        dKey[i] += de * q[i];
                    }
                }
                case GENERAL -> {
                    double[][] w = x.get(DotScore.WEIGHTS);
                    for (int i = 0; i < DQ; i++) {
                        for (int l = 0; l < DK; l++) {
                            dq[i] += de * w[i][l] * key[l];
                            dKey[l] += de * q[i] * w[i][l];
                            g.get(DotScore.WEIGHTS)[i][l] += de * q[i] * key[l];
                        }
                    }
                }
            }
        }
    }

    /**
     * One problem on the engine: its naive tables and their matrices, parameters in the given layout, the sequences
     * row-major (with a gap between rows when the layout has one), and the memory prepared.
     */
    private final class Setup {
        final Precision p;
        final Variant s;
        final Layout layout;
        final Layout rows;
        final Map<String, double[][]> x;
        final Naive naive;
        final ScoreFunction f;
        final Attention attention;
        final Map<String, Matrix> in = new HashMap<>();
        final Memory memory;

        Setup(Precision p, Variant s, Layout layout, double inputScale) {
            this.p = p;
            this.s = s;
            this.layout = layout;
            this.rows = layout == Layout.ROWS_PADDED || layout == Layout.COLUMNS_PADDED ? Layout.ROWS_PADDED
                    : Layout.ROWS;
            this.x = problem(s, inputScale);
            this.naive = new Naive(s, x);
            this.f = s.create(ENGINE);
            this.attention = new Attention(ENGINE, f);
            x.forEach((key, v) -> in.put(key, matrix(p, layoutOf(key), v)));
            this.memory = attention.memory(params(), in.get(KEYS), in.get(VALUES), matrix(p, rows, MASK),
                    nans(p, rows, MB * TK, (int) f.projectedKeySize()), MB);
        }

        Layout layoutOf(String variable) {
            return variable.equals(QUERY) || variable.equals(KEYS) || variable.equals(VALUES) ? rows : layout;
        }

        Map<String, Matrix> params() {
            Map<String, Matrix> m = new HashMap<>();
            s.shapes().keySet().forEach(key -> m.put(key, in.get(key)));
            return m;
        }

        /** @return memory for what the score saves, or null when it saves nothing */
        Matrix saved(Layout l) {
            return f.savedWidth() == 0 ? null : nans(p, l, MB * TK, (int) f.savedWidth());
        }

        /**
         * Attends, compares α and the context with the naive loops, then backward and backwardMemory into gradients
         * that start random (they are added to), compared with their start plus the naive gradients.
         */
        void attendAndBackward(Matrix saved, double tol) {
            Matrix alpha = nans(p, rows, MB, TK);
            Matrix context = nans(p, rows, MB, DV);
            attention.attend(params(), memory, in.get(QUERY), saved, alpha, context);
            assertClose(naive.alpha(), alpha, tol, "α");
            assertClose(naive.context(), context, tol, "context");

            double[][] dContext = random(MB, DV, 1);
            Map<String, double[][]> start = new HashMap<>();
            Map<String, Matrix> grads = new HashMap<>();
            x.forEach((key, v) -> {
                start.put(key, random(v.length, v[0].length, 1));
                grads.put(key, matrix(p, layoutOf(key), start.get(key)));
            });
            Matrix dProjectedKeys = matrix(p, rows, filled(MB * TK, (int) f.projectedKeySize(), 0));
            attention.backward(params(), memory, in.get(QUERY), alpha, saved, matrix(p, rows, dContext), grads,
                    grads.get(QUERY), dProjectedKeys, grads.get(VALUES));
            attention.backwardMemory(params(), memory, dProjectedKeys, grads, grads.get(KEYS));
            naive.gradients(dContext).forEach((key, g) -> assertClose(table(g.length, g[0].length,
                    (i, j) -> start.get(key)[i][j] + g[i][j]), grads.get(key), tol, "d" + key + " (added to)"));
        }
    }
}
