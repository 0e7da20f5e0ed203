package org.recurrent4j.compute.decoder;

import org.recurrent4j.compute.Buffers;
import org.recurrent4j.compute.CellKernel;
import org.recurrent4j.compute.ComputeEngine;
import org.recurrent4j.compute.MaskedSteps;
import org.recurrent4j.compute.Matrix;
import org.recurrent4j.compute.attention.Attention;

/**
 * The Bahdanau ordering (Bahdanau et al. 2014, appendix A), and RNNenc's fixed context:
 * <ol>
 *   <li>{@code α_t, c_t = attend(query s_{t−1})}, or the fixed {@code c = tanh(h_T V)}</li>
 *   <li>{@code s_t = cell(y_t W + b + c_t C, s_{t−1})}</li>
 *   <li>output {@code s_t}, or the deep output {@code maxout([s_{t−1}; y_t; c_t] U + b_u)} of size l</li>
 * </ol>
 * Backward, per step: the deep output's {@code d[s; y; c] = dT Uᵀ} (dT the maxout's gradient), the cell's backward,
 * {@code dc_t += dXProj_t Cᵀ}, then attention's backward with the query gradient into dL/ds_{t−1}. After the loop:
 * {@code dC = Ctxᵀ dXProj}, {@code dU = [S_prev; Y; Ctx]ᵀ dT}, {@code db_u = Σ dT}.
 */
final class BahdanauStep implements DecoderStep {
    private final ComputeEngine engine;
    private final DecoderShape shape;
    private final CellKernel cell;
    private final Attention attention;
    private final Buffers scratch;

    private enum Slot { X_PROJ, CANDIDATE, D_STATE_NEW, D_DEEP }

    BahdanauStep(ComputeEngine engine, DecoderShape shape, CellKernel cell, Attention attention) {
        this.engine = engine;
        this.shape = shape;
        this.cell = cell;
        this.attention = attention;
        this.scratch = new Buffers(engine);
    }

    @Override
    public void forward(DecoderWeights p, Encoding enc, StepMatrices s) {
        long n = shape.nOut();
        Matrix sPrev = s.prevState().cols(0, n);                                       // [mb, n] the query s_{t−1}
        if (attention != null) {
            attention.attend(p.score(), enc.memory(), sPrev, s.hidden(), s.alpha(), s.context());
        } else {
            engine.copy(enc.fixedContext(), s.context());
        }
        // xProj = y W + b + c C                                         // [mb, dh] x [dh, G·n]
        Matrix xProj = scratch.matrix(Slot.X_PROJ.ordinal(), sPrev.precision(), sPrev.rows(), s.xBase().cols());
        engine.copy(s.xBase(), xProj);
        engine.gemm(1, s.context(), false, p.contextWeights(), false, 1, xProj);
        cell.forwardStep(p.cell(), xProj, s.prevState(), s.cellCache(), s.cellState());
        if (shape.maxoutSize() > 0) {
            // deepPre = [s_{t−1}; y; c] U + b_u                         // [mb, n+e+dh] x [n+e+dh, 2l]
            Matrix u = p.deepWeights();
            long e = shape.embeddingSize();
            engine.gemm(1, sPrev, false, u.rows(0, n), false, 0, s.deepPre());
            engine.gemm(1, s.y(), false, u.rows(n, e), false, 1, s.deepPre());
            engine.gemm(1, s.context(), false, u.rows(n + e, shape.annotationSize()), false, 1, s.deepPre());
            engine.addRowVector(p.deepBias(), s.deepPre());
            engine.maxout(s.deepPre(), s.output());
        } else {
            engine.copy(s.cellState().cols(0, n), s.output());
        }
        if (s.mask() != null) {
            engine.maskedStep(s.cellState(), s.prevState(), s.mask(), MaskedSteps.KEEP_STATE, s.state(), null);
            engine.scaleRows(s.mask(), s.output());
        } else {
            engine.copy(s.cellState(), s.state());
        }
    }

    @Override
    public void backward(DecoderWeights p, Encoding enc, StepMatrices s, StepGradients g, Accumulators acc) {
        long n = shape.nOut();
        // dL/d(the cell's new state) = dState where real; dL/ds_{t−1} = dState where masked (passed through)
        Matrix dNew = scratch.matrix(Slot.D_STATE_NEW.ordinal(), g.dState().precision(), g.dState().rows(),
                g.dState().cols());
        engine.copy(g.dState(), dNew);
        if (s.mask() != null) {
            engine.maskedStepBackward(g.dState(), s.mask(), MaskedSteps.KEEP_STATE, dNew, g.dPrevState());
        } else {
            engine.fill(g.dPrevState(), 0);
        }
        Matrix dOut = scratch.matrix(Slot.D_DEEP.ordinal(), g.dOutput().precision(), g.dOutput().rows(),
                g.dOutput().cols());
        engine.copy(g.dOutput(), dOut);
        if (s.mask() != null) {
            engine.scaleRows(s.mask(), dOut);
        }
        if (shape.maxoutSize() > 0) {
            engine.maxoutBackward(s.deepPre(), dOut, g.dDeepPre());                     // dT [mb, 2l]
            // d[s; y; c] = dT Uᵀ                                        // [mb, 2l] x [2l, n+e+dh]
            Matrix u = p.deepWeights();
            long e = shape.embeddingSize();
            engine.gemm(1, g.dDeepPre(), false, u.rows(0, n), true, 1, g.dPrevState().cols(0, n));
            engine.gemm(1, g.dDeepPre(), false, u.rows(n, e), true, 0, g.dY());
            engine.gemm(1, g.dDeepPre(), false, u.rows(n + e, shape.annotationSize()), true, 0, g.dContext());
        } else {
            engine.fill(g.dContext(), 0);
            engine.add(dNew.cols(0, n), dOut, dNew.cols(0, n));
        }
        cell.backwardStep(p.cell(), dNew, s.prevState(), s.cellCache(), g.dXProj(), g.dRec(), g.dPrevState());
        // c_t entered the gates: dc += dXProj Cᵀ                        // [mb, G·n] x [G·n, dh]
        engine.gemm(1, g.dXProj(), false, p.contextWeights(), true, 1, g.dContext());
        if (attention != null) {
            attention.backward(p.score(), enc.memory(), s.prevState().cols(0, n), s.alpha(), s.hidden(), g.dContext(),
                    acc.scoreGradients(), g.dPrevState().cols(0, n), acc.dProjectedKeys(), null);
        } else {
            engine.axpy(1, g.dContext(), acc.dFixedContext());
        }
    }

    @Override
    public void weightGradients(DecoderSequence.Pass pass, DecoderSequence.PassGradients g, DecoderWeights grads) {
        // dC = Ctxᵀ dXProj                                              // [dh, Ty·mb] x [Ty·mb, G·n]
        engine.gemm(1, pass.contexts, true, g.dXProj, false, 0, grads.contextWeights());
        if (shape.maxoutSize() > 0) {
            // dU = [S_prev; Y; Ctx]ᵀ dT, one row block each             // [·, Ty·mb] x [Ty·mb, 2l]
            long n = shape.nOut();
            long e = shape.embeddingSize();
            Matrix du = grads.deepWeights();
            engine.gemm(1, pass.previousOutputs(n), true, g.dDeepPre, false, 0, du.rows(0, n));
            engine.gemm(1, pass.y, true, g.dDeepPre, false, 0, du.rows(n, e));
            engine.gemm(1, pass.contexts, true, g.dDeepPre, false, 0, du.rows(n + e, shape.annotationSize()));
            engine.columnSums(g.dDeepPre, 0, grads.deepBias());
        }
    }
}
