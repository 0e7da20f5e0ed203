package org.recurrent4j.nn.layers;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.recurrent4j.compute.Buffers;
import org.recurrent4j.compute.CellKernel;
import org.recurrent4j.compute.CellWeights;
import org.recurrent4j.compute.ComputeEngine;
import org.recurrent4j.compute.MaskedSteps;
import org.recurrent4j.compute.Matrix;
import org.recurrent4j.compute.Precision;
import org.recurrent4j.compute.RecurrentSequence;
import org.recurrent4j.nn.engine.Nd4jViews;

/**
 * The ND4J side of a {@link RecurrentSequence}: runs a cell over a whole sequence given as ND4J arrays [mb, size, T]
 * (NCW, or the permuted view of an NWC array; any strides), for {@link RecurrentSequenceLayer} and the truncated-BPTT
 * adapter of DL4J's {@code SimpleRnn} ({@code org.recurrent4j.train}). Knows nothing about DL4J layers (workspaces,
 * dropout, weight noise, data formats).
 *
 * <p>The engine works on time-major matrices. An array whose strides make it one (see
 * {@link Nd4jViews#timeMajor}: what {@link #newSequence} allocates, i.e. what these layers output and pass to
 * each other) is used in place; any other is copied once, into memory this object reuses from pass to pass.
 */
public final class CellSequence {
    private final ComputeEngine engine;
    private final RecurrentSequence sequence;
    private final DataType dataType;
    private final Precision precision;
    private final String owner;
    /** Copies of sequences that are not time-major views: slots {@link Copy}. */
    private final Buffers copies;

    private enum Copy { TRAINING_INPUT, INFERENCE_INPUT, EPSILON, INPUT_GRADIENT, STATE_GRADIENTS }

    /**
     * @param engine      where to compute
     * @param cell        the cell to run
     * @param maskedSteps what masked steps do to the state
     * @param dataType    the data type of every array (FLOAT or DOUBLE)
     * @param owner       who runs it, for error messages (e.g. {@code Gru layer 'enc' (index 2)})
     */
    public CellSequence(ComputeEngine engine, CellKernel cell, MaskedSteps maskedSteps, DataType dataType,
                        String owner) {
        this.precision = Nd4jViews.precision(dataType, owner);
        this.engine = engine;
        this.sequence = new RecurrentSequence(engine, cell, maskedSteps);
        this.dataType = dataType;
        this.owner = owner;
        this.copies = new Buffers(engine);
    }

    /** @return the cell */
    public CellKernel cell() {
        return sequence.cell();
    }

    /**
     * @return a new uninitialised array [mb, size, T] whose memory is a time-major matrix (the permuted view of an 'f'
     *     [mb, T, size] array), for outputs that a following layer of this kind reads in place
     */
    public static INDArray newSequence(DataType type, long mb, long size, long steps) {
        return Nd4j.createUninitialized(type, new long[] {mb, steps, size}, 'f').permute(0, 2, 1);
    }

    /** The parameters, as ND4J views: W [nIn, G·n], b [1, G·n], RW [n, G·n], RB [1, G·n] or null. */
    public record Params(INDArray inputWeights, INDArray bias, INDArray recurrentWeights, INDArray recurrentBias) {
        RecurrentSequence.InputWeights input() {
            return new RecurrentSequence.InputWeights(view(inputWeights), view(bias));
        }

        CellWeights recurrent() {
            return new CellWeights(view(recurrentWeights), recurrentBias == null ? null : view(recurrentBias));
        }
    }

    /** A forward pass and the arrays its memory refers to. */
    public static final class Pass {
        private final RecurrentSequence.Pass pass;
        private final INDArray[] keepAlive;

        private Pass(RecurrentSequence.Pass pass, INDArray... keepAlive) {
            this.pass = pass;
            this.keepAlive = keepAlive;
        }

        /** @return the number of time steps T */
        public long steps() {
            return pass.steps();
        }

        /** @return the minibatch size */
        public long minibatchSize() {
            return pass.minibatchSize();
        }
    }

    /**
     * The forward pass. The input is read again by {@link #backward} (a training pass keeps a reference to it, or a
     * copy): it must not change in between.
     *
     * @param in           [mb, nIn, T] input (of this sequence's data type)
     * @param params       the parameters
     * @param initialState [mb, S], or null for zeros
     * @param mask         [mb, T], or null
     * @param training     whether to keep what {@link #backward} needs
     */
    public Pass forward(INDArray in, Params params, INDArray initialState, INDArray mask, boolean training) {
        INDArray m = mask == null ? null : mask.castTo(dataType).dup('c');
        INDArray h0 = initialState == null ? null : contiguous(initialState.castTo(dataType));
        Matrix x = timeMajor(in, training ? Copy.TRAINING_INPUT : Copy.INFERENCE_INPUT);
        RecurrentSequence.Pass pass = sequence.forward(x, in.size(0), params.input(), params.recurrent(),
                h0 == null ? null : Nd4jViews.matrix(h0), m == null ? null : Nd4jViews.matrix(m), training);
        return new Pass(pass, in, m, h0);
    }

