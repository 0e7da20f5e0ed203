package org.recurrent4j.compute.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The error bound the FLOAT32 engine's tests rely on: {@link FloatRowMath#tanh} (Eigen's rational approximation) and
 * {@link FloatRowMath#sigmoid} against {@link Math} on every multiple of 2⁻¹⁶ in [−12, 12] and beyond the clamp.
 */
class FloatTanhAccuracyTest {
    /** the absolute error the engine documents for its float tanh and σ */
    private static final double BOUND = 4e-7;
    private static final double[] BEYOND = {-1e30, -100, -12.5, 12.5, 100, 1e30, Float.MAX_VALUE, -Float.MAX_VALUE,
            Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};

    @Test
    void fastTanhIsWithinFourTenMillionthsOfTanh() {
        double worst = 0;
        float worstAt = 0;
        for (int k = -12 << 16; k <= 12 << 16; k++) {
            float x = k / 65536f;
            double error = Math.abs(FloatRowMath.tanh(x) - Math.tanh(x));
            if (error > worst) {
                worst = error;
                worstAt = x;
            }
        }
        assertTrue(worst <= BOUND, "fast tanh is off by " + worst + " at " + worstAt);
        for (double x : BEYOND) {
            assertEquals(Math.tanh(x), FloatRowMath.tanh((float) x), BOUND, "tanh(" + x + ")");
        }
    }

    @Test
    void fastSigmoidIsWithinFourTenMillionthsOfSigmoid() {
        double worst = 0;
        float worstAt = 0;
        for (int k = -24 << 16; k <= 24 << 16; k++) {
            float x = k / 65536f;
            double error = Math.abs(FloatRowMath.sigmoid(x) - 1 / (1 + Math.exp(-x)));
            if (error > worst) {
                worst = error;
                worstAt = x;
            }
        }
        assertTrue(worst <= BOUND, "fast σ is off by " + worst + " at " + worstAt);
        for (double x : BEYOND) {
            assertEquals(1 / (1 + Math.exp(-x)), FloatRowMath.sigmoid((float) x), BOUND, "σ(" + x + ")");
        }
    }
}
