package org.recurrent4j.nn.graph;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Input validation of the vertices: every mismatch becomes an exception naming the vertex, the argument, and the
 * expected versus the actual shape.
 */
final class VertexChecks {
    private VertexChecks() {
    }

    /**
     * Checks a [mb, size, T] (NCW) input.
     *
     * @param mb the expected minibatch size, or -1 for any
     * @param steps the expected length, or -1 for any
     */
    public static void sequence(INDArray a, String vertex, String argument, long size, long mb, long steps) {
        if (a == null) {
            throw new IllegalArgumentException(vertex + ": input '" + argument + "' is missing");
        }
        boolean ok = a.rank() == 3 && a.size(1) == size && (mb < 0 || a.size(0) == mb)
                && (steps < 0 || a.size(2) == steps);
        if (!ok) {
            throw new IllegalArgumentException(vertex + ": input '" + argument + "' must have shape [minibatch"
                    + (mb < 0 ? "" : "=" + mb) + ", size=" + size + ", time" + (steps < 0 ? "" : "=" + steps)
                    + "] (NCW); got " + Arrays.toString(a.shape()));
        }
    }

    /**
     * Checks the time length T of a [mb, size, T] input: at least 1, and at most {@code max} unless max is 0.
     *
     * @param option the name of the configuration option that sets {@code max}, for the message
     */
    public static void length(INDArray a, String vertex, String argument, long max, String option) {
        long steps = a.size(2);
        if (steps < 1) {
            throw new IllegalArgumentException(vertex + ": input '" + argument + "' needs at least 1 time step; got shape "
                    + Arrays.toString(a.shape()));
        }
        if (max > 0 && steps > max) {
            throw new IllegalArgumentException(vertex + ": input '" + argument + "' has " + steps + " time steps, more than "
                    + option + " = " + max + " allows (shape " + Arrays.toString(a.shape()) + ")");
        }
    }

    /** Checks a [mb, T] mask (null passes). */
    public static void mask(INDArray mask, String vertex, String argument, long mb, long steps) {
        if (mask != null && (mask.rank() != 2 || mask.size(0) != mb || mask.size(1) != steps)) {
            throw new IllegalArgumentException(vertex + ": mask of '" + argument + "' must have shape [minibatch, time] = ["
                    + mb + ", " + steps + "]; got " + Arrays.toString(mask.shape()));
        }
    }

    /** Checks the gradient from above against the forward output [mb, size, T]. */
    public static void epsilon(INDArray eps, String vertex, long mb, long size, long steps) {
        if (eps == null || eps.rank() != 3 || eps.size(0) != mb || eps.size(1) != size || eps.size(2) != steps) {
            throw new IllegalArgumentException(vertex + ": epsilon must have shape [" + mb + ", " + size + ", " + steps
                    + "] (as the forward output); got " + (eps == null ? "null" : Arrays.toString(eps.shape())));
        }
    }
}
