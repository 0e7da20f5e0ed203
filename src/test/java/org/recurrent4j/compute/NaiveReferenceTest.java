package org.recurrent4j.compute;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.recurrent4j.compute.Reference.Cell;
import org.recurrent4j.compute.Reference.Params;
import org.recurrent4j.compute.Reference.Problem;
import org.recurrent4j.compute.Reference.Result;

/**
 * The naive layer of {@link Reference#run}, which the engine's sequences are compared with, checked itself: its
 * hand-written backpropagation through time against central finite differences of its forward pass, for every
 * cell and both mask modes, on a tiny problem with a padded step at either end and an initial state.
 */
class NaiveReferenceTest extends EngineTestSupport {
    private static final double STEP = 1e-5;
    private static final double TOLERANCE = 1e-8;

    static Stream<Arguments> cells() {
        return Stream.of(Cell.values()).flatMap(c -> Stream.of(MaskedSteps.values()).map(m -> Arguments.of(c, m)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cells")
    void backpropagationMatchesFiniteDifferences(Cell cell, MaskedSteps mode) {
        double[][] mask = {{1, 1, 0}, {0, 1, 1}};
        Problem q = problem(cell, mode, 2, 3, 2, 2, mask, true, 0);
        Result r = Reference.run(q);
        Params p = q.params();
        Params g = r.grads();
        // each entry: {values, the reference's gradient of them}
        List<double[][]> pairs = new ArrayList<>();
        pairs.add(new double[][] {p.b(), g.b()});
        for (int k = 0; k < p.w().length; k++) {
            pairs.add(new double[][] {p.w()[k], g.w()[k]});
        }
        for (int k = 0; k < p.rw().length; k++) {
            pairs.add(new double[][] {p.rw()[k], g.rw()[k]});
        }
        if (p.rb() != null) {
            pairs.add(new double[][] {p.rb(), g.rb()});
        }
        for (int t = 0; t < q.steps(); t++) {
            for (int e = 0; e < q.mb(); e++) {
                pairs.add(new double[][] {q.x()[t][e], r.dx()[t][e]});
            }
        }
        int checked = 0;
        for (double[][] pair : pairs) {
            double[] v = pair[0];
            for (int j = 0; j < v.length; j++) {
                double saved = v[j];
                v[j] = saved + STEP;
                double up = Reference.loss(q);
                v[j] = saved - STEP;
                double down = Reference.loss(q);
                v[j] = saved;
                assertClose((up - down) / (2 * STEP), pair[1][j], TOLERANCE, "gradient " + checked);
                checked++;
            }
        }
    }
}
