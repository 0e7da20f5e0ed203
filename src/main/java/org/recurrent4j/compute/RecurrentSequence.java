package org.recurrent4j.compute;

/**
 * Runs a {@link CellKernel} over whole sequences, forward and backward, from a given initial state: the time loop
 * shared by the recurrent layers and by the truncated-BPTT adapter of DL4J's {@code SimpleRnn}. Sequences are
 * time-major matrices: row {@code t·mb + i} is step t of example i (either layout: a DL4J array [mb, size, T] with
 * strides (1, T·mb, mb) is a column-major one, and is used in place).
 *
 * <p>Forward: {@code xProj = X W + b} for all steps in one GEMM ([T·mb, nIn] × [nIn, G·n]); each step runs the
 * cell (its recurrent GEMM and one element-wise pass) and the mask. Backward: per step the cell's backward; then the
 * weight gradients of all steps are one GEMM each, and the gradient at the input one more.
 *
 * <p>All arrays live in {@link Buffers} reused from pass to pass (nothing is allocated once the shapes have been
 * seen): a training pass's arrays belong to that pass until the next training pass, an inference pass's until the
 * next inference pass. Not thread-safe: one instance per layer.
 */
public final class RecurrentSequence {
    private final ComputeEngine engine;
    private final CellKernel cell;
    private final MaskedSteps maskedSteps;
    private final Buffers trainingBuffers;
    private final Buffers inferenceBuffers;
    private final Buffers backwardBuffers;
    private long generation;

    /** Slots of the forward buffers. */
    private enum Kept { X_PROJ, STATES, OUTPUTS, CACHE, CANDIDATE }

    /** Slots of the backward buffers. */
    private enum Grad { D_X_PROJ, D_REC, D_H_A, D_H_B, D_H_NEW }

    public RecurrentSequence(ComputeEngine engine, CellKernel cell, MaskedSteps maskedSteps) {
        this.engine = engine;
        this.cell = cell;
        this.maskedSteps = maskedSteps;
        this.trainingBuffers = new Buffers(engine);
        this.inferenceBuffers = new Buffers(engine);
        this.backwardBuffers = new Buffers(engine);
    }

    /** @return the cell this sequence runs */
    public CellKernel cell() {
        return cell;
    }

    /** The input-side parameters. W [nIn, G·n], b [1, G·n]; any layout. */
    public record InputWeights(Matrix weights, Matrix bias) {
    }

    /** Where {@link #backward} writes the parameter gradients (overwritten). */
    public record Gradients(Matrix inputWeights, Matrix bias, CellWeights recurrent) {
    }

    /** What a forward pass computed, and kept for the backward pass when training. */
    public static final class Pass {
        private final long generation;
        private final boolean training;
        private final long mb;
        private final long steps;
        private final Matrix input;     // [T·mb, nIn], the caller's
        private final Matrix states;    // [(T+1)·mb, S]: block 0 the initial state, block t+1 the state after step t
        private final Matrix outputs;   // [T·mb, n]: masked outputs
        private final Matrix cache;     // [T·mb, C]; null when not training, unless it is the input projection
        private final Matrix mask;      // [mb, T], or null

        private Pass(long generation, boolean training, long mb, long steps, Matrix input, Matrix states,
                     Matrix outputs, Matrix cache, Matrix mask) {
            this.generation = generation;
            this.training = training;
            this.mb = mb;
            this.steps = steps;
            this.input = input;
            this.states = states;
            this.outputs = outputs;
            this.cache = cache;
            this.mask = mask;
        }

        /** @return T */
        public long steps() {
            return steps;
        }

        /** @return the minibatch size */
        public long minibatchSize() {
            return mb;
        }
    }

    /**
     * The forward pass.
     *
     * @param x            [T·mb, nIn] time-major input; read again by the backward pass, so its memory must stay
     *                     unchanged until then
     * @param mb           the minibatch size
     * @param w            input weights and bias
     * @param p            recurrent parameters
     * @param initialState [mb, S], or null for zeros
     * @param mask         [mb, T] of 0/1 in the input's precision, or null; kept until the backward pass
     * @param training     whether to keep what {@link #backward} needs
     */
    public Pass forward(Matrix x, long mb, InputWeights w, CellWeights p, Matrix initialState, Matrix mask,
                        boolean training) {
        Precision type = x.precision();
        long rows = x.rows();
        long steps = rows / mb;
        long n = cell.nOut();
        long s = cell.stateWidth();
        Buffers b = training ? trainingBuffers : inferenceBuffers;
        // xProj = X W + b                                               // [T·mb, nIn] x [nIn, G·n]
        Matrix xProj = b.matrix(Kept.X_PROJ.ordinal(), type, rows, (long) cell.gates() * n);
        engine.gemm(1, x, false, w.weights(), false, 0, xProj);
        engine.addRowVector(w.bias(), xProj);
        Matrix states = b.matrix(Kept.STATES.ordinal(), type, rows + mb, s);           // [(T+1)·mb, S]
        if (initialState != null) {
            engine.copy(initialState, block(states, 0, mb));
        } else {
            engine.fill(block(states, 0, mb), 0);
        }
        boolean separateOutputs = mask != null && (maskedSteps == MaskedSteps.KEEP_STATE || s != n);
        Matrix outputs = separateOutputs ? b.matrix(Kept.OUTPUTS.ordinal(), type, rows, n)   // [T·mb, n]
                : states.rows(mb, rows).cols(0, n);
        Matrix cache = cell.cacheIsInputProjection() ? xProj                                 // overwritten by the steps
                : training ? b.matrix(Kept.CACHE.ordinal(), type, rows, cell.cacheWidth()) : null;
        Matrix candidate = mask == null ? null : b.matrix(Kept.CANDIDATE.ordinal(), type, mb, s);   // [mb, S]
        for (long t = 0; t < steps; t++) {
            Matrix hPrev = block(states, t, mb);
            Matrix hNext = block(states, t + 1, mb);
            Matrix cacheT = cache == null ? null : block(cache, t, mb);
            if (mask == null) {
                cell.forwardStep(p, block(xProj, t, mb), hPrev, cacheT, hNext);
                continue;
            }
            cell.forwardStep(p, block(xProj, t, mb), hPrev, cacheT, candidate);
            engine.maskedStep(candidate, hPrev, mask.cols(t, 1), maskedSteps, hNext,
                    separateOutputs ? block(outputs, t, mb) : null);
        }
        if (training) {
            generation++;
        }
        return new Pass(generation, training, mb, steps, x, states, outputs, cache, mask);
    }

