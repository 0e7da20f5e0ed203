package org.recurrent4j.compute.attention;

import java.util.Map;
import org.recurrent4j.compute.ComputeEngine;
import org.recurrent4j.compute.Matrix;

/**
 * Luong et al. (2015)'s multiplicative scores: {@code dot} {@code e_j = qᵀ k_j} (dq = dk), and {@code general}
 * {@code e_j = qᵀ W k_j} with {@code W} [dq, dk], whose projected keys {@code W k_j} are computed once per source.
 * Per example b, with {@code K_b} the [Tk, dq] block of projected keys: {@code e_b = K_b q_b}; backward
 * {@code dq_b += K_bᵀ dE_b}, {@code dK_b += dE_b q_bᵀ}; keys (general) {@code dW += dKpᵀ K}, {@code dK += dKp W}.
 */
public final class DotScore implements ScoreFunction {
    public static final String WEIGHTS = "W";

    private final ComputeEngine engine;
    private final long keySize;
    private final long querySize;
    private final boolean general;

    /**
     * @param general whether the keys are projected by W ({@code general}); else {@code dot}
     */
    public DotScore(ComputeEngine engine, long querySize, long keySize, boolean general) {
        this.engine = engine;
        this.querySize = querySize;
        this.keySize = keySize;
        this.general = general;
    }

    @Override
    public long projectedKeySize() {
        return general ? querySize : keySize;
    }

    @Override
    public Matrix projectKeys(Map<String, Matrix> p, Matrix keys, Matrix out) {
        if (!general) {
            return keys;
        }
        // K Wᵀ                                                          // [mb·Tk, dk] x [dk, dq]
        engine.gemm(1, keys, false, p.get(WEIGHTS), true, 0, out);
        return out;
    }

    @Override
    public long savedWidth() {
        return 0;
    }

    @Override
    public void score(Map<String, Matrix> p, Matrix query, Matrix projectedKeys, Matrix scores, Matrix saved) {
        long mb = query.rows();
        long tk = scores.cols();
        // e_b = K_b q_b                                                 // [Tk, dq] x [dq, 1], per example
        engine.gemmBatched(mb, 1, firstRows(projectedKeys, tk), tk * projectedKeys.ld(), false, rowAsColumn(query),
                query.ld(), false, 0, rowAsColumn(scores), scores.ld());
    }

    @Override
    public void backward(Map<String, Matrix> p, Matrix query, Matrix projectedKeys, Matrix saved, Matrix dScores,
                         Map<String, Matrix> grads, Matrix dQuery, Matrix dProjectedKeys) {
        long mb = query.rows();
        long tk = dScores.cols();
        // dq_b += K_bᵀ dE_b                                             // [dq, Tk] x [Tk, 1]
        engine.gemmBatched(mb, 1, firstRows(projectedKeys, tk), tk * projectedKeys.ld(), true, rowAsColumn(dScores),
                dScores.ld(), false, 1, rowAsColumn(dQuery), dQuery.ld());
        // dK_b += dE_b q_bᵀ                                             // [Tk, 1] x [1, dq]
        engine.gemmBatched(mb, 1, rowAsColumn(dScores), dScores.ld(), false, firstRows(query, 1), query.ld(), false, 1,
                firstRows(dProjectedKeys, tk), tk * dProjectedKeys.ld());
    }

    @Override
    public void backwardKeys(Map<String, Matrix> p, Matrix keys, Matrix dProjectedKeys, Map<String, Matrix> grads,
                             Matrix dKeys) {
        if (!general) {
            engine.axpy(1, dProjectedKeys, dKeys);
            return;
        }
        // dW += dKpᵀ K; dK += dKp W                                     // [dq, mb·Tk] x [mb·Tk, dk]; [mb·Tk, dq] x [dq, dk]
        engine.gemm(1, dProjectedKeys, true, keys, false, 1, grads.get(WEIGHTS));
        engine.gemm(1, dProjectedKeys, false, p.get(WEIGHTS), false, 1, dKeys);
    }

    /**
     * @return row 0 of a row-major matrix as a column [cols, 1]; the batch's other rows follow at the matrix's ld
     *     (which the batched products below take as the stride between examples)
     */
    static Matrix rowAsColumn(Matrix m) {
        return firstRows(m, 1).transpose();
    }

    /**
     * @return rows [0, count) of a row-major matrix whose next rows follow at ld: the first example's block of a
     *     batch-major matrix, for the batched products (a column-major matrix has no such blocks: refused)
     */
    static Matrix firstRows(Matrix m, long count) {
        if (m.columnMajor() && m.rows() > 1) {
            throw new IllegalArgumentException("attention: batch-major matrices must be row-major; got " + m.describe());
        }
        return m.rows(0, count);
    }
}
