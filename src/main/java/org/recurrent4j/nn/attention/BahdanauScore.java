package org.recurrent4j.nn.attention;

import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastAddOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastMulOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.recurrent4j.nn.blas.BatchedGemv;
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
     *  backward, each [mb, Tk, a]; slots 2 and 3 {@code Kᵀ D} and {@code 4 W_k ∘ v} [dk, a] in {@link #backwardKeys}. */
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
     * The largest |x| of a factor {@code exp(−x)} for which the product form of the sigmoid (see
     * {@link #prepareKeys}) is exact up to rounding in this data type: the product of two factors stays a normal
     * number ({@code e^±2M} within float's e^±87, double's e^±708). Other types take the plain sigmoid.
     */
    private static double productFormLimit(DataType type) {
        return switch (type) {
            case FLOAT -> 43.0;
            case DOUBLE -> 354.0;
            default -> -1.0;
        };
    }

    /**
     * {@inheritDoc}
     *
     * <p>Here {@code exp(−2 K W_k)} [mb, Tk, a]: the hidden layer's sigmoid {@code σ(2(K W_k + W_q q + b))} is then
     * {@code 1 / (1 + exp(−2 K W_k) ∘ exp(−2 (W_q q + b)))}, so that a query evaluates {@code exp} on its own [mb, a]
     * only, and [mb, Tk, a] sees a broadcast multiply, an add and a reciprocal. On the CPU backend that is 1.2 ms
     * instead of ND4J's sigmoid at 5.9 ms on [64, 30, 512] floats (one thread, the AMD EPYC CI machine), the
     * largest element-wise cost of the decoder. Null (each query takes the plain sigmoid) when some |2 K W_k| exceeds
     * {@link #productFormLimit}, where a factor could overflow or underflow.
     */
    @Override
    public INDArray prepareKeys(INDArray projectedKeys) {
        double limit = productFormLimit(projectedKeys.dataType());
        if (limit < 0 || projectedKeys.amaxNumber().doubleValue() > limit) {
            return null;
        }
        return Transforms.exp(projectedKeys.neg(), false);                                 // [mb, Tk, a]
    }

    /**
     * @param prepared {@link #prepareKeys} of these projected keys, or null
     * @param dest     [mb, Tk, a] c-order receiving the result, or null for this score's scratch array {@code slot}
     *     (then valid until the next call that uses that slot)
     * @return {@code σ = σ(2 (W_q q + b + W_k k_j))} [mb, Tk, a]; the hidden layer is {@code tanh(W_q q + b + W_k k_j)
     *     = 2σ − 1}
     */
    private INDArray sigmoidLayer(Map<String, INDArray> p, INDArray query, INDArray projectedKeys, INDArray prepared,
                                  INDArray dest, int slot) {
        long mb = projectedKeys.size(0);
        long tk = projectedKeys.size(1);
        INDArray qp = query.mmul(p.get(QUERY_WEIGHTS));                                 // [mb, a]
        if (bias) {
            qp.addiRowVector(p.get(BIAS));
        }
        qp.muli(2.0);
        INDArray out = dest != null ? dest : scratch.get(slot, projectedKeys.dataType(), 'c', mb, tk, a);
        if (prepared != null && qp.amaxNumber().doubleValue() <= productFormLimit(qp.dataType())) {
            // σ = 1 / (1 + exp(−2 Kp) ∘ exp(−2 qp))                    // [mb, Tk, a] ∘ [mb, a] along dims 0, 2
            Nd4j.getExecutioner().exec(new BroadcastMulOp(prepared, Transforms.exp(qp.negi(), false), out, 0, 2));
            return out.addi(1.0).rdivi(1.0);
        }
        // pre[b, j, :] = 2 Kp[b, j, :] + 2 qp[b, :]                    // [mb, Tk, a] + [mb, a] along dims 0, 2
        Nd4j.getExecutioner().exec(new BroadcastAddOp(projectedKeys, qp, out, 0, 2));
        return Transforms.sigmoid(out, false);
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
        return score(p, query, projectedKeys, null, null);
    }

    /** {@inheritDoc} Saves σ, the hidden layer being {@code 2σ − 1}. */
    @Override
    public INDArray score(Map<String, INDArray> p, INDArray query, INDArray projectedKeys, INDArray prepared,
                          INDArray saved) {
        long mb = projectedKeys.size(0);
        long tk = projectedKeys.size(1);
        INDArray sig = sigmoidLayer(p, query, projectedKeys, prepared, saved, 0).reshape('c', mb * tk, a);
        INDArray v = effectiveV(p);
        // e = vᵀ (2σ − 1) = 2 σ v − Σ v                                 // [mb·Tk, a] x [a]
        INDArray e = Nd4j.createUninitialized(sig.dataType(), new long[] {1, mb * tk}, 'c');
        BatchedGemv.gemv(sig.reshape('c', 1, mb * tk, a), false, v.reshape(1, a), 2.0, e);
        return e.subi(v.sumNumber()).reshape('c', mb, tk);
    }

    @Override
    public void backward(Map<String, INDArray> p, INDArray query, INDArray projectedKeys, INDArray dScores,
                         Map<String, INDArray> grads, INDArray dQuery, INDArray dProjectedKeys) {
        backward(p, query, projectedKeys, null, dScores, grads, dQuery, dProjectedKeys, null);
    }

    /**
     * {@inheritDoc}
     *
     * <p>{@code dProjectedKeys} accumulates {@code D = Σ dE ∘ σ(1 − σ)} over queries: the gradient at the (doubled)
     * projected keys is {@code 2 v ∘ D}, and {@link #backwardKeys} applies the factor and v once instead of once per
     * query.
     */
    @Override
    public void backward(Map<String, INDArray> p, INDArray query, INDArray projectedKeys, INDArray prepared,
                         INDArray dScores, Map<String, INDArray> grads, INDArray dQuery, INDArray dProjectedKeys,
                         INDArray saved) {
        long mb = projectedKeys.size(0);
        long tk = projectedKeys.size(1);
        // σ [mb·Tk, a]: saved by the forward pass, or recomputed into scratch slot 1; G = σ(1 − σ) goes to slot 0
        INDArray sig = (saved != null ? saved : sigmoidLayer(p, query, projectedKeys, prepared, null, 1))
                .reshape('c', mb * tk, a);
        INDArray g = scratch.get(0, projectedKeys.dataType(), 'c', mb, tk, a).reshape('c', mb * tk, a);
        INDArray dE = dScores.dup('c').reshape('c', 1, mb * tk);                        // [1, mb·Tk]
        INDArray v = effectiveV(p);
        // dv_eff = (2σ − 1)ᵀ dE = 2 σᵀ dE − Σ dE                        // [mb·Tk, a]ᵀ x [mb·Tk]
        INDArray dvEff = Nd4j.createUninitialized(sig.dataType(), new long[] {1, a}, 'c');
        BatchedGemv.gemv(sig.reshape('c', 1, mb * tk, a), true, dE, 2.0, dvEff);
        addVGradient(p, dvEff.subi(dE.sumNumber()).reshape(a, 1), grads);
        // G = σ − σ²                                                   // [mb·Tk, a]
        Nd4j.getExecutioner().exec(new MulOp(sig, sig, g));
        g.rsubi(sig);
        // Σ_j dE_j G_j                                                 // [mb, Tk, a]ᵀ x [mb, Tk]
        INDArray dGSum = BatchedGemv.gemv(g.reshape('c', mb, tk, a), true, dE.reshape('c', mb, tk), 1.0,
                Nd4j.createUninitialized(g.dataType(), new long[] {mb, a}, 'c'));
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
    public void backwardKeys(Map<String, INDArray> p, INDArray keys, INDArray dProjectedKeys,
                             Map<String, INDArray> grads, INDArray dKeys) {
        long mb = keys.size(0);
        long tk = keys.size(1);
        DataType type = keys.dataType();
        INDArray k = keys.reshape('c', mb * tk, dk);
        INDArray d = (dProjectedKeys.ordering() == 'c' && dProjectedKeys.elementWiseStride() == 1 ? dProjectedKeys
                : dProjectedKeys.dup('c')).reshape('c', mb * tk, a);                     // [mb·Tk, a]
        INDArray v4 = effectiveV(p).reshape(1, a).mul(4.0);                               // [1, a]
        // dW_k += 4 (Kᵀ D) ∘ v                                         // [dk, mb·Tk] x [mb·Tk, a]
        INDArray kd = scratch.get(2, type, 'c', dk, a);
        Nd4j.gemm(k, d, kd, true, false, 1.0, 0.0);
        grads.get(KEY_WEIGHTS).addi(kd.muliRowVector(v4));
        // dK += D (4 W_k ∘ v)ᵀ                                         // [mb·Tk, a] x [a, dk]
        INDArray wv = scratch.get(3, type, 'c', dk, a).assign(p.get(KEY_WEIGHTS)).muliRowVector(v4);
        Nd4j.gemm(d, wv, dKeys.reshape('c', mb * tk, dk), false, true, 1.0, 1.0);
    }
}
