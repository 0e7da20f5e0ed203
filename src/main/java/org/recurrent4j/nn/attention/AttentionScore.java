package org.recurrent4j.nn.attention;

import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One attention score function {@code e_j = score(q, k_j)}, batched over the minibatch, for one query per example.
 *
 * <p>The keys of a source sentence are projected once ({@link #projectKeys}); every query then scores against the
 * projected keys ({@link #score}). Backward mirrors this: {@link #backward} per query accumulates the gradient at the
 * projected keys, and {@link #backwardKeys} turns it into the key-projection weight gradient and the gradient at the
 * keys once, at the end.
 *
 * <p>Parameters are views the caller owns, under the keys of {@link #paramShapes()} (local names such as
 * {@code "Wq"}); gradient maps have the same keys. Every gradient method <em>adds</em> to its outputs, so the caller
 * zeroes them once and accumulates over queries. Implementations keep no state between calls except reusable
 * scratch arrays, so one instance serves one layer or vertex at a time (not thread-safe).
 */
public interface AttentionScore {

    /** @return parameter key → shape, in the order of the flat parameter view */
    LinkedHashMap<String, long[]> paramShapes();

    /** @return whether the parameter is a bias (no regularisation, bias updater) */
    boolean isBias(String key);

    /** Initialises the parameter views (weights Xavier-uniform, biases 0, gains and scales 1). */
    void initParams(Map<String, INDArray> params);

    /** @return the size of a query this score accepts */
    long querySize();

    /** @return the size of a key this score accepts */
    long keySize();

    /**
     * @param keys [mb, Tk, dk] c-order
     * @return the projected keys [mb, Tk, a] (a = projection size; the keys themselves for dot scores), in the score's
     *     own representation: callers pass them back to this score and may select rows, nothing else
     */
    INDArray projectKeys(Map<String, INDArray> params, INDArray keys);

    /**
     * Precomputes, once per memory, what makes every query's score cheaper (Bahdanau: {@code exp} of the projected
     * keys, so that no query evaluates a transcendental function on [mb, Tk, a]).
     *
     * @param projectedKeys [mb, Tk, a] from {@link #projectKeys}
     * @return an array to pass back as {@code prepared} to this score's methods (rows may be selected as for the
     *     projected keys), or null when the score has nothing to precompute or the keys are outside the range where
     *     the precomputed form is exact; null is always a valid argument
     */
    default INDArray prepareKeys(INDArray projectedKeys) {
        return null;
    }

    /**
     * @param query         [mb, dq]
     * @param projectedKeys [mb, Tk, a] from {@link #projectKeys}
     * @return the scores [mb, Tk] (unmasked)
     */
    INDArray score(Map<String, INDArray> params, INDArray query, INDArray projectedKeys);

    /**
     * @return the shape of what {@link #score(Map, INDArray, INDArray, INDArray)} can save so that the backward pass
     *     need not recompute it (additive scores: their hidden layer [mb, Tk, a], in the score's own form), or null
     *     when there is nothing worth saving
     */
    default long[] savedShape(long mb, long tk) {
        return null;
    }

    /**
     * {@link #score(Map, INDArray, INDArray)}, also writing what the backward pass needs into {@code saved}.
     *
     * @param prepared what {@link #prepareKeys} returned for these projected keys, or null
     * @param saved    an array of {@link #savedShape}, c-order, filled here; or null (nothing saved)
     */
    default INDArray score(Map<String, INDArray> params, INDArray query, INDArray projectedKeys, INDArray prepared,
                           INDArray saved) {
        return score(params, query, projectedKeys);
    }

    /**
     * {@link #backward(Map, INDArray, INDArray, INDArray, Map, INDArray, INDArray)} with what the forward
     * {@link #score(Map, INDArray, INDArray, INDArray, INDArray)} saved (read only), or recomputing it when
     * {@code saved} is null ({@code prepared}: as there).
     */
    default void backward(Map<String, INDArray> params, INDArray query, INDArray projectedKeys, INDArray prepared,
                          INDArray dScores, Map<String, INDArray> grads, INDArray dQuery, INDArray dProjectedKeys,
                          INDArray saved) {
        backward(params, query, projectedKeys, dScores, grads, dQuery, dProjectedKeys);
    }

    /**
     * Backward of {@link #score} for one query.
     *
     * @param dScores        [mb, Tk] dL/de
     * @param grads          parameter gradients, added to
     * @param dQuery         [mb, dq], dL/dq added to
     * @param dProjectedKeys [mb, Tk, a] c-order, the score's accumulator for the gradient at the projected keys, added
     *     to (dL/d(projected keys), or a form of it that {@link #backwardKeys} finishes once)
     */
    void backward(Map<String, INDArray> params, INDArray query, INDArray projectedKeys, INDArray dScores,
                  Map<String, INDArray> grads, INDArray dQuery, INDArray dProjectedKeys);

    /**
     * Backward of {@link #projectKeys}.
     *
     * @param keys           [mb, Tk, dk] c-order
     * @param dProjectedKeys [mb, Tk, a] what {@link #backward} accumulated
     * @param grads          parameter gradients, added to
     * @param dKeys          [mb, Tk, dk] c-order contiguous, dL/dkeys added to
     */
    void backwardKeys(Map<String, INDArray> params, INDArray keys, INDArray dProjectedKeys,
                      Map<String, INDArray> grads, INDArray dKeys);
}
