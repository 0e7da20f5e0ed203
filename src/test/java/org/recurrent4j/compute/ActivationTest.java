package org.recurrent4j.compute;

import static org.recurrent4j.compute.Reference.table;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link ComputeEngine#activation} and {@link ComputeEngine#activationBackward} for every {@link Nonlinearity}
 * against {@link Math}, into a separate output and in place, on inputs that reach past the float tanh's clamp
 * (|x| &gt; 7.9) and include relu's kink at 0.
 */
class ActivationTest extends EngineTestSupport {
    /** FLOAT32 forward: the fast function's error plus one rounding */
    private static final double FORWARD = FAST_FUNCTION_ERROR + 1.2e-7;
    /** FLOAT32 backward: f' = 1 − y² (or y(1 − y)) from y off by the forward error, times |dy| ≤ 2 */
    private static final double BACKWARD = 2 * 2 * FORWARD;

    static Stream<Arguments> functions() {
        return precisionsAndLayouts().flatMap(a -> Stream.of(Nonlinearity.values())
                .map(f -> Arguments.of(f, a.get()[0], a.get()[1])));
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("functions")
    void forwardAndBackwardMatchTheFunctionAndItsDerivative(Nonlinearity f, Precision p, Layout layout) {
        double[][] x = random(6, 7, 12);
        x[0][0] = 0;
        x[1][1] = -0.0;
        x[2][2] = 7.9;
        x[3][3] = -30;
        double[][] dy = random(6, 7, 2);
        double[][] y = table(6, 7, (i, j) -> Reference.apply(f, x[i][j]));
        double[][] dx = table(6, 7, (i, j) -> Reference.derivative(f, x[i][j]) * dy[i][j]);

        Matrix out = nans(p, layout, 6, 7);
        ENGINE.activation(f, matrix(p, layout, x), out);
        assertClose(y, out, tolerance(p, FORWARD), f + " forward");
        Matrix inPlace = matrix(p, layout, x);
        ENGINE.activation(f, inPlace, inPlace);
        assertClose(y, inPlace, tolerance(p, FORWARD), f + " forward in place");

        Matrix grad = nans(p, layout, 6, 7);
        ENGINE.activationBackward(f, matrix(p, layout, x), matrix(p, layout, dy), grad);
        assertClose(dx, grad, tolerance(p, BACKWARD), f + " backward");
        Matrix gradInPlace = matrix(p, layout, dy);
        ENGINE.activationBackward(f, matrix(p, layout, x), gradInPlace, gradInPlace);
        assertClose(dx, gradInPlace, tolerance(p, BACKWARD), f + " backward in place");
    }
}
