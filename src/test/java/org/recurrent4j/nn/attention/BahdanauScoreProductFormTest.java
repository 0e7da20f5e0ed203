package org.recurrent4j.nn.attention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The additive score evaluates its hidden layer's sigmoid in product form, {@code 1 / (1 + exp(−2Kp) ∘ exp(−2qp))},
 * with {@code exp(−2Kp)} prepared once per memory, and in plain form where a factor could overflow. Both are checked
 * against a naive double loop {@code e_j = vᵀ tanh(W_q q + b + W_k k_j)}, in float and double, and the range guard is
 * checked at both of its inputs (keys, query).
 */
class BahdanauScoreProductFormTest {
    private static final long MB = 3;
    private static final long TK = 5;
    private static final long DQ = 4;
    private static final long DK = 6;
    private static final long A = 7;

    private static Map<String, INDArray> params(DataType type, BahdanauScore score) {
        Map<String, INDArray> p = new LinkedHashMap<>();
        score.paramShapes().forEach((k, s) -> p.put(k, Nd4j.create(type, s)));
        Nd4j.getRandom().setSeed(5);
        score.initParams(p);
        p.get(BahdanauScore.BIAS).assign(Nd4j.randn(type, 1, A).muli(0.3));
        return p;
    }

    /** @return e [mb, Tk] by loops in double */
    private static double[][] naive(Map<String, INDArray> p, INDArray q, INDArray keys) {
        double[][] e = new double[(int) MB][(int) TK];
        for (int b = 0; b < MB; b++) {
            for (int j = 0; j < TK; j++) {
                double sum = 0;
                for (int a = 0; a < A; a++) {
                    double pre = p.get(BahdanauScore.BIAS).getDouble(0, a);
                    for (int x = 0; x < DQ; x++) {
                        pre += p.get(BahdanauScore.QUERY_WEIGHTS).getDouble(x, a) * q.getDouble(b, x);
                    }
                    for (int y = 0; y < DK; y++) {
                        pre += p.get(BahdanauScore.KEY_WEIGHTS).getDouble(y, a) * keys.getDouble(b, j, y);
                    }
                    sum += p.get(BahdanauScore.V).getDouble(a, 0) * Math.tanh(pre);
                }
                e[b][j] = sum;
            }
        }
        return e;
    }

    /** Scores through the prepared memory, compared with the loops; returns whether the keys were prepared. */
    private static boolean check(DataType type, double keyScale, double queryScale, double tolerance) {
        BahdanauScore score = new BahdanauScore(DQ, DK, A, true, false);
        Map<String, INDArray> p = params(type, score);
        INDArray keys = Nd4j.randn(type, MB, TK, DK).muli(keyScale);
        INDArray q = Nd4j.randn(type, MB, DQ).muli(queryScale);
        INDArray projected = score.projectKeys(p, keys);
        INDArray prepared = score.prepareKeys(projected);
        INDArray saved = Nd4j.create(type, score.savedShape(MB, TK));
        INDArray e = score.score(p, q, projected, prepared, saved);
        INDArray plain = score.score(p, q, projected, null, null);
        double[][] ref = naive(p, q, keys);
        String what = type + " keys ×" + keyScale + " query ×" + queryScale;
        for (int b = 0; b < MB; b++) {
            for (int j = 0; j < TK; j++) {
                double expected = ref[b][j];
                double tol = tolerance * Math.max(1.0, Math.abs(expected));
                assertTrue(Double.isFinite(e.getDouble(b, j)), what + ": finite");
                assertEquals(expected, e.getDouble(b, j), tol, what + " b=" + b + " j=" + j);
                assertEquals(expected, plain.getDouble(b, j), tol, what + " (plain sigmoid) b=" + b + " j=" + j);
            }
        }
        // the saved layer is σ, finite and within [0, 1]
        assertTrue(saved.minNumber().doubleValue() >= 0 && saved.maxNumber().doubleValue() <= 1, what + ": σ in [0, 1]");
        return prepared != null;
    }

    @Test
    void productFormMatchesTheLoopsInFloatAndDouble() {
        assertTrue(check(DataType.FLOAT, 1.0, 1.0, 2e-5), "moderate float keys are prepared");
        assertTrue(check(DataType.DOUBLE, 1.0, 1.0, 1e-12), "moderate double keys are prepared");
    }

    @Test
    void keysBeyondTheFloatRangeTakeThePlainSigmoid() {
        // |2 K W_k| far above 43: a factor exp(−2Kp) would overflow float
        assertNull(new BahdanauScore(DQ, DK, A, true, false).prepareKeys(Nd4j.create(new float[] {0f, -50f, 3f},
                new long[] {1, 1, 3})), "a projected key of −50 is outside float's product-form range");
        assertEquals(false, check(DataType.FLOAT, 30.0, 1.0, 2e-5), "huge float keys are not prepared");
        // double's range is wider: the same keys are prepared there, and still exact
        assertTrue(check(DataType.DOUBLE, 30.0, 1.0, 1e-12), "double keys ×30 are prepared");
    }

    @Test
    void queriesBeyondTheRangeTakeThePlainSigmoidWithPreparedKeys() {
        // prepared keys, but |2 (W_q q + b)| above 43: that query falls back, with the same result
        assertTrue(check(DataType.FLOAT, 1.0, 300.0, 2e-5), "keys are prepared; the query falls back");
    }

    @Test
    void halfPrecisionIsNeverPrepared() {
        BahdanauScore score = new BahdanauScore(DQ, DK, A, true, false);
        assertNull(score.prepareKeys(Nd4j.zeros(DataType.HALF, MB, TK, A)));
        assertNotNull(score.prepareKeys(Nd4j.zeros(DataType.FLOAT, MB, TK, A)));
    }
}
