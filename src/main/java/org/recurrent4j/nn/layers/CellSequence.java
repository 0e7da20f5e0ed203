package org.recurrent4j.nn.layers;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;
import static org.nd4j.linalg.indexing.NDArrayIndex.point;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.recurrent4j.nn.cell.CellGradients;
import org.recurrent4j.nn.cell.CellParams;
import org.recurrent4j.nn.cell.RecurrentCell;

/**
 * Runs a {@link RecurrentCell} over a whole sequence, forward and backward, from a given initial state: the
 * sequence-level math shared by {@link RecurrentSequenceLayer} and by the truncated-BPTT adapter of DL4J's
 * {@code SimpleRnn} ({@code org.recurrent4j.train}). Knows nothing about DL4J layers (workspaces, dropout,
 * weight noise, data formats): callers hand it NCW arrays and plain parameters.
 *
 * <p>Fast path: the input projection of all steps is one GEMM ({@code [T·mb, nIn] × [nIn, G·n]}); each step does
 * the cell's recurrent GEMM and element-wise math; backward, the weight gradients of all steps are one GEMM each.
 * Internally, time-major matrices have row {@code t·mb + i} for step t of example i. Allocates outside of any
 * workspace: call it inside {@code scopeOutOfWorkspaces}.
 */
public final class CellSequence {

    /** What a masked step (mask 0) does; either way its output is zero. */
    public enum MaskedSteps {
        /** the state passes through unchanged to the next step (ours: left- and right-padding both work) */
        KEEP_STATE,
        /** the state becomes zero, {@code h_t = m_t · h'_t} (DL4J's {@code SimpleRnn}) */
        ZERO_STATE
    }

    private final RecurrentCell cell;
    private final MaskedSteps maskedSteps;
    private final DataType dataType;

    /**
     * @param cell        the cell to run
     * @param maskedSteps what masked steps do to the state
     * @param dataType    data type of all arrays created
     */
    public CellSequence(RecurrentCell cell, MaskedSteps maskedSteps, DataType dataType) {
        this.cell = cell;
        this.maskedSteps = maskedSteps;
        this.dataType = dataType;
    }

    /** What a forward pass keeps for the backward pass. Time-major: row t·mb + i. */
    public static final class Pass {
        final long mb;
        final long steps;
        final INDArray xFlat;      // [T·mb, nIn]
        final INDArray states;     // [(T+1)·mb, n]: block 0 the initial state, block t+1 the state after step t
        final INDArray outputs;    // [T·mb, n]: masked outputs (a view of states unless masked steps keep the state)
        final INDArray cache;      // [T·mb, C], or null when not training
        final INDArray mask;       // [mb, T] of the data type, or null

        private Pass(long mb, long steps, INDArray xFlat, INDArray states, INDArray outputs, INDArray cache, INDArray mask) {
            this.mb = mb;
            this.steps = steps;
            this.xFlat = xFlat;
            this.states = states;
            this.outputs = outputs;
            this.cache = cache;
            this.mask = mask;
        }

        /** @return the number of time steps T */
        public long steps() {
            return steps;
        }

        /** @return the minibatch size */
        public long minibatchSize() {
            return mb;
        }
    }

    /** Gradients written by {@link #backward}. */
    public record Gradients(INDArray inputWeights, INDArray bias, CellGradients recurrent) {
    }

    /**
     * The forward pass.
     *
     * @param in           [mb, nIn, T] input
     * @param w            [nIn, G·n] input weights
     * @param b            [1, G·n] input bias
     * @param p            recurrent parameters
     * @param initialState [mb, n], or null for zeros
     * @param mask         [mb, T], or null
     * @param training     whether to keep the cache for {@link #backward}
     */
    public Pass forward(INDArray in, INDArray w, INDArray b, CellParams p, INDArray initialState, INDArray mask,
                        boolean training) {
        long mb = in.size(0);
        long steps = in.size(2);
        long n = cell.nOut();
        INDArray m = mask == null ? null : mask.castTo(dataType);
        INDArray xFlat = in.permute(2, 0, 1).dup('c').reshape('c', steps * mb, in.size(1));   // [T·mb, nIn]
        INDArray xProj = xFlat.mmul(w).addiRowVector(b);                                     // [T·mb, G·n]
        INDArray states = Nd4j.create(dataType, new long[] {(steps + 1) * mb, n}, 'c');      // [(T+1)·mb, n]
        if (initialState != null) {
            rows(states, 0, mb).assign(initialState);
        }
        boolean separateOutputs = m != null && maskedSteps == MaskedSteps.KEEP_STATE;
        INDArray outputs = separateOutputs ? Nd4j.create(dataType, new long[] {steps * mb, n}, 'c')   // [T·mb, n]
                : states.get(interval(mb, (steps + 1) * mb), all());
        INDArray cache = training ? Nd4j.create(dataType, new long[] {steps * mb, cell.cacheWidth()}, 'c') : null;
        INDArray hNew = Nd4j.create(dataType, new long[] {mb, n}, 'c');                    // [mb, n]
        for (long t = 0; t < steps; t++) {
            INDArray hPrev = rows(states, t, mb);
            INDArray hNext = rows(states, t + 1, mb);
            INDArray cacheT = cache == null ? null : rows(cache, t, mb);
            if (m == null) {
                cell.forwardStep(p, rows(xProj, t, mb), hPrev, cacheT, hNext, training);
                continue;
            }
            INDArray mt = m.getColumn(t, true);                                              // [mb, 1]
            cell.forwardStep(p, rows(xProj, t, mb), hPrev, cacheT, hNew, training);
            if (maskedSteps == MaskedSteps.ZERO_STATE) {
                hNext.assign(hNew.muliColumnVector(mt));                                    // h_t = m ∘ h'
            } else {
                // masked step: output 0, state passes through: h_t = h_{t-1} + m ∘ (h' − h_{t-1})
                rows(outputs, t, mb).assign(hNew).muliColumnVector(mt);
                hNext.assign(hNew.subi(hPrev).muliColumnVector(mt).addi(hPrev));
            }
        }
        return new Pass(mb, steps, xFlat, states, outputs, cache, m);
    }

