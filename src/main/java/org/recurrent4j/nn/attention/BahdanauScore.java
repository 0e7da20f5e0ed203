package org.recurrent4j.nn.attention;

import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastAddOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.recurrent4j.nn.cell.Scratch;

/**
 * Additive attention (Bahdanau et al. 2014): {@code e_j = vᵀ tanh(W_q q + W_k k_j + b)}, with {@code W_k k_j}
 * computed once per source ({@link #projectKeys}). Optionally weight-normalised: {@code v = g · v / ‖v‖}
 * (Salimans and Kingma 2016). Without the bias it is Luong's {@code concat} score {@code vᵀ tanh(W [q; k])}.
 *
 * <p>Parameters: {@code Wq} [dq, a], {@code Wk} [dk, a], {@code b} [1, a] (if bias), {@code v} [a, 1],
 * {@code g} [1, 1] (if weight-normalised).
 */
public final class BahdanauScore implements AttentionScore {
    public static final String QUERY_WEIGHTS = "Wq";
    public static final String KEY_WEIGHTS = "Wk";
    public static final String BIAS = "b";
    public static final String V = "v";
    public static final String GAIN = "g";

    private final long dq;
    private final long dk;
    private final long a;
    private final boolean bias;
    private final boolean weightNorm;
    /** Reused by every call (not thread-safe): slot 0 σ (scores without saving) or G (backward); slot 1 σ recomputed in
     *  backward. Each [mb, Tk, a]. */
    private final Scratch scratch = new Scratch();

    /**
     * @param querySize  dq
     * @param keySize    dk
     * @param attnSize   a, the size of the hidden layer of the score
     * @param bias       whether to add b (Bahdanau: yes; Luong concat: no)
     * @param weightNorm whether v is weight-normalised with a gain g
     */
    public BahdanauScore(long querySize, long keySize, long attnSize, boolean bias, boolean weightNorm) {
        this.dq = querySize;
        this.dk = keySize;
        this.a = attnSize;
        this.bias = bias;
        this.weightNorm = weightNorm;
    }

    @Override
    public LinkedHashMap<String, long[]> paramShapes() {
        LinkedHashMap<String, long[]> m = new LinkedHashMap<>();
        m.put(QUERY_WEIGHTS, new long[] {dq, a});
        m.put(KEY_WEIGHTS, new long[] {dk, a});
        if (bias) {
            m.put(BIAS, new long[] {1, a});
        }
        m.put(V, new long[] {a, 1});
        if (weightNorm) {
            m.put(GAIN, new long[] {1, 1});
        }
        return m;
    }

    @Override
    public boolean isBias(String key) {
        return BIAS.equals(key);
    }

    @Override
    public void initParams(Map<String, INDArray> p) {
        ScoreParams.xavier(p.get(QUERY_WEIGHTS), dq, a);
        ScoreParams.xavier(p.get(KEY_WEIGHTS), dk, a);
        ScoreParams.xavier(p.get(V), a, 1);
        if (bias) {
            p.get(BIAS).assign(0);
        }
        if (weightNorm) {
            p.get(GAIN).assign(1);
        }
    }

    @Override public long querySize() { return dq; }
    @Override public long keySize() { return dk; }

    /**
     * {@inheritDoc}
     *
     * <p>Here the projection is kept doubled, {@code 2 K W_k}: the score evaluates {@code tanh(x)} as
     * {@code 2σ(2x) − 1}, and the doubling is then done once per source instead of once per query. On the CPU backend
     * ND4J's sigmoid is much faster than its tanh (measured on [64, 30, 512] floats, one thread: tanh 8.3 ms, sigmoid
     * 3.1 ms), and this [mb, Tk, a] non-linearity is the decoder's largest element-wise cost.
     */
    @Override
    public INDArray projectKeys(Map<String, INDArray> p, INDArray keys) {
        long mb = keys.size(0);
        long tk = keys.size(1);
        // 2 K W_k                                                      // [mb·Tk, dk] x [dk, a]
        return keys.reshape('c', mb * tk, dk).mmul(p.get(KEY_WEIGHTS)).muli(2.0).reshape('c', mb, tk, a);
    }

