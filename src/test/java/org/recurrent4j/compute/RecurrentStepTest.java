package org.recurrent4j.compute;

import static org.recurrent4j.compute.Reference.cols;
import static org.recurrent4j.compute.Reference.concat;
import static org.recurrent4j.compute.Reference.sigmoid;
import static org.recurrent4j.compute.Reference.table;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The element-wise parts of the recurrent steps against the formulas of their Javadoc, evaluated in double: the GRU's
 * phases (reset-after forward, the papers' two forward halves, the three backward pieces), the LSTM step forward and
 * backward, and the masked step for both {@link MaskedSteps} modes with masks of 0, 1 and fractions.
 */
class RecurrentStepTest extends EngineTestSupport {
    /** FLOAT32: a few chained fast tanh/σ evaluations, each off by ≤ 4e-7, on values ≤ 2 */
    private static final double FLOAT32 = 8 * FAST_FUNCTION_ERROR;
    private static final int MB = 4;
    private static final int N = 5;

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("precisionsAndLayouts")
    void gruResetAfterForwardFollowsItsFormula(Precision p, Layout layout) {
        double[][] x = random(MB, 3 * N, 2);
        double[][] rec = random(MB, 3 * N, 2);
        double[][] h = random(MB, N, 1);
        double[][] r = table(MB, N, (i, j) -> sigmoid(x[i][j] + rec[i][j]));
        double[][] z = table(MB, N, (i, j) -> sigmoid(x[i][N + j] + rec[i][N + j]));
        double[][] c = table(MB, N, (i, j) -> Math.tanh(x[i][2 * N + j] + r[i][j] * rec[i][2 * N + j]));
        Matrix cache = nans(p, layout, MB, 4 * N);
        Matrix hNew = nans(p, layout, MB, N);
        ENGINE.gruForwardResetAfter(matrix(p, layout, x), matrix(p, layout, rec), matrix(p, layout, h), cache, hNew);
        double tol = tolerance(p, FLOAT32);
        assertClose(concat(r, z, c, cols(rec, 2 * N, N)), cache, tol, "cache [r, z, c, rec_c]");
        assertClose(table(MB, N, (i, j) -> h[i][j] + z[i][j] * (c[i][j] - h[i][j])), hNew, tol, "h'");
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("precisionsAndLayouts")
    void gruResetGatesThenCandidateFollowTheirFormulas(Precision p, Layout layout) {
        double[][] x = random(MB, 3 * N, 2);
        double[][] recRz = random(MB, 2 * N, 2);
        double[][] recC = random(MB, N, 2);
        double[][] h = random(MB, N, 1);
        double[][] r = table(MB, N, (i, j) -> sigmoid(x[i][j] + recRz[i][j]));
        double[][] z = table(MB, N, (i, j) -> sigmoid(x[i][N + j] + recRz[i][N + j]));
        double[][] c = table(MB, N, (i, j) -> Math.tanh(x[i][2 * N + j] + recC[i][j]));
        Matrix xm = matrix(p, layout, x);
        Matrix hm = matrix(p, layout, h);
        Matrix cache = nans(p, layout, MB, 3 * N);
        Matrix resetState = nans(p, layout, MB, N);
        Matrix hNew = nans(p, layout, MB, N);
        ENGINE.gruResetGates(xm, matrix(p, layout, recRz), hm, cache, resetState);
        double tol = tolerance(p, FLOAT32);
        assertClose(concat(r, z), cache.cols(0, 2 * N), tol, "cache [r, z]");
        assertClose(table(MB, N, (i, j) -> r[i][j] * h[i][j]), resetState, tol, "r ∘ h");
        ENGINE.gruCandidate(xm, matrix(p, layout, recC), hm, cache, hNew);
        assertClose(concat(r, z, c), cache, tol, "cache [r, z, c]");
        assertClose(table(MB, N, (i, j) -> h[i][j] + z[i][j] * (c[i][j] - h[i][j])), hNew, tol, "h'");
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("precisionsAndLayouts")
    void gruBackwardPiecesFollowTheirFormulas(Precision p, Layout layout) {
        double[][] dh = random(MB, N, 2);
        double[][] h = random(MB, N, 1);
        double[][] r = uniform(MB, N, 0, 1);
        double[][] z = uniform(MB, N, 0, 1);
        double[][] c = uniform(MB, N, -1, 1);
        double[][] recC = random(MB, N, 2);
        double[][] dHPrev = random(MB, N, 1);
        double[][] cache = concat(r, z, c, recC);
        double[][] daZ = table(MB, N, (i, j) -> dh[i][j] * (c[i][j] - h[i][j]) * z[i][j] * (1 - z[i][j]));
        double[][] daC = table(MB, N, (i, j) -> dh[i][j] * z[i][j] * (1 - c[i][j] * c[i][j]));
        double tol = tolerance(p, FLOAT32);

        // update and candidate (either form)
        Matrix dGates = nans(p, layout, MB, 3 * N);
        Matrix dPrev = matrix(p, layout, dHPrev);
        ENGINE.gruUpdateBackward(matrix(p, layout, dh), matrix(p, layout, h), matrix(p, layout, cache), dGates, dPrev);
        assertClose(concat(daZ, daC), dGates.cols(N, 2 * N), tol, "[da_z, da_c]");
        double[][] afterUpdate = table(MB, N, (i, j) -> dHPrev[i][j] + dh[i][j] * (1 - z[i][j]));
        assertClose(afterUpdate, dPrev, tol, "dh_{t−1} += dh ∘ (1 − z)");

        // reset gate, papers' form
        double[][] dRh = random(MB, N, 2);
        ENGINE.gruResetBackward(matrix(p, layout, dRh), matrix(p, layout, h), matrix(p, layout, cache), dGates,
                dPrev);
        double[][] daR = table(MB, N, (i, j) -> dRh[i][j] * h[i][j] * r[i][j] * (1 - r[i][j]));
        assertClose(concat(daR, daZ, daC), dGates, tol, "[da_r, da_z, da_c]");
        assertClose(table(MB, N, (i, j) -> afterUpdate[i][j] + dRh[i][j] * r[i][j]), dPrev, tol,
                "dh_{t−1} += d(r∘h) ∘ r");

        // reset gate, reset-after form
        Matrix dGatesAfter = matrix(p, layout, concat(filled(MB, N, Double.NaN), daZ, daC));
        Matrix dRec = nans(p, layout, MB, 3 * N);
        ENGINE.gruResetAfterBackward(matrix(p, layout, cache), dGatesAfter, dRec);
        double[][] daRAfter = table(MB, N, (i, j) -> daC[i][j] * recC[i][j] * r[i][j] * (1 - r[i][j]));
        assertClose(concat(daRAfter, daZ, daC), dGatesAfter, tol, "[da_r, da_z, da_c], reset-after");
        assertClose(concat(daRAfter, daZ, table(MB, N, (i, j) -> daC[i][j] * r[i][j])), dRec, tol,
                "dRec = [da_r, da_z, da_c ∘ r]");
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("precisionsAndLayouts")
    void lstmForwardFollowsItsFormula(Precision p, Layout layout) {
        double[][] pre = random(MB, 4 * N, 3);
        double[][] cPrev = random(MB, N, 2);
        double[][] a = table(MB, N, (i, j) -> Math.tanh(pre[i][j]));
        double[][] f = table(MB, N, (i, j) -> sigmoid(pre[i][N + j]));
        double[][] o = table(MB, N, (i, j) -> sigmoid(pre[i][2 * N + j]));
        double[][] in = table(MB, N, (i, j) -> sigmoid(pre[i][3 * N + j]));
        double[][] c = table(MB, N, (i, j) -> f[i][j] * cPrev[i][j] + in[i][j] * a[i][j]);
        double[][] tc = table(MB, N, (i, j) -> Math.tanh(c[i][j]));
        Matrix cache = nans(p, layout, MB, 5 * N);
        Matrix hNew = nans(p, layout, MB, N);
        Matrix cNew = nans(p, layout, MB, N);
        ENGINE.lstmForward(matrix(p, layout, pre), matrix(p, layout, cPrev), cache, hNew, cNew);
        double tol = tolerance(p, FLOAT32);
        assertClose(concat(a, f, o, in, tc), cache, tol, "cache [a, f, o, i, tanh(c')]");
        assertClose(c, cNew, tol, "c'");
        assertClose(table(MB, N, (i, j) -> o[i][j] * tc[i][j]), hNew, tol, "h'");
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("precisionsAndLayouts")
    void lstmBackwardFollowsItsFormula(Precision p, Layout layout) {
        double[][] dH = random(MB, N, 2);
        double[][] dC = random(MB, N, 2);
        double[][] cPrev = random(MB, N, 2);
        double[][] a = uniform(MB, N, -1, 1);
        double[][] f = uniform(MB, N, 0, 1);
        double[][] o = uniform(MB, N, 0, 1);
        double[][] in = uniform(MB, N, 0, 1);
        double[][] tc = uniform(MB, N, -1, 1);
        double[][] dCPrev = random(MB, N, 1);
        double[][] dc = table(MB, N, (i, j) -> dC[i][j] + dH[i][j] * o[i][j] * (1 - tc[i][j] * tc[i][j]));
        double[][] dGatesExpected = concat(
                table(MB, N, (i, j) -> dc[i][j] * in[i][j] * (1 - a[i][j] * a[i][j])),
                table(MB, N, (i, j) -> dc[i][j] * cPrev[i][j] * f[i][j] * (1 - f[i][j])),
                table(MB, N, (i, j) -> dH[i][j] * tc[i][j] * o[i][j] * (1 - o[i][j])),
                table(MB, N, (i, j) -> dc[i][j] * a[i][j] * in[i][j] * (1 - in[i][j])));
        Matrix dGates = nans(p, layout, MB, 4 * N);
        Matrix dcPrev = matrix(p, layout, dCPrev);
        ENGINE.lstmBackward(matrix(p, layout, dH), matrix(p, layout, dC), matrix(p, layout, cPrev),
                matrix(p, layout, concat(a, f, o, in, tc)), dGates, dcPrev);
        double tol = tolerance(p, FLOAT32);
        assertClose(dGatesExpected, dGates, tol, "[da_a, da_f, da_o, da_i]");
        assertClose(table(MB, N, (i, j) -> dCPrev[i][j] + dc[i][j] * f[i][j]), dcPrev, tol, "dc_{t−1} += dc ∘ f");
    }

    static Stream<Arguments> modes() {
        return precisionsAndLayouts().flatMap(a -> Stream.of(MaskedSteps.values())
                .map(m -> Arguments.of(m, a.get()[0], a.get()[1])));
    }

    /** per example: real, padded (with a NaN candidate), half, real, a quarter, padded */
    private static final double[] MASK = {1, 0, 0.5, 1, 0.25, 0};

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("modes")
    void maskedStepBlendsCandidateAndPreviousState(MaskedSteps mode, Precision p, Layout layout) {
        int mb = MASK.length;
        double[][] candidate = random(mb, 2 * N, 2);
        candidate[1][3] = Double.NaN;
        double[][] previous = random(mb, 2 * N, 2);
        boolean keep = mode == MaskedSteps.KEEP_STATE;
        double[][] state = table(mb, 2 * N, (i, j) -> (MASK[i] == 0 ? 0 : MASK[i] * candidate[i][j])
                + (keep ? (1 - MASK[i]) * previous[i][j] : 0));
        double[][] output = table(mb, N, (i, j) -> MASK[i] == 0 ? 0 : MASK[i] * candidate[i][j]);
        Matrix mask = matrix(p, layout, table(mb, 3, (i, t) -> t == 1 ? MASK[i] : 7)).cols(1, 1);
        double tol = tolerance(p, 1.2e-7);

        // state [h, c] of width 2n, output h of width n (an LSTM's step)
        Matrix s = nans(p, layout, mb, 2 * N);
        Matrix out = nans(p, layout, mb, N);
        ENGINE.maskedStep(matrix(p, layout, candidate), matrix(p, layout, previous), mask, mode, s, out);
        assertClose(state, s, tol, "state");
        assertClose(output, out, tol, "output");
        Matrix withoutOutput = nans(p, layout, mb, 2 * N);
        ENGINE.maskedStep(matrix(p, layout, candidate), matrix(p, layout, previous), mask, mode, withoutOutput, null);
        assertClose(state, withoutOutput, tol, "state, no output");
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("modes")
    void maskedStepBackwardSplitsTheGradient(MaskedSteps mode, Precision p, Layout layout) {
        int mb = MASK.length;
        double[][] dH = random(mb, N, 2);
        double[][] dHNew = random(mb, N, 2);
        Matrix mask = matrix(p, layout, table(mb, 1, (i, t) -> MASK[i]));
        Matrix dNew = matrix(p, layout, dHNew);
        Matrix dPrev = nans(p, layout, mb, N);
        ENGINE.maskedStepBackward(matrix(p, layout, dH), mask, mode, dNew, dPrev);
        double tol = tolerance(p, 1.2e-7);
        assertClose(table(mb, N, (i, j) -> mode == MaskedSteps.KEEP_STATE ? (1 - MASK[i]) * dH[i][j] : 0), dPrev,
                tol, "dh_{t−1}");
        assertClose(table(mb, N, (i, j) -> MASK[i] * dHNew[i][j]), dNew, tol, "dh' ∘ m");
    }
}
