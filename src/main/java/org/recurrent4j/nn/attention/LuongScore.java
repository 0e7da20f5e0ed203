package org.recurrent4j.nn.attention;

import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.recurrent4j.nn.blas.BatchedGemv;

/**
 * Multiplicative and concat attention of Luong et al. 2015, with an optional learned scale {@code s}:
 * <pre>
 *   DOT      e_j = s · qᵀ k_j                 (dq = dk)
 *   GENERAL  e_j = s · qᵀ W k_j               W [dq, dk]; the projected keys are W k_j, once per source
 *   CONCAT   e_j = s · vᵀ tanh(W [q; k_j])    = the additive score without bias ({@link BahdanauScore})
 * </pre>
 * Parameters: {@code W} [dq, dk] (GENERAL); {@code Wq}, {@code Wk}, {@code v} (CONCAT, as {@link BahdanauScore});
 * {@code s} [1, 1] (if scaled).
 */
public final class LuongScore implements AttentionScore {
    /** The three score functions of Luong et al. 2015. */
    public enum Type { DOT, GENERAL, CONCAT }

    public static final String WEIGHTS = "W";
    public static final String SCALE = "s";

    private final Type type;
    private final long dq;
    private final long dk;
    private final boolean scaled;
    private final BahdanauScore concat;

    /**
     * @param type      DOT, GENERAL or CONCAT
     * @param querySize dq
     * @param keySize   dk (must equal dq for DOT)
     * @param attnSize  a, the hidden size of CONCAT (ignored otherwise)
     * @param scaled    whether to multiply the scores by a learned scalar s (initially 1)
     */
    public LuongScore(Type type, long querySize, long keySize, long attnSize, boolean scaled) {
        if (type == Type.DOT && querySize != keySize) {
            throw new IllegalArgumentException("LuongScore DOT: query size must equal key size; got query size "
                    + querySize + ", key size " + keySize + ". Use GENERAL or CONCAT for different sizes.");
        }
        this.type = type;
        this.dq = querySize;
        this.dk = keySize;
        this.scaled = scaled;
        this.concat = type == Type.CONCAT ? new BahdanauScore(querySize, keySize, attnSize, false, false) : null;
    }

    @Override
    public LinkedHashMap<String, long[]> paramShapes() {
        LinkedHashMap<String, long[]> m = concat != null ? concat.paramShapes() : new LinkedHashMap<>();
        if (type == Type.GENERAL) {
            m.put(WEIGHTS, new long[] {dq, dk});
        }
        if (scaled) {
            m.put(SCALE, new long[] {1, 1});
        }
        return m;
    }

    @Override
    public boolean isBias(String key) {
        return false;
    }

    @Override
    public void initParams(Map<String, INDArray> p) {
        if (concat != null) {
            concat.initParams(p);
        }
        if (type == Type.GENERAL) {
            ScoreParams.xavier(p.get(WEIGHTS), dq, dk);
        }
        if (scaled) {
            p.get(SCALE).assign(1);
        }
    }

    @Override public long querySize() { return dq; }
    @Override public long keySize() { return dk; }

    @Override
    public INDArray projectKeys(Map<String, INDArray> p, INDArray keys) {
        long mb = keys.size(0);
        long tk = keys.size(1);
        return switch (type) {
            case DOT -> keys;
            // W k_j for all j                                          // [mb·Tk, dk] x [dk, dq]
            case GENERAL -> keys.reshape('c', mb * tk, dk).mmul(p.get(WEIGHTS).transpose()).reshape('c', mb, tk, dq);
            case CONCAT -> concat.projectKeys(p, keys);
        };
    }

    @Override
    public INDArray prepareKeys(INDArray projectedKeys) {
        return type == Type.CONCAT ? concat.prepareKeys(projectedKeys) : null;
    }

    @Override
    public INDArray score(Map<String, INDArray> p, INDArray query, INDArray projectedKeys) {
        return score(p, query, projectedKeys, null, null);
    }