    /** @return the outputs of all steps [mb, n, T] (a view) */
    public INDArray outputs(Pass fp) {
        return fp.outputs.reshape('c', fp.steps, fp.mb, cell.nOut()).permute(1, 2, 0);
    }

    /** @return the state after the last step [mb, n] (a view) */
    public INDArray finalState(Pass fp) {
        return rows(fp.states, fp.steps, fp.mb);
    }

    /**
     * Backpropagates through the last {@code backLength} steps (all if ≤ 0) of a training pass, from the state that
     * pass started from; steps before that get no gradient and send zero epsilon to the input.
     *
     * @param fp              a pass of {@link #forward} with {@code training}
     * @param eps             [mb, n, T] dL/d(outputs)
     * @param w               [nIn, G·n] input weights
     * @param p               recurrent parameters
     * @param grads           receives dW, db and the recurrent gradients (all overwritten)
     * @param stateGradients  [mb, n, T] receives dL/dh_t (the total derivative through the recurrence, before
     *                        masking) when not null
     * @return [mb, nIn, T] dL/d(input)
     */
    public INDArray backward(Pass fp, INDArray eps, int backLength, INDArray w, CellParams p, Gradients grads,
                             INDArray stateGradients) {
        long mb = fp.mb;
        long steps = fp.steps;
        long n = cell.nOut();
        long gn = (long) cell.gates() * n;
        INDArray epsSteps = eps.castTo(dataType).permute(2, 0, 1).dup('c').reshape('c', steps * mb, n); // [T·mb, n]
        long first = backLength > 0 ? Math.max(0, steps - backLength) : 0;

        INDArray dXProj = Nd4j.create(dataType, new long[] {steps * mb, gn}, 'c');    // [T·mb, G·n], step rows contiguous
        INDArray dRec = cell.separateRecurrentGradient() ? Nd4j.create(dataType, new long[] {steps * mb, gn}, 'c') : null;
        INDArray dH = Nd4j.create(dataType, new long[] {mb, n}, 'c');                  // dL/dh_t from later steps
        INDArray dHPrev = Nd4j.create(dataType, new long[] {mb, n}, 'c');              // dL/dh_{t-1}, being built
        INDArray dHNew = Nd4j.create(dataType, new long[] {mb, n}, 'c');               // dL/dh'_t of this step
        boolean passThrough = fp.mask != null && maskedSteps == MaskedSteps.KEEP_STATE;
        INDArray notMask = passThrough ? fp.mask.rsub(1.0) : null;                     // [mb, T]
        for (long t = steps - 1; t >= first; t--) {
            dHNew.assign(rows(epsSteps, t, mb)).addi(dH);                                 // [mb, n]
            if (stateGradients != null) {
                stateGradients.get(all(), all(), point(t)).assign(dHNew);
            }
            if (fp.mask != null) {
                dHNew.muliColumnVector(fp.mask.getColumn(t, true));
            }
            if (passThrough) {
                dHPrev.assign(dH).muliColumnVector(notMask.getColumn(t, true));          // pass-through of masked steps
            } else {
                dHPrev.assign(0.0);
            }
            cell.backwardStep(p, dHNew, rows(fp.states, t, mb), rows(fp.cache, t, mb),
                    rows(dXProj, t, mb), dRec == null ? null : rows(dRec, t, mb), dHPrev);
            INDArray swap = dH;
            dH = dHPrev;
            dHPrev = swap;
        }

        // Weight gradients of all steps in the window, one GEMM each
        INDArray dXP = rowRange(dXProj, first * mb, steps * mb);                           // [N', G·n]
        INDArray x = rowRange(fp.xFlat, first * mb, steps * mb);                           // [N', nIn]
        Nd4j.gemm(x, dXP, grads.inputWeights(), true, false, 1.0, 0.0);                   // dW = Xᵀ dXP
        grads.bias().assign(dXP.sum(true, 0));                                             // db = Σ dXP
        cell.recurrentWeightGradients(p, rowRange(fp.states, first * mb, steps * mb),
                rowRange(fp.cache, first * mb, steps * mb), dXP,
                dRec == null ? null : rowRange(dRec, first * mb, steps * mb), grads.recurrent());

        // epsilon to the input: dX = dXP Wᵀ                                                // [T·mb, nIn]
        INDArray dX = dXProj.mmul(w.transpose()).dup('c').reshape('c', steps, mb, w.size(0));
        return dX.permute(1, 2, 0);                                                        // [mb, nIn, T]
    }

    /** Rows [t·mb, (t+1)·mb) of a time-major matrix: step t of every example. */
    private static INDArray rows(INDArray timeMajor, long t, long mb) {
        return timeMajor.get(interval(t * mb, (t + 1) * mb), all());
    }

    /** Rows [from, to) as a GEMM-ready array (the whole matrix when the range covers it). */
    private static INDArray rowRange(INDArray a, long from, long to) {
        if (a == null) {
            return null;
        }
        return from == 0 && to == a.size(0) ? a : a.get(interval(from, to), all());
    }
}
