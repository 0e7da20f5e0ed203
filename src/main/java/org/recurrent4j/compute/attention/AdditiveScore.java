package org.recurrent4j.compute.attention;

import java.util.Map;
import org.recurrent4j.compute.Buffers;
import org.recurrent4j.compute.ComputeEngine;
import org.recurrent4j.compute.Matrix;
import org.recurrent4j.compute.Precision;

/**
 * Additive attention (Bahdanau et al. 2014): {@code e_j = vᵀ tanh(W_q q + b + W_k k_j)}, with {@code W_k k_j}
 * computed once per source. Optionally weight-normalised, {@code v = g · v / ‖v‖} (Salimans and Kingma 2016).
 * Without the bias it is Luong's {@code concat} score {@code vᵀ tanh(W [q; k])}.
 *
 * <p>Parameters: {@code Wq} [dq, a], {@code Wk} [dk, a], {@code b} [1, a] (with bias), {@code v} [a, 1],
 * {@code g} [1, 1] (weight-normalised). The hidden layer {@code H = tanh(W_q q + b + W_k k_j)} [mb·Tk, a] is what
 * a forward call saves. Backward: with {@code G = dE · v ∘ (1 − H²)}: {@code dv = Hᵀ dE}, {@code dKp += G},
 * {@code dqp = Σ_j G}, {@code dW_q += qᵀ dqp}, {@code db += Σ dqp}, {@code dq += dqp W_qᵀ}; keys:
 * {@code dW_k += Kᵀ dKp}, {@code dK += dKp W_kᵀ}.
 */
public final class AdditiveScore implements ScoreFunction {
    public static final String QUERY_WEIGHTS = "Wq";
    public static final String KEY_WEIGHTS = "Wk";
    public static final String BIAS = "b";
    public static final String V = "v";
    public static final String GAIN = "g";

    private final ComputeEngine engine;
    private final long a;
    private final boolean bias;
    private final boolean weightNorm;
    private final Buffers scratch;

    private enum Slot { QUERY, HIDDEN, V_EFF, D_V_EFF, D_QUERY, SCALAR }

    /**
     * @param engine     where to compute
     * @param attnSize   a, the size of the hidden layer
     * @param bias       whether to add b (Bahdanau: yes; Luong concat: no)
     * @param weightNorm whether v is weight-normalised with a gain g
     */
    public AdditiveScore(ComputeEngine engine, long attnSize, boolean bias, boolean weightNorm) {
        this.engine = engine;
        this.a = attnSize;
        this.bias = bias;
        this.weightNorm = weightNorm;
        this.scratch = new Buffers(engine);
    }

    @Override
    public long projectedKeySize() {
        return a;
    }

    @Override
    public Matrix projectKeys(Map<String, Matrix> p, Matrix keys, Matrix out) {
        // K W_k                                                         // [mb·Tk, dk] x [dk, a]
        engine.gemm(1, keys, false, p.get(KEY_WEIGHTS), false, 0, out);
        return out;
    }

    @Override
    public long savedWidth() {
        return a;
    }

    /** @return H = tanh(W_q q + b + W_k k_j) [mb·Tk, a], into {@code dest} or a scratch matrix */
    private Matrix hidden(Map<String, Matrix> p, Matrix query, Matrix projectedKeys, Matrix dest) {
        Precision type = query.precision();
        Matrix qp = scratch.matrix(Slot.QUERY.ordinal(), type, query.rows(), a);         // [mb, a]
        engine.gemm(1, query, false, p.get(QUERY_WEIGHTS), false, 0, qp);               // [mb, dq] x [dq, a]
        if (bias) {
            engine.addRowVector(p.get(BIAS), qp);
        }
        Matrix h = dest != null ? dest : scratch.matrix(Slot.HIDDEN.ordinal(), type, projectedKeys.rows(), a);
        engine.additiveHidden(projectedKeys, qp, h);
        return h;
    }

    /** @return the effective v [a, 1]: v, or g · v / ‖v‖ */
    private Matrix effectiveV(Map<String, Matrix> p) {
        Matrix v = p.get(V);
        if (!weightNorm) {
            return v;
        }
        Matrix vEff = scratch.matrix(Slot.V_EFF.ordinal(), v.precision(), a, 1);
        engine.fill(vEff, 0);
        engine.axpy(engine.sum(p.get(GAIN)) / Math.sqrt(engine.dot(v, v)), v, vEff);
        return vEff;
    }

