package org.recurrent4j.nn.attention;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.blas.params.MMulTranspose;
import org.nd4j.linalg.api.ops.impl.reduce.Mmul;
import org.nd4j.linalg.factory.Nd4j;
import org.recurrent4j.nn.blas.BatchedGemv;

/**
 * Attention for one query per example: score against the memory, masked softmax, weighted sum of the values.
 * <pre>
 *   e_j = score(q, k_j)      α = maskedSoftmax(e)      c = Σ_j α_j v_j
 * </pre>
 * Used by the attention vertices (one call per query position) and by the attention decoder (one call per step).
 * Backward accumulates into {@link MemoryGradients} over queries; {@link #backwardMemory} finishes it once.
 */
public final class Attention {
    private final AttentionScore score;

    public Attention(AttentionScore score) {
        this.score = score;
    }

    /** @return the shape of what {@link #attend(Map, AttentionMemory, INDArray, INDArray)} can save, or null */
    public long[] savedShape(long mb, long tk) {
        return score.savedShape(mb, tk);
    }

    /** @return the score function */
    public AttentionScore score() {
        return score;
    }

    /** The attention weights and context of one query. α [mb, Tk], context [mb, dv]. */
    public record Result(INDArray alpha, INDArray context) {
    }

    /**
     * Gradients at the memory, accumulated over queries: projected keys [mb, Tk, a], values [mb, Tk, dv] — or null
     * when the caller accumulates the values' gradient {@code Σ_queries α_j dc} itself (e.g. for all queries at once
     * with {@link #addWeightedSumGradients}).
     */
    public record MemoryGradients(INDArray dProjectedKeys, INDArray dValues) {
        /** @return zero gradients shaped like the memory */
        public static MemoryGradients zeros(AttentionMemory m) {
            return new MemoryGradients(Nd4j.zeros(m.projectedKeys().dataType(), m.projectedKeys().shape()),
                    Nd4j.zeros(m.values().dataType(), m.values().shape()));
        }
    }

    /**
     * Prepares the memory: projects the keys once.
     *
     * @param keys   [mb, Tk, dk]
     * @param values [mb, Tk, dv], or null for values = keys
     * @param mask   [mb, Tk], or null
     */
    public AttentionMemory memory(Map<String, INDArray> params, INDArray keys, INDArray values, INDArray mask) {
        INDArray k = plainC(keys);
        INDArray v = values == null ? k : plainC(values);
        INDArray projected = score.projectKeys(params, k);
        return new AttentionMemory(k, v, projected, mask, score.prepareKeys(projected));
    }

    /** @return the array itself when it is a plain c-order array (it is only read), else a c-order copy */
    private static INDArray plainC(INDArray a) {
        return a.ordering() == 'c' && !a.isView() && org.nd4j.linalg.api.shape.Shape.hasDefaultStridesForShape(a) ? a : a.dup('c');
    }

    /**
     * @param query [mb, dq]
     * @return α [mb, Tk] (exactly 0 at padded positions; all 0 for an all-padded row) and context [mb, dv]
     */
    public Result attend(Map<String, INDArray> params, AttentionMemory memory, INDArray query) {
        return attend(params, memory, query, null);
    }

    /**
     * {@link #attend(Map, AttentionMemory, INDArray)}, saving what the score's backward pass needs.
     *
     * @param saved an array of the score's {@link AttentionScore#savedShape} (filled here), or null
     */
    public Result attend(Map<String, INDArray> params, AttentionMemory memory, INDArray query, INDArray saved) {
        INDArray e = score.score(params, query, memory.projectedKeys(), memory.preparedKeys(), saved);   // [mb, Tk]
        INDArray alpha = MaskedSoftmax.forward(e, memory.mask());                       // [mb, Tk]
        return new Result(alpha, weightedSum(alpha, memory.values()));
    }

    /** @return c = Σ_j α_j v_j [mb, dv]; α [mb, Tk], values [mb, Tk, dv] */
    public static INDArray weightedSum(INDArray alpha, INDArray values) {
        long mb = values.size(0);
        INDArray c = Nd4j.createUninitialized(values.dataType(), new long[] {mb, values.size(2)}, 'c');
        return BatchedGemv.gemv(values, true, alpha, 1.0, c);                          // c[b] = V[b]ᵀ α[b]
    }

