package org.recurrent4j.compute.attention;

import java.util.Map;
import org.recurrent4j.compute.Buffers;
import org.recurrent4j.compute.ComputeEngine;
import org.recurrent4j.compute.Matrix;

/**
 * A score times a learned scalar {@code s} [1, 1] (parameter {@code "s"}): {@code e = s · e_raw}; backward
 * {@code ds += Σ dE ∘ e_raw} (e_raw recomputed), {@code dE_raw = s · dE}.
 */
public final class ScaledScore implements ScoreFunction {
    public static final String SCALE = "s";

    private final ComputeEngine engine;
    private final ScoreFunction inner;
    private final Buffers scratch;

    private enum Slot { RAW, D_RAW, SCALAR }

    public ScaledScore(ComputeEngine engine, ScoreFunction inner) {
        this.engine = engine;
        this.inner = inner;
        this.scratch = new Buffers(engine);
    }

    @Override
    public long projectedKeySize() {
        return inner.projectedKeySize();
    }

    @Override
    public Matrix projectKeys(Map<String, Matrix> p, Matrix keys, Matrix out) {
        return inner.projectKeys(p, keys, out);
    }

    @Override
    public long savedWidth() {
        return inner.savedWidth();
    }

    @Override
    public void score(Map<String, Matrix> p, Matrix query, Matrix projectedKeys, Matrix scores, Matrix saved) {
        inner.score(p, query, projectedKeys, scores, saved);
        engine.scale(scores, engine.sum(p.get(SCALE)));
    }

    @Override
    public void backward(Map<String, Matrix> p, Matrix query, Matrix projectedKeys, Matrix saved, Matrix dScores,
                         Map<String, Matrix> grads, Matrix dQuery, Matrix dProjectedKeys) {
        double s = engine.sum(p.get(SCALE));
        Matrix raw = scratch.matrix(Slot.RAW.ordinal(), dScores.precision(), dScores.rows(), dScores.cols());
        inner.score(p, query, projectedKeys, raw, null);
        Matrix ds = scratch.matrix(Slot.SCALAR.ordinal(), dScores.precision(), 1, 1);
        engine.fill(ds, engine.dot(dScores, raw));                                       // Σ dE ∘ e_raw
        engine.axpy(1, ds, grads.get(SCALE));
        Matrix dRaw = scratch.matrix(Slot.D_RAW.ordinal(), dScores.precision(), dScores.rows(), dScores.cols());
        engine.copy(dScores, dRaw);
        engine.scale(dRaw, s);
        inner.backward(p, query, projectedKeys, saved, dRaw, grads, dQuery, dProjectedKeys);
    }

    @Override
    public void backwardKeys(Map<String, Matrix> p, Matrix keys, Matrix dProjectedKeys, Map<String, Matrix> grads,
                             Matrix dKeys) {
        inner.backwardKeys(p, keys, dProjectedKeys, grads, dKeys);
    }
}