    @Override
    public INDArray score(Map<String, INDArray> p, INDArray query, INDArray projectedKeys, INDArray prepared,
                          INDArray saved) {
        INDArray e = rawScore(p, query, projectedKeys, prepared);
        return scaled ? e.muli(p.get(SCALE).getDouble(0)) : e;
    }

    /** @return the scores before the scale [mb, Tk] */
    private INDArray rawScore(Map<String, INDArray> p, INDArray query, INDArray projectedKeys, INDArray prepared) {
        return type == Type.CONCAT ? concat.score(p, query, projectedKeys, prepared, null) : dot(query, projectedKeys);
    }

    /** @return qᵀ k_j for all j [mb, Tk]; keys [mb, Tk, dq] */
    private static INDArray dot(INDArray query, INDArray keys) {
        long mb = keys.size(0);
        long tk = keys.size(1);
        // e[b] = K[b] q[b]                                             // [mb, Tk, dq] x [mb, dq]
        return BatchedGemv.gemv(keys, false, query, 1.0,
                Nd4j.createUninitialized(keys.dataType(), new long[] {mb, tk}, 'c'));
    }

    @Override
    public void backward(Map<String, INDArray> p, INDArray query, INDArray projectedKeys, INDArray dScores,
                         Map<String, INDArray> grads, INDArray dQuery, INDArray dProjectedKeys) {
        backward(p, query, projectedKeys, null, dScores, grads, dQuery, dProjectedKeys, null);
    }

    @Override
    public void backward(Map<String, INDArray> p, INDArray query, INDArray projectedKeys, INDArray prepared,
                         INDArray dScores, Map<String, INDArray> grads, INDArray dQuery, INDArray dProjectedKeys,
                         INDArray saved) {
        INDArray dE = dScores;
        if (scaled) {
            double s = p.get(SCALE).getDouble(0);
            INDArray raw = rawScore(p, query, projectedKeys, prepared);
            grads.get(SCALE).addi(raw.mul(dScores).sumNumber().doubleValue());          // ds = Σ dE ∘ e_raw
            dE = dScores.mul(s);
        }
        if (type == Type.CONCAT) {
            concat.backward(p, query, projectedKeys, prepared, dE, grads, dQuery, dProjectedKeys, null);
            return;
        }
        long mb = projectedKeys.size(0);
        long tk = projectedKeys.size(1);
        long d = projectedKeys.size(2);
        // dq += Σ_j dE_j k_j = K[b]ᵀ dE[b]                            // [mb, Tk, dq]ᵀ x [mb, Tk]
        dQuery.addi(BatchedGemv.gemv(projectedKeys, true, dE, 1.0,
                Nd4j.createUninitialized(dE.dataType(), new long[] {mb, d}, 'c')));
        // dk_j += dE_j q                                               // [mb, Tk, 1] x [mb, 1, dq]
        INDArray q = query.dup('c').reshape('c', mb, 1, d);
        dProjectedKeys.addi(Nd4j.matmul(dE.dup('c').reshape('c', mb, tk, 1), q));
    }

    @Override
    public void backwardKeys(Map<String, INDArray> p, INDArray keys, INDArray dProjectedKeys,
                             Map<String, INDArray> grads, INDArray dKeys) {
        long mb = keys.size(0);
        long tk = keys.size(1);
        switch (type) {
            case DOT -> dKeys.addi(dProjectedKeys);
            case GENERAL -> {
                INDArray k = keys.reshape('c', mb * tk, dk);
                INDArray dKp = dProjectedKeys.dup('c').reshape('c', mb * tk, dq);
                Nd4j.gemm(dKp, k, grads.get(WEIGHTS), true, false, 1.0, 1.0);           // dW += dKpᵀ K  [dq, dk]
                Nd4j.gemm(dKp, p.get(WEIGHTS), dKeys.reshape('c', mb * tk, dk), false, false, 1.0, 1.0);  // += dKp W
            }
            case CONCAT -> concat.backwardKeys(p, keys, dProjectedKeys, grads, dKeys);
        }
    }
}