    /**
     * @param dest [mb, Tk, a] c-order receiving the result, or null for this score's scratch array {@code slot} (then
     *     valid until the next call that uses that slot)
     * @return {@code σ = σ(2 (W_q q + b + W_k k_j))} [mb, Tk, a]; the hidden layer is {@code tanh(W_q q + b + W_k k_j)
     *     = 2σ − 1}
     */
    private INDArray sigmoidLayer(Map<String, INDArray> p, INDArray query, INDArray projectedKeys, INDArray dest, int slot) {
        long mb = projectedKeys.size(0);
        long tk = projectedKeys.size(1);
        INDArray qp = query.mmul(p.get(QUERY_WEIGHTS));                                 // [mb, a]
        if (bias) {
            qp.addiRowVector(p.get(BIAS));
        }
        qp.muli(2.0);
        // pre[b, j, :] = 2 Kp[b, j, :] + 2 qp[b, :]                    // [mb, Tk, a] + [mb, a] along dims 0, 2
        INDArray pre = dest != null ? dest : scratch.get(slot, projectedKeys.dataType(), 'c', mb, tk, a);
        Nd4j.getExecutioner().exec(new BroadcastAddOp(projectedKeys, qp, pre, 0, 2));
        return Transforms.sigmoid(pre, false);
    }

    /** @return the effective v [a, 1]: v, or g · v / ‖v‖ */
    private INDArray effectiveV(Map<String, INDArray> p) {
        INDArray v = p.get(V);
        return weightNorm ? v.mul(p.get(GAIN).getDouble(0) / v.norm2Number().doubleValue()) : v;
    }

    @Override
    public long[] savedShape(long mb, long tk) {
        return new long[] {mb, tk, a};
    }

    @Override
    public INDArray score(Map<String, INDArray> p, INDArray query, INDArray projectedKeys) {
        return score(p, query, projectedKeys, null);
    }

    /** {@inheritDoc} Saves σ, the hidden layer being {@code 2σ − 1}. */
    @Override
    public INDArray score(Map<String, INDArray> p, INDArray query, INDArray projectedKeys, INDArray saved) {
        long mb = projectedKeys.size(0);
        long tk = projectedKeys.size(1);
        INDArray sig = sigmoidLayer(p, query, projectedKeys, saved, 0).reshape('c', mb * tk, a);
        INDArray v = effectiveV(p);
        // e = vᵀ (2σ − 1) = (2v)ᵀ σ − Σ v                               // [1, a] x [a, mb·Tk]
        INDArray e = Nd4j.createUninitialized(sig.dataType(), new long[] {1, mb * tk}, 'c');
        Nd4j.gemm(v.reshape(1, a).mul(2.0), sig, e, false, true, 1.0, 0.0);
        return e.subi(v.sumNumber()).reshape('c', mb, tk);
    }

    @Override
    public void backward(Map<String, INDArray> p, INDArray query, INDArray projectedKeys, INDArray dScores,
                         Map<String, INDArray> grads, INDArray dQuery, INDArray dProjectedKeys) {
        backward(p, query, projectedKeys, dScores, grads, dQuery, dProjectedKeys, null);
    }