    @Override
    public void score(Map<String, Matrix> p, Matrix query, Matrix projectedKeys, Matrix scores, Matrix saved) {
        Matrix h = hidden(p, query, projectedKeys, saved);
        // e = H v                                                       // [mb·Tk, a] x [a, 1]
        engine.gemm(1, h, false, effectiveV(p), false, 0, column(scores));
    }

    @Override
    public void backward(Map<String, Matrix> p, Matrix query, Matrix projectedKeys, Matrix saved, Matrix dScores,
                         Map<String, Matrix> grads, Matrix dQuery, Matrix dProjectedKeys) {
        Precision type = query.precision();
        Matrix h = saved != null ? saved : hidden(p, query, projectedKeys, null);
        Matrix v = effectiveV(p);
        // dv_eff = Hᵀ dE                                                // [a, mb·Tk] x [mb·Tk, 1]
        Matrix dvEff = scratch.matrix(Slot.D_V_EFF.ordinal(), type, a, 1);
        engine.gemm(1, h, true, column(dScores), false, 0, dvEff);
        addVGradient(p, dvEff, grads);
        // G = dE v ∘ (1 − H²): dKp += G; dqp = Σ_j G                    // [mb·Tk, a]
        Matrix dqp = scratch.matrix(Slot.D_QUERY.ordinal(), type, query.rows(), a);
        engine.additiveHiddenBackward(h, dScores, v.transpose(), dProjectedKeys, dqp);
        // dW_q += qᵀ dqp; db += Σ dqp; dq += dqp W_qᵀ                   // [dq, mb] x [mb, a]; [mb, a] x [a, dq]
        engine.gemm(1, query, true, dqp, false, 1, grads.get(QUERY_WEIGHTS));
        if (bias) {
            engine.columnSums(dqp, 1, grads.get(BIAS));
        }
        engine.gemm(1, dqp, false, p.get(QUERY_WEIGHTS), true, 1, dQuery);
    }

    /** dv (and dg) from dv_eff: {@code dg = dv_eff · v̂}, {@code dv = (g/‖v‖)(dv_eff − (dv_eff · v̂) v̂)} */
    private void addVGradient(Map<String, Matrix> p, Matrix dvEff, Map<String, Matrix> grads) {
        if (!weightNorm) {
            engine.axpy(1, dvEff, grads.get(V));
            return;
        }
        Matrix v = p.get(V);
        double norm = Math.sqrt(engine.dot(v, v));
        double g = engine.sum(p.get(GAIN));
        double projection = engine.dot(dvEff, v) / norm;                                // dv_eff · v̂
        Matrix dg = scratch.matrix(Slot.SCALAR.ordinal(), v.precision(), 1, 1);
        engine.fill(dg, projection);
        engine.axpy(1, dg, grads.get(GAIN));
        engine.axpy(g / norm, dvEff, grads.get(V));
        engine.axpy(-g * projection / (norm * norm), v, grads.get(V));
    }

    @Override
    public void backwardKeys(Map<String, Matrix> p, Matrix keys, Matrix dProjectedKeys, Map<String, Matrix> grads,
                             Matrix dKeys) {
        // dW_k += Kᵀ dKp; dK += dKp W_kᵀ                                // [dk, mb·Tk] x [mb·Tk, a]; [mb·Tk, a] x [a, dk]
        engine.gemm(1, keys, true, dProjectedKeys, false, 1, grads.get(KEY_WEIGHTS));
        engine.gemm(1, dProjectedKeys, false, p.get(KEY_WEIGHTS), true, 1, dKeys);
    }

    /** @return scores [mb, Tk] as the column [mb·Tk, 1] of the same memory (their rows must be adjacent) */
    static Matrix column(Matrix scores) {
        if (!scores.contiguousRows()) {
            throw new IllegalArgumentException("attention scores must be a contiguous [mb, Tk] matrix; got "
                    + scores.describe());
        }
        return Matrix.rowMajor(scores.address(), scores.precision(), scores.length(), 1);
    }
}
