package org.recurrent4j.compute;

import static org.recurrent4j.compute.Reference.concat;
import static org.recurrent4j.compute.Reference.table;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The attention kernels against their formulas in double: the additive score's hidden layer forward and backward,
 * the masked softmax (padded positions, a row without real positions, scores far from 0) and its backward, and maxout
 * (ties send the gradient to the first half).
 */
class AttentionKernelsTest extends EngineTestSupport {
    /** FLOAT32: one fast tanh (times |dScores · v| ≤ 4 backward) plus rounding */
    private static final double FLOAT32 = 4 * (FAST_FUNCTION_ERROR + 1.2e-7);
    private static final int MB = 3;
    private static final int TK = 4;
    private static final int A = 5;

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("precisionsAndLayouts")
    void additiveHiddenLayerForwardAndBackwardFollowTheirFormulas(Precision p, Layout layout) {
        double[][] keys = random(MB * TK, A, 2);
        double[][] query = random(MB, A, 1);
        Matrix hidden = nans(p, layout, MB * TK, A);
        ENGINE.additiveHidden(matrix(p, layout, keys), matrix(p, layout, query), hidden);
        double tol = tolerance(p, FLOAT32);
        assertClose(table(MB * TK, A, (r, j) -> Math.tanh(keys[r][j] + query[r / TK][j])), hidden, tol, "hidden");

        double[][] h = uniform(MB * TK, A, -1, 1);
        double[][] dScores = random(MB, TK, 2);
        dScores[0][2] = 0;                                                          // e.g. a padded position
        double[][] v = random(3, A, 1);
        double[][] dKeys = random(MB * TK, A, 1);
        double[][] g = table(MB * TK, A, (r, j) -> dScores[r / TK][r % TK] * v[1][j] * (1 - h[r][j] * h[r][j]));
        Matrix dk = matrix(p, layout, dKeys);
        Matrix dq = nans(p, layout, MB, A);
        ENGINE.additiveHiddenBackward(matrix(p, layout, h), matrix(p, layout, dScores),
                matrix(p, layout, v).rows(1, 1), dk, dq);
        assertClose(table(MB * TK, A, (r, j) -> dKeys[r][j] + g[r][j]), dk, tol, "dKeys += G");
        assertClose(table(MB, A, (b, j) -> {
            double s = 0;
            for (int k = 0; k < TK; k++) {
                s += g[b * TK + k][j];
            }
            return s;
        }), dq, tol, "dQuery = Σ_j G");
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("precisionsAndLayouts")
    void maskedSoftmaxGivesPaddedPositionsAndEmptyRowsExactZeros(Precision p, Layout layout) {
        double[][] scores = random(5, TK, 3);
        scores[1] = new double[] {1000, 1001, 999.5, -1000};                       // far from 0: no overflow
        scores[3] = new double[] {-2, 1e30, 0.5, 1e4};                              // huge scores at padded positions
        scores[4] = new double[] {-1e4, -1e4 + 1, -1e4 - 2, 5};
        double[][] mask = {{1, 1, 1, 1}, {1, 1, 1, 1}, {0, 0, 0, 0}, {1, 0, 1, 0}, {1, 1, 1, 0}};
        double tol = tolerance(p, 3e-7);
        for (boolean masked : new boolean[] {true, false}) {
            double[][] expected = softmax(scores, masked ? mask : filled(5, TK, 1));
            Matrix m = masked ? matrix(p, layout, mask) : null;
            Matrix alpha = nans(p, layout, 5, TK);
            ENGINE.maskedSoftmax(matrix(p, layout, scores), m, alpha);
            assertClose(expected, alpha, tol, "softmax, mask " + masked);
            Matrix inPlace = matrix(p, layout, scores);
            ENGINE.maskedSoftmax(inPlace, m, inPlace);
            assertClose(expected, inPlace, tol, "softmax in place, mask " + masked);
        }
    }

    /** @return the masked softmax per row, all zeros for a row without real positions */
    private static double[][] softmax(double[][] s, double[][] mask) {
        return table(s.length, s[0].length, (b, j) -> {
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < s[b].length; k++) {
                max = mask[b][k] != 0 ? Math.max(max, s[b][k]) : max;
            }
            double sum = 0;
            for (int k = 0; k < s[b].length; k++) {
                sum += mask[b][k] != 0 ? Math.exp(s[b][k] - max) : 0;
            }
            return mask[b][j] != 0 ? Math.exp(s[b][j] - max) / sum : 0;
        });
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("precisionsAndLayouts")
    void maskedSoftmaxBackwardSubtractsTheWeightedMean(Precision p, Layout layout) {
        double[][] alpha = uniform(MB, TK, 0, 1);
        double[][] dAlpha = random(MB, TK, 2);
        double[][] expected = table(MB, TK, (b, j) -> {
            double dot = 0;
            for (int k = 0; k < TK; k++) {
                dot += alpha[b][k] * dAlpha[b][k];
            }
            return alpha[b][j] * (dAlpha[b][j] - dot);
        });
        double tol = tolerance(p, 1e-6);
        Matrix dScores = nans(p, layout, MB, TK);
        ENGINE.maskedSoftmaxBackward(matrix(p, layout, alpha), matrix(p, layout, dAlpha), dScores);
        assertClose(expected, dScores, tol, "dScores");
        Matrix inPlace = matrix(p, layout, dAlpha);
        ENGINE.maskedSoftmaxBackward(matrix(p, layout, alpha), inPlace, inPlace);
        assertClose(expected, inPlace, tol, "dScores in place");
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("precisionsAndLayouts")
    void maxoutTakesTheLargerHalfAndTiesGoToTheFirst(Precision p, Layout layout) {
        int l = 4;
        double[][] pre = random(MB, 2 * l, 2);
        for (int i = 0; i < MB; i++) {
            pre[i][l + i] = pre[i][i];                                              // one tie per row
        }
        double[][] dOut = random(MB, l, 2);
        Matrix out = nans(p, layout, MB, l);
        ENGINE.maxout(matrix(p, layout, pre), out);
        assertClose(table(MB, l, (i, j) -> Math.max(pre[i][j], pre[i][l + j])), out, 0, "maxout");
        Matrix dPre = nans(p, layout, MB, 2 * l);
        ENGINE.maxoutBackward(matrix(p, layout, pre), matrix(p, layout, dOut), dPre);
        assertClose(concat(table(MB, l, (i, j) -> pre[i][j] >= pre[i][l + j] ? dOut[i][j] : 0),
                table(MB, l, (i, j) -> pre[i][j] >= pre[i][l + j] ? 0 : dOut[i][j])), dPre, 0, "maxout backward");
    }
}
