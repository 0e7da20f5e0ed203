package org.recurrent4j.compute.decoder;

import org.recurrent4j.compute.Buffers;
import org.recurrent4j.compute.CellKernel;
import org.recurrent4j.compute.ComputeEngine;
import org.recurrent4j.compute.MaskedSteps;
import org.recurrent4j.compute.Matrix;
import org.recurrent4j.compute.Nonlinearity;
import org.recurrent4j.compute.attention.Attention;

/**
 * The Luong ordering (Luong et al. 2015):
 * <ol>
 *   <li>{@code h_t = cell(y_t W + b [+ h̃_{t−1} F], h_{t−1})} (F with input feeding)</li>
 *   <li>{@code α_t, c_t = attend(query h_t)}</li>
 *   <li>output {@code h̃_t = tanh([c_t; h_t] W_c)}</li>
 * </ol>
 * Backward, per step: {@code dA = dh̃ ∘ (1 − h̃²)}, {@code [dc; dh] = dA W_cᵀ}, attention's backward with the query
 * gradient into dh_t, the cell's backward, and {@code dh̃_{t−1} += dXProj Fᵀ}. After the loop:
 * {@code dW_c = [Ctx; H]ᵀ dA}, {@code dF = H̃_prevᵀ dXProj}.
 */
final class LuongStep implements DecoderStep {
    private final ComputeEngine engine;
    private final DecoderShape shape;
    private final CellKernel cell;
    private final Attention attention;
    private final Buffers scratch;

    private enum Slot { X_PROJ, D_STATE_NEW, D_ATTENTIONAL }

    LuongStep(ComputeEngine engine, DecoderShape shape, CellKernel cell, Attention attention) {
        this.engine = engine;
        this.shape = shape;
        this.cell = cell;
        this.attention = attention;
        this.scratch = new Buffers(engine);
    }

    @Override
    public void forward(DecoderWeights p, Encoding enc, StepMatrices s) {
        long n = shape.nOut();
        long dh = shape.annotationSize();
        Matrix xProj = s.xBase();
        if (shape.feeding()) {
            // xProj = y W + b + h̃_{t−1} F                               // [mb, n] x [n, G·n]
            xProj = scratch.matrix(Slot.X_PROJ.ordinal(), s.xBase().precision(), s.xBase().rows(), s.xBase().cols());
            engine.copy(s.xBase(), xProj);
            engine.gemm(1, s.prevFeed(), false, p.feedWeights(), false, 1, xProj);
        }
        cell.forwardStep(p.cell(), xProj, s.prevState(), s.cellCache(), s.cellState());
        Matrix h = s.cellState().cols(0, n);                                            // [mb, n] the query h_t
        attention.attend(p.score(), enc.memory(), h, s.hidden(), s.alpha(), s.context());
        // h̃ = tanh([c; h] W_c)                                          // [mb, dh+n] x [dh+n, n]
        Matrix wc = p.outputWeights();
        Matrix pre = s.attentional();                                                   // [c; h] W_c, kept
        engine.gemm(1, s.context(), false, wc.rows(0, dh), false, 0, pre);
        engine.gemm(1, h, false, wc.rows(dh, n), false, 1, pre);
        engine.activation(Nonlinearity.TANH, pre, s.output());
        if (s.mask() != null) {
            engine.maskedStep(s.cellState(), s.prevState(), s.mask(), MaskedSteps.KEEP_STATE, s.state(), null);
            if (shape.feeding()) {
                engine.maskedStep(s.output(), s.prevFeed(), s.mask(), MaskedSteps.KEEP_STATE, s.feed(), null);
            }
            engine.scaleRows(s.mask(), s.output());
        } else {
            engine.copy(s.cellState(), s.state());
            if (shape.feeding()) {
                engine.copy(s.output(), s.feed());
            }
        }
    }

    @Override
    public void backward(DecoderWeights p, Encoding enc, StepMatrices s, StepGradients g, Accumulators acc) {
        long n = shape.nOut();
        long dh = shape.annotationSize();
        Matrix dNew = scratch.matrix(Slot.D_STATE_NEW.ordinal(), g.dState().precision(), g.dState().rows(),
                g.dState().cols());
        engine.copy(g.dState(), dNew);
        Matrix dAtt = scratch.matrix(Slot.D_ATTENTIONAL.ordinal(), g.dOutput().precision(), g.dOutput().rows(), n);
        engine.copy(g.dOutput(), dAtt);
        if (shape.feeding()) {
            engine.axpy(1, g.dFeed(), dAtt);                                          // dh̃ = dOut + dFeed
        }
        if (s.mask() != null) {
            engine.maskedStepBackward(g.dState(), s.mask(), MaskedSteps.KEEP_STATE, dNew, g.dPrevState());
            if (shape.feeding()) {
                engine.maskedStepBackward(g.dFeed(), s.mask(), MaskedSteps.KEEP_STATE, dAtt, g.dPrevFeed());
            } else {
                engine.scaleRows(s.mask(), dAtt);
            }
        } else {
            engine.fill(g.dPrevState(), 0);
            if (shape.feeding()) {
                engine.fill(g.dPrevFeed(), 0);
            }
        }
        // h̃ = tanh(A), A = [c; h] W_c: dA = dh̃ ∘ tanh'(A); [dc; dh] = dA W_cᵀ   // [mb, n] x [n, dh+n]
        engine.activationBackward(Nonlinearity.TANH, s.attentional(), dAtt, g.dAttentional());
        Matrix wc = p.outputWeights();
        engine.gemm(1, g.dAttentional(), false, wc.rows(0, dh), true, 0, g.dContext());
        engine.gemm(1, g.dAttentional(), false, wc.rows(dh, n), true, 1, dNew.cols(0, n));
        attention.backward(p.score(), enc.memory(), s.cellState().cols(0, n), s.alpha(), s.hidden(), g.dContext(),
                acc.scoreGradients(), dNew.cols(0, n), acc.dProjectedKeys(), null);
        cell.backwardStep(p.cell(), dNew, s.prevState(), s.cellCache(), g.dXProj(), g.dRec(), g.dPrevState());
        if (shape.feeding()) {
            // dh̃_{t−1} += dXProj Fᵀ                                     // [mb, G·n] x [G·n, n]
            engine.gemm(1, g.dXProj(), false, p.feedWeights(), true, 1, g.dPrevFeed());
        }
    }

    @Override
    public void weightGradients(DecoderSequence.Pass pass, DecoderSequence.PassGradients g, DecoderWeights grads) {
        long n = shape.nOut();
        long dh = shape.annotationSize();
        // dW_c = [Ctx; H]ᵀ dA                                           // [dh+n, Ty·mb] x [Ty·mb, n]
        Matrix dwc = grads.outputWeights();
        engine.gemm(1, pass.contexts, true, g.dAttentional, false, 0, dwc.rows(0, dh));
        engine.gemm(1, pass.cellStates.cols(0, n), true, g.dAttentional, false, 0, dwc.rows(dh, n));
        if (shape.feeding()) {
            // dF = H̃_prevᵀ dXProj                                       // [n, Ty·mb] x [Ty·mb, G·n]
            engine.gemm(1, pass.previousFeeds(), true, g.dXProj, false, 0, grads.feedWeights());
        }
    }
}