    /** @return the outputs of all steps, time-major [T·mb, n] (a view of the pass's memory) */
    public Matrix outputs(Pass fp) {
        return fp.outputs;
    }

    /** @return the state after the last step [mb, S] (a view of the pass's memory) */
    public Matrix finalState(Pass fp) {
        return block(fp.states, fp.steps, fp.mb);
    }

    /**
     * Backpropagates through the last {@code backLength} steps (all if ≤ 0) of a training pass, from the state that
     * pass started from; steps before that get no gradient and send zero gradient to the input.
     *
     * @param fp             the latest training pass of this sequence
     * @param eps            [T·mb, n] time-major dL/d(outputs), any layout
     * @param w              input weights
     * @param p              recurrent parameters
     * @param grads          receives dW, db and the recurrent gradients (overwritten)
     * @param dInput         [T·mb, nIn] time-major, receives dL/d(input); or null when nobody needs it
     * @param stateGradients [T·mb, n] time-major, receives dL/dh_t (the total derivative through the recurrence,
     *                       before masking), or null
     */
    public void backward(Pass fp, Matrix eps, int backLength, InputWeights w, CellWeights p, Gradients grads,
                         Matrix dInput, Matrix stateGradients) {
        if (!fp.training || fp.generation != generation) {
            throw new IllegalStateException("RecurrentSequence: backward needs the latest training pass of this "
                    + "sequence (a later training pass reused its memory)");
        }
        Precision type = eps.precision();
        long mb = fp.mb;
        long steps = fp.steps;
        long n = cell.nOut();
        long s = cell.stateWidth();
        long gn = (long) cell.gates() * n;
        long rows = steps * mb;
        Buffers b = backwardBuffers;
        long first = backLength > 0 ? Math.max(0, steps - backLength) : 0;
        Matrix dXProj = b.matrix(Grad.D_X_PROJ.ordinal(), type, rows, gn);              // [T·mb, G·n]
        if (first > 0) {
            engine.fill(dXProj.rows(0, first * mb), 0);
        }
        if (stateGradients != null) {
            engine.fill(stateGradients, 0);
        }
        Matrix dRec = cell.separateRecurrentGradient() ? b.matrix(Grad.D_REC.ordinal(), type, rows, gn) : null;
        Matrix dH = b.zeros(Grad.D_H_A.ordinal(), type, mb, s);                        // dL/dh_t from later steps
        Matrix dHPrev = b.matrix(Grad.D_H_B.ordinal(), type, mb, s);                   // dL/dh_{t−1}, being built
        Matrix dHNew = b.matrix(Grad.D_H_NEW.ordinal(), type, mb, s);                  // dL/dh'_t of this step
        for (long t = steps - 1; t >= first; t--) {
            engine.add(dH.cols(0, n), block(eps, t, mb), dHNew.cols(0, n));            // [mb, n]
            if (s != n) {
                engine.copy(dH.cols(n, s - n), dHNew.cols(n, s - n));
            }
            if (stateGradients != null) {
                engine.copy(dHNew.cols(0, n), block(stateGradients, t, mb));
            }
            if (fp.mask != null) {
                engine.maskedStepBackward(dH, fp.mask.cols(t, 1), maskedSteps, dHNew, dHPrev);
            } else {
                engine.fill(dHPrev, 0);
            }
            cell.backwardStep(p, dHNew, block(fp.states, t, mb), block(fp.cache, t, mb), block(dXProj, t, mb),
                    dRec == null ? null : block(dRec, t, mb), dHPrev);
            Matrix swap = dH;
            dH = dHPrev;
            dHPrev = swap;
        }

        // Weight gradients of all steps in the window, one GEMM each
        Matrix dXP = dXProj.rows(first * mb, rows - first * mb);                           // [N', G·n]
        engine.gemm(1, fp.input.rows(first * mb, rows - first * mb), true, dXP, false, 0, grads.inputWeights());
        engine.columnSums(dXP, 0, grads.bias());
        cell.recurrentWeightGradients(p, fp.states.rows(first * mb, rows - first * mb).cols(0, n),
                fp.cache.rows(first * mb, rows - first * mb), dXP,
                dRec == null ? null : dRec.rows(first * mb, rows - first * mb), grads.recurrent());

        if (dInput != null) {
            // dL/dX = dXProj Wᵀ                                          // [T·mb, G·n] x [G·n, nIn]
            engine.gemm(1, dXProj, false, w.weights(), true, 0, dInput);
        }
    }

    /** Rows [t·mb, (t+1)·mb) of a time-major matrix: step t of every example. */
    private static Matrix block(Matrix timeMajor, long t, long mb) {
        return timeMajor.rows(t * mb, mb);
    }
}
