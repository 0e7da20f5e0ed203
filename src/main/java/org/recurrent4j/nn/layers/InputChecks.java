package org.recurrent4j.nn.layers;

import java.util.Arrays;
import java.util.function.BooleanSupplier;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Validates what a recurrent layer receives and turns every mismatch into an exception that names the layer,
 * the argument, and the expected versus the actual shape or value.
 */
final class InputChecks {
    private final FeedForwardLayer conf;
    private final BooleanSupplier validateInputValues;

    /**
     * @param conf                the layer's configuration (name, nIn, nOut)
     * @param validateInputValues whether to check inputs for NaN and infinite values
     */
    InputChecks(FeedForwardLayer conf, BooleanSupplier validateInputValues) {
        this.conf = conf;
        this.validateInputValues = validateInputValues;
    }

    /** @return e.g. {@code Gru layer 'encoder' (index 2)} */
    String layerId(int index) {
        String name = conf.getLayerName() == null ? "" : " '" + conf.getLayerName() + "'";
        return conf.getClass().getSimpleName() + " layer" + name + " (index " + index + ")";
    }

    /** Checks rank, feature size and (when enabled) finiteness of the input; returns it unchanged. */
    INDArray input(INDArray in, RNNFormat format, String id) {
        RNNFormat f = format == null ? RNNFormat.NCW : format;
        String layout = f == RNNFormat.NCW ? "[minibatch, nIn=" + conf.getNIn() + ", time] (NCW)"
                : "[minibatch, time, nIn=" + conf.getNIn() + "] (NWC)";
        if (in.rank() != 3) {
            throw new IllegalArgumentException(id + ": input must have rank 3, " + layout + "; got rank " + in.rank()
                    + " with shape " + Arrays.toString(in.shape()));
        }
        long size = in.size(f == RNNFormat.NCW ? 1 : 2);
        if (size != conf.getNIn()) {
            throw new IllegalArgumentException(id + ": input size (nIn) must be " + conf.getNIn() + ", input " + layout
                    + "; got shape " + Arrays.toString(in.shape()) + " (size " + size + ")");
        }
        if (validateInputValues.getAsBoolean()) {
            checkFinite(in, f, id);
        }
        return in;
    }

    /** @return the mask [mb, T], or null; throws on any other shape */
    INDArray mask(INDArray mask, long mb, long steps, String id) {
        if (mask == null) {
            return null;
        }
        if (mask.rank() != 2 || mask.size(0) != mb || mask.size(1) != steps) {
            throw new IllegalArgumentException(id + ": mask must have shape [minibatch, time] = [" + mb + ", " + steps
                    + "]; got " + Arrays.toString(mask.shape()));
        }
        return mask;
    }

    /** Checks a stored or given initial state against the input's minibatch size. */
    void state(INDArray state, long mb, long n, String id) {
        if (state == null) {
            return;
        }
        if (state.rank() != 2 || state.size(0) != mb || state.size(1) != n) {
            throw new IllegalStateException(id + ": stored state must have shape [minibatch, nOut] = [" + mb + ", " + n
                    + "]; got " + Arrays.toString(state.shape())
                    + ". Call rnnClearPreviousState() before a minibatch of another size.");
        }
    }

    /** Checks the gradient from the layer above against the forward pass [mb, n, T] (NCW). */
    INDArray epsilon(INDArray eps, long mb, long steps, String id) {
        long n = conf.getNOut();
        if (eps.rank() != 3 || eps.size(0) != mb || eps.size(1) != n || eps.size(2) != steps) {
            throw new IllegalArgumentException(id + ": epsilon must have shape [" + mb + ", " + n + ", " + steps
                    + "] (NCW, as the forward output); got " + Arrays.toString(eps.shape()));
        }
        return eps;
    }

    private static void checkFinite(INDArray in, RNNFormat f, String id) {
        INDArray bad = in.isNaN().castTo(DataType.INT32).addi(in.isInfinite().castTo(DataType.INT32));
        if (bad.sumNumber().longValue() == 0) {
            return;
        }
        long[] where = first(bad);
        long example = where[0];
        long step = f == RNNFormat.NCW ? where[2] : where[1];
        long feature = f == RNNFormat.NCW ? where[1] : where[2];
        throw new IllegalArgumentException(id + ": input contains NaN or infinite values; first at example " + example
                + ", time step " + step + ", feature " + feature + " (value " + in.getDouble(where) + ")");
    }

    private static long[] first(INDArray bad) {
        long[] shape = bad.shape();
        for (long i = 0; i < shape[0]; i++) {
            for (long j = 0; j < shape[1]; j++) {
                for (long k = 0; k < shape[2]; k++) {
                    if (bad.getDouble(i, j, k) > 0) {
                        return new long[] {i, j, k};
                    }
                }
            }
        }
        throw new IllegalStateException("unreachable: no non-finite value found");
    }
}
