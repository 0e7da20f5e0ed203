package org.recurrent4j.compute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.recurrent4j.compute.Reference.table;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link ComputeEngine#softmaxCrossEntropy} against its formulas in double: {@code p = softmax(z)}, each row's loss
 * {@code −m Σ_c y_c log(min(max(p_c, ε), 1 − ε))}, the gradient {@code m (p − y)} (unclipped) and their total; labels
 * as one-hot rows, soft distributions and class indices, rows weighted by masks of 0, 1 and fractions; logits, labels,
 * mask and outputs in every layout; label smoothing against {@code q = (1 − s) y + s / C}, and s = 0 bit for bit the
 * unsmoothed form. Class indices out of range or not integers are refused, and logits near the range
 * of float (or far apart) give finite losses and gradients.
 */
class SoftmaxCrossEntropyTest extends EngineTestSupport {
    /**
     * FLOAT32: exp's relative error 1e-7, the rounding of {@code z − max} (≤ 8 · 6e-8 for logits ≤ 4) and of the
     * normalisation make p's relative error, and so the loss's absolute error, at most about 6e-7. Measured: 6e-8.
     */
    private static final double FLOAT32 = 1e-6;
    private static final double DEFAULT_CLIP = 1e-10;
    private static final int ROWS = 6;
    private static final int C = 5;
    private static final double[] CLASSES = {0, 4, 2, 2, 1, 3};
    /** Logits near the range of float or far apart, for the targets {@link #CLASSES}. */
    private static final double[][] HUGE_LOGITS = {
        {-3e38, 3e38, 3e38, 0, 1},                                 // the target's p = 0: loss −log ε
        {-1e30, -1e30, -1e30, -1e30, -1e30},                       // all equal and very negative: uniform
        {1e4, 1e4 - 1, -1e4, 0, 1e4 - 0.5},                        // far apart: the target's p = 0
        {-88, -87, -200, -1000, -50},                              // the target's p = e^-150
        {100, 0, 0, 0, 0},                                         // the target's p = e^-100
        {-1e30, -1e30, -1e30, 1e30, -1e30}};                       // the target's p = 1: loss −log(1 − ε)