    /**
     * Backward of {@link #attend} for one query.
     *
     * @param alpha    [mb, Tk] the forward weights
     * @param dContext [mb, dv] dL/dc
     * @param grads    score parameter gradients, added to
     * @param dQuery   [mb, dq], dL/dq added to
     * @param memGrads gradients at the memory, added to
     */
    public void backward(Map<String, INDArray> params, AttentionMemory memory, INDArray query, INDArray alpha,
                         INDArray dContext, Map<String, INDArray> grads, INDArray dQuery, MemoryGradients memGrads) {
        backward(params, memory, query, alpha, dContext, grads, dQuery, memGrads, null);
    }

    /** {@link #backward(Map, AttentionMemory, INDArray, INDArray, INDArray, Map, INDArray, MemoryGradients)} with
     * what {@link #attend(Map, AttentionMemory, INDArray, INDArray)} saved (or null: recompute). */
    public void backward(Map<String, INDArray> params, AttentionMemory memory, INDArray query, INDArray alpha,
                         INDArray dContext, Map<String, INDArray> grads, INDArray dQuery, MemoryGradients memGrads,
                         INDArray saved) {
        long mb = memory.size();
        long tk = memory.length();
        // dα_j = v_j · dc                                              // [mb, Tk, dv] x [mb, dv]
        INDArray dAlpha = BatchedGemv.gemv(memory.values(), false, dContext, 1.0,
                Nd4j.createUninitialized(dContext.dataType(), new long[] {mb, tk}, 'c'));
        if (memGrads.dValues() != null) {
            // dv_j += α_j dc                                           // [mb, Tk, 1] x [mb, 1, dv]
            addWeightedSumGradient(alpha, dContext, memGrads.dValues());
        }
        INDArray dE = MaskedSoftmax.backward(alpha, dAlpha);                            // [mb, Tk]
        score.backward(params, query, memory.projectedKeys(), memory.preparedKeys(), dE, grads, dQuery,
                memGrads.dProjectedKeys(), saved);
    }

    /**
     * Backward of {@link #weightedSum} at the values: {@code dv_j += α_j dc}.
     *
     * @param alpha   [mb, Tk]
     * @param dSum    [mb, dv] dL/d(weighted sum)
     * @param dValues [mb, Tk, dv] c-order, added to
     */
    public static void addWeightedSumGradient(INDArray alpha, INDArray dSum, INDArray dValues) {
        long mb = dValues.size(0);
        long tk = dValues.size(1);
        long dv = dValues.size(2);
        // [mb, Tk, 1] x [mb, 1, dv]
        dValues.addi(Nd4j.matmul(alpha.dup('c').reshape('c', mb, tk, 1), dSum.dup('c').reshape('c', mb, 1, dv)));
    }

    /**
     * Backward of {@link #weightedSum} for T queries at once: {@code dv_j += Σ_t α_tj dc_t}, one batched GEMM that
     * accumulates into {@code dValues} (no copies: transposing α is the GEMM's flag).
     *
     * @param alphas  [mb, T, Tk] the weights of every query
     * @param dSums   [mb, T, dv] dL/d(weighted sum) of every query, c-order contiguous
     * @param dValues [mb, Tk, dv] c-order contiguous, added to
     */
    public static void addWeightedSumGradients(INDArray alphas, INDArray dSums, INDArray dValues) {
        // dValues += alphasᵀ dSums                                     // [mb, Tk, T] x [mb, T, dv]
        Nd4j.exec(new Mmul(alphas, dSums, dValues, 1.0, 1.0, MMulTranspose.builder().transposeA(true).build()));
    }

    /**
     * Finishes the backward pass at the memory: adds dL/dkeys to {@code dKeys}. When the values are the keys (the
     * same array), their accumulated gradient is added there too.
     *
     * @param dKeys [mb, Tk, dk] c-order contiguous, added to
     * @return dL/dvalues [mb, Tk, dv] when the values are a separate array (null if the caller accumulates it), else
     *     null
     */
    public INDArray backwardMemory(Map<String, INDArray> params, AttentionMemory memory, MemoryGradients memGrads,
                                   Map<String, INDArray> grads, INDArray dKeys) {
        score.backwardKeys(params, memory.keys(), memGrads.dProjectedKeys(), grads, dKeys);
        if (memory.values() == memory.keys()) {
            if (memGrads.dValues() != null) {
                dKeys.addi(memGrads.dValues());
            }
            return null;
        }
        return memGrads.dValues();
    }
}
