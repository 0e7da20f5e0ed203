package org.recurrent4j.compute.attention;

import java.util.Map;
import org.recurrent4j.compute.Buffers;
import org.recurrent4j.compute.ComputeEngine;
import org.recurrent4j.compute.Matrix;
import org.recurrent4j.compute.Precision;

/**
 * Attention for one query per example, on a {@code ComputeEngine}:
 * <pre>
 *   e_j = score(q, k_j)      α = maskedSoftmax(e)      c = Σ_j α_j v_j
 * </pre>
 * Backward: {@code dα_j = v_j · dc}, {@code dv_j += α_j dc}, {@code de = α ∘ (dα − Σ α dα)}, then the score's backward.
 * Used by the attention vertices (one call per query position) and by the attention decoder (one call per step). Keeps
 * scratch memory: one instance per vertex or decoder.
 */
public final class Attention {
    private final ComputeEngine engine;
    private final ScoreFunction score;
    private final Buffers scratch;

    private enum Slot { SCORES, D_ALPHA }

    public Attention(ComputeEngine engine, ScoreFunction score) {
        this.engine = engine;
        this.score = score;
        this.scratch = new Buffers(engine);
    }

    /** @return the score function */
    public ScoreFunction score() {
        return score;
    }

    /**
     * @param keys   [mb·Tk, dk] batch-major
     * @param values [mb·Tk, dv], or null for values = keys
     * @param mask   [mb, Tk], or null
     * @param projectedKeys [mb·Tk, a] memory for the projection (unused by scores without one)
     * @return the memory, keys projected
     */
    public Memory memory(Map<String, Matrix> p, Matrix keys, Matrix values, Matrix mask, Matrix projectedKeys,
                         long mb) {
        Matrix projected = score.projectKeys(p, keys, projectedKeys);
        return new Memory(keys, values == null ? keys : values, projected, mask, mb, keys.rows() / mb);
    }

    /**
     * @param query   [mb, dq]
     * @param saved   [mb·Tk, score.savedWidth()] receives what the score's backward needs, or null
     * @param alpha   [mb, Tk] receives the weights (exactly 0 at padded positions; all 0 for an all-padded row)
     * @param context [mb, dv] receives {@code Σ_j α_j v_j}
     */
    public void attend(Map<String, Matrix> p, Memory memory, Matrix query, Matrix saved, Matrix alpha,
                       Matrix context) {
        Matrix e = scratch.matrix(Slot.SCORES.ordinal(), query.precision(), memory.size(), memory.length());
        score.score(p, query, memory.projectedKeys(), e, saved);                        // [mb, Tk]
        engine.maskedSoftmax(e, memory.mask(), alpha);
        weightedSum(memory, alpha, context);
    }

    /** {@code c_b = V_bᵀ α_b} for every example b: α [mb, Tk], c [mb, dv] */
    public void weightedSum(Memory memory, Matrix alpha, Matrix context) {
        long tk = memory.length();
        Matrix v = memory.values();
        // c_b = V_bᵀ α_b                                                // [dv, Tk] x [Tk, 1]
        engine.gemmBatched(memory.size(), 1, DotScore.firstRows(v, tk), tk * v.ld(), true, DotScore.rowAsColumn(alpha),
                alpha.ld(), false, 0, DotScore.rowAsColumn(context), context.ld());
    }

    /**
     * Backward of {@link #attend} for one query.
     *
     * @param alpha          [mb, Tk] the forward weights
     * @param saved          what the forward call saved, or null
     * @param dContext       [mb, dv] dL/dc
     * @param grads          score parameter gradients, added to
     * @param dQuery         [mb, dq], dL/dq added to
     * @param dProjectedKeys [mb·Tk, a], added to
     * @param dValues        [mb·Tk, dv], {@code α_j dc} added to; or null when the caller accumulates the values'
     *                       gradient itself (e.g. for all queries at once)
     */
    public void backward(Map<String, Matrix> p, Memory memory, Matrix query, Matrix alpha, Matrix saved,
                         Matrix dContext, Map<String, Matrix> grads, Matrix dQuery, Matrix dProjectedKeys,
                         Matrix dValues) {
        long mb = memory.size();
        long tk = memory.length();
        Precision type = query.precision();
        Matrix v = memory.values();
        Matrix dAlpha = scratch.matrix(Slot.D_ALPHA.ordinal(), type, mb, tk);
        // dα_b = V_b dc_b                                               // [Tk, dv] x [dv, 1]
        engine.gemmBatched(mb, 1, DotScore.firstRows(v, tk), tk * v.ld(), false, DotScore.rowAsColumn(dContext), dContext.ld(),
                false, 0, DotScore.rowAsColumn(dAlpha), dAlpha.ld());
        if (dValues != null) {
            // dV_b += α_b dc_bᵀ                                          // [Tk, 1] x [1, dv]
            engine.gemmBatched(mb, 1, DotScore.rowAsColumn(alpha), alpha.ld(), false, DotScore.firstRows(dContext, 1),
                    dContext.ld(), false, 1, DotScore.firstRows(dValues, tk), tk * dValues.ld());
        }
        engine.maskedSoftmaxBackward(alpha, dAlpha, dAlpha);                             // dE [mb, Tk]
        score.backward(p, query, memory.projectedKeys(), saved, dAlpha, grads, dQuery, dProjectedKeys);
    }

    /**
     * Finishes the backward pass at the memory: the key projection's gradients, and dL/dkeys added to dKeys.
     *
     * @param dProjectedKeys what {@link #backward} accumulated
     * @param dKeys          [mb·Tk, dk], added to
     */
    public void backwardMemory(Map<String, Matrix> p, Memory memory, Matrix dProjectedKeys, Map<String, Matrix> grads,
                               Matrix dKeys) {
        score.backwardKeys(p, memory.keys(), dProjectedKeys, grads, dKeys);
    }
}