    /**
     * {@inheritDoc}
     *
     * <p>{@code dProjectedKeys} accumulates {@code D = Σ dE ∘ σ(1 − σ)} over queries: the gradient at the (doubled)
     * projected keys is {@code 2 v ∘ D}, and {@link #backwardKeys} applies the factor and v once instead of once per
     * query.
     */
    @Override
    public void backward(Map<String, INDArray> p, INDArray query, INDArray projectedKeys, INDArray dScores,
                         Map<String, INDArray> grads, INDArray dQuery, INDArray dProjectedKeys, INDArray saved) {
        long mb = projectedKeys.size(0);
        long tk = projectedKeys.size(1);
        // σ [mb·Tk, a]: saved by the forward pass, or recomputed into scratch slot 1; G = σ(1 − σ) goes to slot 0
        INDArray sig = (saved != null ? saved : sigmoidLayer(p, query, projectedKeys, null, 1)).reshape('c', mb * tk, a);
        INDArray g = scratch.get(0, projectedKeys.dataType(), 'c', mb, tk, a).reshape('c', mb * tk, a);
        INDArray dE = dScores.dup('c').reshape('c', 1, mb * tk);                        // [1, mb·Tk]
        INDArray v = effectiveV(p);
        // dv_eff = (2σ − 1)ᵀ dE = 2 σᵀ dE − Σ dE                        // [1, mb·Tk] x [mb·Tk, a]
        INDArray dvEff = Nd4j.createUninitialized(sig.dataType(), new long[] {1, a}, 'c');
        Nd4j.gemm(dE, sig, dvEff, false, false, 2.0, 0.0);
        addVGradient(p, dvEff.subi(dE.sumNumber()).reshape(a, 1), grads);
        // G = σ − σ²                                                   // [mb·Tk, a]
        Nd4j.getExecutioner().exec(new MulOp(sig, sig, g));
        g.rsubi(sig);
        // Σ_j dE_j G_j                                                 // [mb, 1, Tk] x [mb, Tk, a]
        INDArray dGSum = Nd4j.matmul(dE.reshape('c', mb, 1, tk), g.reshape('c', mb, tk, a)).reshape('c', mb, a);
        // D += dE ∘ G
        dProjectedKeys.addi(g.muliColumnVector(dE.reshape('c', mb * tk, 1)).reshape('c', mb, tk, a));
        // dL/d(W_q q + b) = 4 v ∘ Σ_j dE_j G_j                          // [mb, a]
        INDArray dQp = dGSum.muliRowVector(v.reshape(1, a).mul(4.0));
        // dW_q += qᵀ dQp                                               // [dq, mb] x [mb, a]
        Nd4j.gemm(contiguous(query), dQp, grads.get(QUERY_WEIGHTS), true, false, 1.0, 1.0);
        if (bias) {
            grads.get(BIAS).addi(dQp.sum(true, 0));
        }
        // dq += dQp W_qᵀ                                               // [mb, a] x [a, dq]
        if (dQuery.elementWiseStride() == 1) {
            Nd4j.gemm(dQp, p.get(QUERY_WEIGHTS), dQuery, false, true, 1.0, 1.0);
        } else {
            dQuery.addi(dQp.mmul(p.get(QUERY_WEIGHTS).transpose()));
        }
    }

    private static INDArray contiguous(INDArray a) {
        return a.elementWiseStride() == 1 ? a : a.dup();
    }

    private void addVGradient(Map<String, INDArray> p, INDArray dvEff, Map<String, INDArray> grads) {
        if (!weightNorm) {
            grads.get(V).addi(dvEff);
            return;
        }
        INDArray v = p.get(V);
        double norm = v.norm2Number().doubleValue();
        double g = p.get(GAIN).getDouble(0);
        INDArray vHat = v.div(norm);
        double proj = dvEff.mul(vHat).sumNumber().doubleValue();                        // dv_eff · v̂
        grads.get(GAIN).addi(proj);                                                     // dg = dv_eff · v̂
        grads.get(V).addi(dvEff.sub(vHat.mul(proj)).muli(g / norm));                    // (g/‖v‖)(dv_eff − (dv_eff·v̂) v̂)
    }

    /**
     * {@inheritDoc}
     *
     * <p>{@code dProjectedKeys} is {@link #backward}'s accumulator D: the gradient at {@code 2 K W_k} is
     * {@code 2 v ∘ D}, so {@code dW_k = 4 (Kᵀ D) ∘ v} and {@code dK = 4 (D ∘ v) W_kᵀ = D (4 W_k ∘ v)ᵀ}.
     */
    @Override
    public INDArray backwardKeys(Map<String, INDArray> p, INDArray keys, INDArray dProjectedKeys,
                                 Map<String, INDArray> grads) {
        long mb = keys.size(0);
        long tk = keys.size(1);
        INDArray k = keys.reshape('c', mb * tk, dk);
        INDArray d = (dProjectedKeys.ordering() == 'c' && dProjectedKeys.elementWiseStride() == 1 ? dProjectedKeys
                : dProjectedKeys.dup('c')).reshape('c', mb * tk, a);                     // [mb·Tk, a]
        INDArray v4 = effectiveV(p).reshape(1, a).mul(4.0);                               // [1, a]
        // dW_k += 4 (Kᵀ D) ∘ v                                         // [dk, mb·Tk] x [mb·Tk, a]
        grads.get(KEY_WEIGHTS).addi(k.transpose().mmul(d).muliRowVector(v4));
        // dK = D (4 W_k ∘ v)ᵀ                                          // [mb·Tk, a] x [a, dk]
        return d.mmul(p.get(KEY_WEIGHTS).mulRowVector(v4).transpose()).reshape('c', mb, tk, dk);
    }
}
