package org.recurrent4j.compute;

import static org.recurrent4j.compute.Reference.row;
import static org.recurrent4j.compute.Reference.timeMajor;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.recurrent4j.compute.Reference.Cell;
import org.recurrent4j.compute.Reference.Params;
import org.recurrent4j.compute.Reference.Problem;
import org.recurrent4j.compute.Reference.Result;
import org.recurrent4j.compute.RecurrentSequence.Gradients;
import org.recurrent4j.compute.RecurrentSequence.InputWeights;
import org.recurrent4j.compute.RecurrentSequence.Pass;

/**
 * Each cell end to end: a {@link RecurrentSequence} on the engine, forward (inference and training) and backward,
 * against the naive layer of {@link Reference#run} (per example, per step, scalar loops in double): outputs, final
 * state, every parameter gradient, the input gradient and the state gradients.
 */
class RecurrentSequenceTest extends EngineTestSupport {
    /**
     * FLOAT32: each step chains a few fast tanh/σ (≤ 4e-7 each) and float products of 5–9 terms; the errors of 6
     * steps add up in the state, and the gradients sum them over 24 rows
     */
    private static final double FLOAT32 = 5e-6;
    private static final int MB = 4;
    private static final int STEPS = 6;
    private static final int N_IN = 3;
    private static final int N = 5;

    /** per example: padding at both ends, at the end, at the start, none */
    private static final double[][] MASK = {{0, 1, 1, 1, 1, 0}, {1, 1, 1, 1, 0, 0}, {0, 0, 1, 1, 1, 1},
            {1, 1, 1, 1, 1, 1}};

    /** What a test varies besides the cell and the precision. */
    enum Scenario {
        /** padded examples keep their state; an initial state; backpropagation through the last 4 of 6 steps */
        KEEP_STATE_MASK_WINDOW(MaskedSteps.KEEP_STATE, true, 4, Layout.COLUMNS_PADDED, Layout.ROWS_PADDED),
        /** padded steps zero the state (DL4J's SimpleRnn); as above, the layouts the other way round */
        ZERO_STATE_MASK_WINDOW(MaskedSteps.ZERO_STATE, true, 4, Layout.ROWS_PADDED, Layout.COLUMNS_PADDED),
        /** no mask, zero initial state, the whole sequence, contiguous row-major arrays */
        PLAIN(MaskedSteps.KEEP_STATE, false, 0, Layout.ROWS, Layout.ROWS);

        final MaskedSteps mode;
        final boolean masked;
        final int backLength;
        final Layout sequences;
        final Layout parameters;

        Scenario(MaskedSteps mode, boolean masked, int backLength, Layout sequences, Layout parameters) {
            this.mode = mode;
            this.masked = masked;
            this.backLength = backLength;
            this.sequences = sequences;
            this.parameters = parameters;
        }
    }

    static Stream<Arguments> cases() {
        return Stream.of(Cell.values()).flatMap(c -> Stream.of(Precision.values())
                .flatMap(p -> Stream.of(Scenario.values()).map(s -> Arguments.of(c, p, s))));
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("cases")
    void sequenceMatchesTheNaiveLayer(Cell cell, Precision p, Scenario s) {
        Problem q = problem(cell, s.mode, MB, STEPS, N_IN, N, s.masked ? MASK : null, s.masked, s.backLength);
        Result expected = Reference.run(q);
        Params w = q.params();
        int gn = cell.gates * N;
        Layout lp = s.parameters;
        InputWeights inputWeights = new InputWeights(matrix(p, lp, w.w()), matrix(p, lp, row(w.b())));
        CellWeights cellWeights = new CellWeights(matrix(p, lp, w.rw()), w.rb() == null ? null
                : matrix(p, lp, row(w.rb())));
        Matrix x = matrix(p, s.sequences, timeMajor(q.x()));
        Matrix init = q.init() == null ? null : matrix(p, lp, q.init());
        Matrix mask = q.mask() == null ? null : matrix(p, lp, q.mask());
        RecurrentSequence sequence = new RecurrentSequence(ENGINE, cell.kernel(ENGINE, N), s.mode);
        double tol = tolerance(p, FLOAT32);

        for (boolean training : new boolean[] {false, true}) {
            Pass pass = sequence.forward(x, MB, inputWeights, cellWeights, init, mask, training);
            assertClose(timeMajor(expected.outputs()), sequence.outputs(pass), tol, "outputs, training " + training);
            assertClose(expected.finalState(), sequence.finalState(pass), tol, "final state, training " + training);
            if (!training) {
                continue;
            }
            Gradients grads = new Gradients(nans(p, lp, N_IN, gn), nans(p, lp, 1, gn), new CellWeights(
                    nans(p, lp, N, gn), w.rb() == null ? null : nans(p, lp, 1, gn)));
            Matrix dInput = nans(p, s.sequences, STEPS * MB, N_IN);
            Matrix stateGradients = nans(p, s.sequences, STEPS * MB, N);
            sequence.backward(pass, matrix(p, s.sequences, timeMajor(q.eps())), s.backLength, inputWeights,
                    cellWeights, grads, dInput, stateGradients);
            Params g = expected.grads();
            assertClose(g.w(), grads.inputWeights(), tol, "dW");
            assertClose(row(g.b()), grads.bias(), tol, "db");
            assertClose(g.rw(), grads.recurrent().recurrentWeights(), tol, "dRW");
            if (g.rb() != null) {
                assertClose(row(g.rb()), grads.recurrent().recurrentBias(), tol, "dRB");
            }
            assertClose(timeMajor(expected.dx()), dInput, tol, "dL/dx");
            assertClose(timeMajor(expected.stateGradients()), stateGradients, tol, "dL/dh_t");
        }
    }
}