    /**
     * @param fp  a pass of {@link #forward}
     * @param dst [mb, n, T] of the data type (any strides; fastest as made by {@link #newSequence}), overwritten with
     *            the outputs of all steps
     */
    public void outputs(Pass fp, INDArray dst) {
        write(sequence.outputs(fp.pass), dst);
    }

    /** @return a copy of the state after the last step [mb, S] */
    public INDArray finalState(Pass fp) {
        Matrix last = sequence.finalState(fp.pass);
        INDArray state = Nd4j.createUninitialized(dataType, new long[] {last.rows(), last.cols()}, 'c');
        engine.copy(last, Nd4jViews.matrix(state));
        Nd4jViews.written(state);
        return state;
    }

    /** Gradients written by {@link #backward} (views, overwritten): dW, db, dRW, dRB (or null). */
    public record Gradients(INDArray inputWeights, INDArray bias, INDArray recurrentWeights, INDArray recurrentBias) {
    }

    /**
     * Backpropagates through the last {@code backLength} steps (all if ≤ 0) of the latest training pass, from the
     * state that pass started from; steps before that get no gradient and send zero epsilon to the input.
     *
     * @param fp             the latest pass of {@link #forward} with {@code training}
     * @param eps            [mb, n, T] dL/d(outputs)
     * @param params         the parameters of the forward pass
     * @param grads          receives dW, db and the recurrent gradients
     * @param dInput         [mb, nIn, T] receives dL/d(input); null: not computed
     * @param stateGradients [mb, n, T] receives dL/dh_t (the total derivative through the recurrence, before
     *                       masking), or null
     */
    public void backward(Pass fp, INDArray eps, int backLength, Params params, Gradients grads, INDArray dInput,
                         INDArray stateGradients) {
        INDArray e = eps.castTo(dataType);
        RecurrentSequence.Gradients g = new RecurrentSequence.Gradients(view(grads.inputWeights()), view(grads.bias()),
                new CellWeights(view(grads.recurrentWeights()),
                        grads.recurrentBias() == null ? null : view(grads.recurrentBias())));
        Matrix dX = dInput == null ? null : destination(dInput, Copy.INPUT_GRADIENT);
        Matrix dH = stateGradients == null ? null : destination(stateGradients, Copy.STATE_GRADIENTS);
        sequence.backward(fp.pass, timeMajor(e, Copy.EPSILON), backLength, params.input(), params.recurrent(), g, dX,
                dH);
        if (dInput != null) {
            write(dX, dInput);
        }
        if (stateGradients != null) {
            write(dH, stateGradients);
        }
        Nd4jViews.written(grads.inputWeights(), grads.bias(), grads.recurrentWeights(), grads.recurrentBias());
        java.lang.ref.Reference.reachabilityFence(e);
        java.lang.ref.Reference.reachabilityFence(fp.keepAlive);
    }

    /** @return a sequence [mb, size, T] as a time-major matrix: a view of it, or a copy in slot {@code copy} */
    private Matrix timeMajor(INDArray seq, Copy copy) {
        return Nd4jViews.timeMajorOrCopy(seq, copies, copy.ordinal());
    }

    /** @return where to compute a sequence that goes into {@code dst}: dst itself when time-major, else memory of slot copy */
    private Matrix destination(INDArray dst, Copy copy) {
        Matrix view = Nd4jViews.timeMajor(dst);
        return view != null ? view : copies.matrix(copy.ordinal(), precision, dst.size(0) * dst.size(2), dst.size(1));
    }

    /** Writes a time-major matrix into a sequence [mb, size, T] (nothing to do when it is the sequence's memory). */
    private void write(Matrix src, INDArray dst) {
        Matrix view = Nd4jViews.timeMajor(dst);
        if (view == null) {
            engine.fromTimeMajor(src, Nd4jViews.tensor(dst));
        } else if (!view.equals(src)) {
            engine.copy(src, view);
        }
        Nd4jViews.written(dst);
    }

    /** @return a matrix view of a parameter or gradient array */
    private static Matrix view(INDArray a) {
        if (!Nd4jViews.viewable(a)) {
            throw new IllegalArgumentException("CellSequence: parameter of shape " + java.util.Arrays.toString(a.shape())
                    + " is not a plain matrix view");
        }
        return Nd4jViews.matrix(a);
    }

    private static INDArray contiguous(INDArray a) {
        return Nd4jViews.viewable(a) ? a : a.dup('c');
    }

    @Override
    public String toString() {
        return "CellSequence of " + owner;
    }
}
