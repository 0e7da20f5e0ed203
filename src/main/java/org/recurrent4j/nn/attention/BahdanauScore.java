package org.recurrent4j.nn.attention;

import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastAddOp;
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
    /** Slot 0: the hidden layer [mb, Tk, a], reused by every score and backward call (not thread-safe). */
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

    @Override
    public INDArray projectKeys(Map<String, INDArray> p, INDArray keys) {
        long mb = keys.size(0);
        long tk = keys.size(1);
        // K W_k                                                        // [mb·Tk, dk] x [dk, a]
        return keys.reshape('c', mb * tk, dk).mmul(p.get(KEY_WEIGHTS)).reshape('c', mb, tk, a);
    }

    /**
     * @param dest [mb, Tk, a] c-order receiving the result, or null for this score's scratch array (then valid until
     *     the next call of {@link #score} or {@link #backward})
     * @return tanh(W_q q + b + W_k k_j) [mb, Tk, a]
     */
    private INDArray hidden(Map<String, INDArray> p, INDArray query, INDArray projectedKeys, INDArray dest) {
        long mb = projectedKeys.size(0);
        long tk = projectedKeys.size(1);
        INDArray qp = query.mmul(p.get(QUERY_WEIGHTS));                                 // [mb, a]
        if (bias) {
            qp.addiRowVector(p.get(BIAS));
        }
        // pre[b, j, :] = Kp[b, j, :] + qp[b, :]                        // [mb, Tk, a] + [mb, a] along dims 0, 2
        INDArray pre = dest != null ? dest : scratch.get(0, projectedKeys.dataType(), 'c', mb, tk, a);
        Nd4j.getExecutioner().exec(new BroadcastAddOp(projectedKeys, qp, pre, 0, 2));
        return tanhInPlace(pre);
    }

    /**
     * tanh(x) = 2σ(2x) − 1, in place. On the CPU backend ND4J's sigmoid is much faster than its tanh (measured on
     * [64, 30, 512] floats, one thread: tanh 8.3 ms, sigmoid 3.4 ms, a scalar multiply 0.2 ms), and this
     * [mb, Tk, a] tanh is the decoder's largest element-wise cost. Absolute error ≈ the data type's epsilon.
     */
    static INDArray tanhInPlace(INDArray x) {
        return Transforms.sigmoid(x.muli(2.0), false).muli(2.0).subi(1.0);
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

    @Override
    public INDArray score(Map<String, INDArray> p, INDArray query, INDArray projectedKeys, INDArray saved) {
        long mb = projectedKeys.size(0);
        long tk = projectedKeys.size(1);
        INDArray h = hidden(p, query, projectedKeys, saved);                           // [mb, Tk, a]
        return h.reshape('c', mb * tk, a).mmul(effectiveV(p)).reshape('c', mb, tk);     // [mb·Tk, a] x [a, 1]
    }

    @Override
    public void backward(Map<String, INDArray> p, INDArray query, INDArray projectedKeys, INDArray dScores,
                         Map<String, INDArray> grads, INDArray dQuery, INDArray dProjectedKeys) {
        backward(p, query, projectedKeys, dScores, grads, dQuery, dProjectedKeys, null);
    }

    @Override
    public void backward(Map<String, INDArray> p, INDArray query, INDArray projectedKeys, INDArray dScores,
                         Map<String, INDArray> grads, INDArray dQuery, INDArray dProjectedKeys, INDArray saved) {
        long mb = projectedKeys.size(0);
        long tk = projectedKeys.size(1);
        // H [mb·Tk, a]: saved by the forward pass, or recomputed; work then goes on in the scratch array
        INDArray work = scratch.get(0, projectedKeys.dataType(), 'c', mb, tk, a).reshape('c', mb * tk, a);
        INDArray h = saved != null ? saved.reshape('c', mb * tk, a) : hidden(p, query, projectedKeys, null).reshape('c', mb * tk, a);
        INDArray dE = dScores.dup('c').reshape('c', mb * tk, 1);                        // [mb·Tk, 1]
        INDArray v = effectiveV(p);
        // dv_eff = Hᵀ dE                                               // [a, mb·Tk] x [mb·Tk, 1]
        INDArray dvEff = h.transpose().mmul(dE);
        addVGradient(p, dvEff, grads);
        // dPre = (dE vᵀ) ∘ (1 − H²), in the scratch array                 // [mb·Tk, a]
        if (saved != null) {
            work.assign(h);
        }
        INDArray dPre = work.muli(work).rsubi(1.0).muliColumnVector(dE).muliRowVector(v.reshape(1, a));
        dProjectedKeys.addi(dPre.reshape('c', mb, tk, a));
        INDArray dQp = dPre.reshape('c', mb, tk, a).sum(1);                             // [mb, a]
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

    @Override
    public INDArray backwardKeys(Map<String, INDArray> p, INDArray keys, INDArray dProjectedKeys,
                                 Map<String, INDArray> grads) {
        long mb = keys.size(0);
        long tk = keys.size(1);
        INDArray k = keys.reshape('c', mb * tk, dk);
        INDArray dKp = dProjectedKeys.dup('c').reshape('c', mb * tk, a);
        Nd4j.gemm(k, dKp, grads.get(KEY_WEIGHTS), true, false, 1.0, 1.0);               // dW_k += Kᵀ dKp
        return dKp.mmul(p.get(KEY_WEIGHTS).transpose()).reshape('c', mb, tk, dk);       // [mb·Tk, a] x [a, dk]
    }
}
