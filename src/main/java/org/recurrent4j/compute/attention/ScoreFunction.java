package org.recurrent4j.compute.attention;

import java.util.Map;
import org.recurrent4j.compute.Matrix;

/**
 * An attention score {@code e_j = score(q, k_j)} on a {@code ComputeEngine}, batched over the minibatch, one query per
 * example. Keys come in batch-major rows: row {@code b·Tk + j} is position j of example b.
 *
 * <p>The keys of a source are projected once ({@link #projectKeys}); every query then scores against the projected
 * keys ({@link #score}). Backward mirrors this: {@link #backward} per query accumulates the gradient at the projected
 * keys, and {@link #backwardKeys} turns it into the key-projection gradients and the gradient at the keys once.
 *
 * <p>Parameters and gradients are maps from the keys of the score's parameter layout (e.g. {@code "Wq"}) to matrices;
 * every gradient method <em>adds</em> to its outputs. An instance keeps scratch memory, so it serves one layer or
 * vertex at a time (not thread-safe).
 */
public interface ScoreFunction {

    /** @return the width of the projected keys (the additive score's hidden size, the keys' size for dot scores) */
    long projectedKeySize();

    /**
     * @param keys [mb·Tk, dk]
     * @param out  [mb·Tk, {@link #projectedKeySize()}] receives the projection, unless the score has none
     * @return the projected keys: {@code out}, or {@code keys} itself when the score does not project them
     */
    Matrix projectKeys(Map<String, Matrix> p, Matrix keys, Matrix out);

    /** @return the columns per source position that {@link #score} saves for the backward pass (0: nothing) */
    long savedWidth();

    /**
     * @param query         [mb, dq]
     * @param projectedKeys [mb·Tk, a] from {@link #projectKeys}
     * @param scores        [mb, Tk] receives the scores (unmasked)
     * @param saved         [mb·Tk, {@link #savedWidth()}] receives what {@link #backward} needs, or null (then it
     *                      recomputes it)
     */
    void score(Map<String, Matrix> p, Matrix query, Matrix projectedKeys, Matrix scores, Matrix saved);

    /**
     * Backward of {@link #score} for one query.
     *
     * @param saved          what the forward call saved, or null
     * @param dScores        [mb, Tk] dL/de
     * @param grads          parameter gradients, added to
     * @param dQuery         [mb, dq], dL/dq added to
     * @param dProjectedKeys [mb·Tk, a], dL/d(projected keys) added to
     */
    void backward(Map<String, Matrix> p, Matrix query, Matrix projectedKeys, Matrix saved, Matrix dScores,
                  Map<String, Matrix> grads, Matrix dQuery, Matrix dProjectedKeys);

    /**
     * Backward of {@link #projectKeys}.
     *
     * @param keys           [mb·Tk, dk]
     * @param dProjectedKeys [mb·Tk, a] what {@link #backward} accumulated
     * @param grads          parameter gradients, added to
     * @param dKeys          [mb·Tk, dk], dL/dkeys added to
     */
    void backwardKeys(Map<String, Matrix> p, Matrix keys, Matrix dProjectedKeys, Map<String, Matrix> grads,
                      Matrix dKeys);
}
