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
        engine.gemmBatched(mb, 1, projectedKeys.rows(0, tk), tk * projectedKeys.ld(), false, rowAsColumn(query),
                query.ld(), false, 0, rowAsColumn(scores), scores.ld());
    }

    @Override
    public void backward(Map<String, Matrix> p, Matrix query, Matrix projectedKeys, Matrix saved, Matrix dScores,
                         Map<String, Matrix> grads, Matrix dQuery, Matrix dProjectedKeys) {
        long mb = query.rows();
        long tk = dScores.cols();
        // dq_b += K_bᵀ dE_b                                             // [dq, Tk] x [Tk, 1]
        engine.gemmBatched(mb, 1, projectedKeys.rows(0, tk), tk * projectedKeys.ld(), true, rowAsColumn(dScores),
                dScores.ld(), false, 1, rowAsColumn(dQuery), dQuery.ld());
        // dK_b += dE_b q_bᵀ                                             // [Tk, 1] x [1, dq]
        engine.gemmBatched(mb, 1, rowAsColumn(dScores), dScores.ld(), false, query.rows(0, 1), query.ld(), false, 1,
                dProjectedKeys.rows(0, tk), tk * dProjectedKeys.ld());
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

    /** @return row 0 of a matrix as a column [cols, 1] (rows of the batch follow at the matrix's ld) */
    static Matrix rowAsColumn(Matrix m) {
        return m.rows(0, 1).transpose();
    }
}