    static Stream<Arguments> precisionsAndBadIndices() {
        return Stream.of(Precision.values()).flatMap(p -> Stream.of(-1.0, (double) C, 2.5, Double.NaN, 1e10)
                .map(bad -> Arguments.of(p, bad)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("precisionsAndLayouts")
    void oneHotAndSoftLabelsGiveTheFormulasLossAndGradient(Precision p, Layout layout) {
        double[][] y = oneHot(CLASSES);
        for (int r = 3; r < ROWS; r++) {
            double[] w = uniform(1, C, 0.1, 1)[0];
            w[r - 3] = 0;                                                        // a class the row does not name
            double sum = Arrays.stream(w).sum();
            y[r] = Arrays.stream(w).map(v -> (float) (v / sum)).toArray();
        }
        check(p, layout, random(ROWS, C, 4), y, null, null, DEFAULT_CLIP);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("precisionsAndLayouts")
    void classIndicesAndOneHotRowsGiveTheFormulasLossAndGradient(Precision p, Layout layout) {
        checkIndicesAndOneHot(p, layout, random(ROWS, C, 4), null, DEFAULT_CLIP);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("precisionsAndLayouts")
    void rowMasksWeightLossAndGradientAndZeroRowsGetExactZeros(Precision p, Layout layout) {
        double[] mask = {1, 0, 0.5, 1, 0.25, 0};
        for (Outputs out : checkIndicesAndOneHot(p, layout, random(ROWS, C, 4), mask, DEFAULT_CLIP)) {
            for (int r : new int[] {1, 5}) {
                assertEquals(0.0, get(out.losses(), r, 0), "loss of masked row " + r);
                for (int c = 0; c < C; c++) {
                    assertEquals(0.0, get(out.dz(), r, c), "dz of masked row " + r);
                }
            }
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("precisionsAndLayouts")
    void probabilitiesOutsideEpsilonAreClippedInTheLossButNotInTheGradient(Precision p, Layout layout) {
        double clip = 0.01;
        double[][] z = random(ROWS, C, 1);
        z[0] = new double[] {-7, 0, 0, 0, 0};                      // the target's p = 2.3e-4 < ε
        z[1] = new double[] {0, 0, 0, 0, 9};                       // the target's p = 0.9995 > 1 − ε, others 1.2e-4
        double small = 1 / (Math.exp(9) + 4);
        double tol = tolerance(p, FLOAT32);
        for (Outputs out : checkIndicesAndOneHot(p, layout, z, null, clip)) {
            assertClose(-Math.log(clip), get(out.losses(), 0, 0), tol, "row 0's loss −log ε (unclipped 8.4)");
            assertClose(-Math.log(1 - clip), get(out.losses(), 1, 0), tol,
                    "row 1's loss −log(1 − ε) (unclipped 4.9e-4)");
            assertClose(small, get(out.dz(), 1, 0), tol, "dz = p = 1.2e-4, not ε");
            assertClose(-4 * small, get(out.dz(), 1, 4), tol, "dz = p − 1 = −4.9e-4, not −ε");
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("precisionsAndLayouts")
    void hugeAndVeryNegativeLogitsGiveFiniteLossesAndGradients(Precision p, Layout layout) {
        checkIndicesAndOneHot(p, layout, HUGE_LOGITS, new double[] {1, 1, 0.5, 1, 1, 1}, DEFAULT_CLIP);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("precisionsAndLayouts")
    void labelSmoothingGivesTheSmoothedTargetsLossAndGradient(Precision p, Layout layout) {
        double[] mask = {1, 0, 0.5, 1, 0.25, 1};
        double[][] clipped = random(ROWS, C, 1);
        clipped[0] = new double[] {-7, 0, 0, 0, 0};                 // p = 2.3e-4 < ε
        clipped[1] = new double[] {0, 0, 0, 0, 9};                  // p = 0.9995 > 1 − ε
        for (double s : new double[] {0.1, 1}) {
            for (double[][] z : new double[][][] {random(ROWS, C, 4), HUGE_LOGITS}) {
                check(p, layout, z, oneHot(CLASSES), null, mask, DEFAULT_CLIP, s);
                check(p, layout, z, oneHot(CLASSES), CLASSES, mask, DEFAULT_CLIP, s);
            }
            check(p, layout, clipped, oneHot(CLASSES), CLASSES, mask, 0.01, s);
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Precision.class)
    void smoothingZeroIsExactlyTheUnsmoothedForm(Precision p) {
        double[][] z = random(ROWS, C, 4);
        Matrix logits = matrix(p, Layout.ROWS, z);
        Matrix labels = matrix(p, Layout.ROWS, column(CLASSES));
        Matrix plain = nans(p, Layout.ROWS, ROWS, C);
        Matrix zero = nans(p, Layout.ROWS, ROWS, C);
        assertEquals(ENGINE.softmaxCrossEntropy(logits, labels, true, null, DEFAULT_CLIP, plain, null),
                ENGINE.softmaxCrossEntropy(logits, labels, true, null, DEFAULT_CLIP, 0.0, zero, null), "total");
        for (int r = 0; r < ROWS; r++) {
            for (int c = 0; c < C; c++) {
                assertEquals(get(plain, r, c), get(zero, r, c), "dz[" + r + ", " + c + "]");
            }
        }
    }

    @ParameterizedTest(name = "smoothing {0}")
    @ValueSource(doubles = {-0.1, 1.5, Double.NaN})
    void smoothingOutsideZeroToOneIsRefused(double s) {
        Precision p = Precision.FLOAT64;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ENGINE.softmaxCrossEntropy(
                matrix(p, Layout.ROWS, random(ROWS, C, 1)), matrix(p, Layout.ROWS, column(CLASSES)), true, null,
                DEFAULT_CLIP, s, null, null));
        assertTrue(e.getMessage().contains("smoothing"), e.getMessage());
    }

    @ParameterizedTest(name = "{0} index {1}")
    @MethodSource("precisionsAndBadIndices")
    void aClassIndexOutOfRangeOrNotAnIntegerIsRefused(Precision p, double bad) {
        double[] classes = CLASSES.clone();
        classes[3] = bad;
        Matrix labels = matrix(p, Layout.ROWS, column(classes));
        assertThrows(IllegalArgumentException.class, () -> ENGINE.softmaxCrossEntropy(
                matrix(p, Layout.ROWS, random(ROWS, C, 1)), labels, true, null, DEFAULT_CLIP,
                nans(p, Layout.ROWS, ROWS, C), nans(p, Layout.ROWS, ROWS, 1)));
    }

    // ------------------------------------------------------------------------------------------------

    /** The engine's outputs: dz [R, C] and the rows' losses [R, 1]. */
    private record Outputs(Matrix dz, Matrix losses) {
    }

    /** @return one-hot rows [R, C] of class indices */
    private static double[][] oneHot(double[] classes) {
        return table(classes.length, C, (r, c) -> c == classes[r] ? 1 : 0);
    }

    private static double[][] column(double[] v) {
        return table(v.length, 1, (r, c) -> v[r]);
    }

    /** Checks {@link #CLASSES} as class indices and as one-hot rows; @return the outputs of both */
    private List<Outputs> checkIndicesAndOneHot(Precision p, Layout layout, double[][] z, double[] mask, double clip) {
        return List.of(check(p, layout, z, oneHot(CLASSES), null, mask, clip),
                check(p, layout, z, oneHot(CLASSES), CLASSES, mask, clip));
    }

    /**
     * Compares the engine's dz, losses and total (also when asked for the total alone) with the formulas.
     *
     * @param y       [R, C] the targets
     * @param classes the targets as class indices (the engine gets these, sparse), or null (it gets y)
     * @param mask    the row weights, or null
     */
    private Outputs check(Precision p, Layout layout, double[][] z, double[][] y, double[] classes, double[] mask,
                          double clip) {
        return check(p, layout, z, y, classes, mask, clip, 0);
    }

    /** As above, against the smoothed targets {@code q = (1 − s) y + s / C}; @param s the label smoothing */
    private Outputs check(Precision p, Layout layout, double[][] z, double[][] y, double[] classes, double[] mask,
                          double clip, double s) {
        int rows = z.length;
        double[][] dz = new double[rows][];
        double[][] losses = new double[rows][1];
        double total = 0;
        for (int r = 0; r < rows; r++) {
            double m = mask == null ? 1 : mask[r];
            double[] prob = softmax(z[r]);
            double[] labels = y[r];
            double[] target = table(1, C, (i, c) -> (1 - s) * labels[c] + s / C)[0];          // q
            for (int c = 0; c < C; c++) {
                losses[r][0] -= target[c] == 0 ? 0 : m * target[c] * Math.log(Math.min(Math.max(prob[c], clip),
                        1 - clip));
            }
            dz[r] = table(1, C, (i, c) -> m * (prob[c] - target[c]))[0];
            total += losses[r][0];
        }
        String what = (classes != null ? "class indices" : "labels") + (mask == null ? "" : ", masked") + ", ε " + clip
                + ", smoothing " + s;
        Matrix maskColumn = mask == null ? null : matrix(p, layout, column(mask));
        Matrix logits = matrix(p, layout, z);
        Matrix labels = matrix(p, layout, classes != null ? column(classes) : y);
        Outputs out = new Outputs(nans(p, layout, rows, C), nans(p, layout, rows, 1));
        double tol = tolerance(p, FLOAT32);
        assertClose(total, ENGINE.softmaxCrossEntropy(logits, labels, classes != null, maskColumn, clip, s,
                out.dz(), out.losses()), tol, what + ": total");
        assertClose(dz, out.dz(), tol, what + ": dz");
        assertClose(losses, out.losses(), tol, what + ": losses");
        assertClose(total, ENGINE.softmaxCrossEntropy(logits, labels, classes != null, maskColumn, clip, s, null,
                null),
                tol, what + ": total without dz and losses");
        return out;
    }

    /** @return softmax(z) in double, shifted by the maximum */
    private static double[] softmax(double[] z) {
        double max = Arrays.stream(z).max().orElseThrow();
        double sum = Arrays.stream(z).map(v -> Math.exp(v - max)).sum();
        return Arrays.stream(z).map(v -> Math.exp(v - max) / sum).toArray();
    }
}
