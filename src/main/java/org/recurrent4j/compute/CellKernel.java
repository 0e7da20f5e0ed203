package org.recurrent4j.compute;

/**
 * The math of one recurrent cell, one time step at a time, batched over the minibatch, on a {@link ComputeEngine}.
 *
 * <p>A cell never sees the input directly: the caller projects the input of <em>all</em> time steps in one GEMM,
 * {@code xProj = x W + b} ([mb·T, G·n], G = {@link #gates()}), and hands the cell one step's rows. What depends on
 * the previous state (the recurrent GEMM and the element-wise gate math) is here, and only here: the sequence
 * layers, the attention decoder and step-wise decoding all call these methods, so the math exists once.
 *
 * <p>Backward, the cell writes per step the gradients at the input pre-activations ({@code dXProj}) and, where they
 * differ, at the recurrent pre-activations ({@code dRec}); the caller keeps them for all steps, and
 * {@link #recurrentWeightGradients} turns them into the recurrent weight gradients with one GEMM per block at the
 * end (instead of one small GEMM per step).
 *
 * <p>Shapes: {@code mb} minibatch, {@code n} = {@link #nOut()}, {@code S} = {@link #stateWidth()}, {@code C} =
 * {@link #cacheWidth()}. The state passed from step to step is [mb, S]; its first n columns are the cell's output h
 * (S = n for Elman and GRU; an LSTM passes {@code [h, c]}, S = 2n). A kernel keeps reusable scratch memory (a step
 * allocates nothing once it has run), so it is not thread-safe: one instance per layer or vertex.
 */
public interface CellKernel {

    /** @return n, the size of the hidden state */
    long nOut();

    /** @return S, the width of the state passed between steps (n, or 2n for an LSTM's [h, c]) */
    default long stateWidth() {
        return nOut();
    }

    /** @return G, the number of gate blocks in the input and recurrent weights ([nIn, G·n], [n, G·n]) */
    int gates();

    /** @return C, the number of values per example and step that {@link #backwardStep} needs */
    long cacheWidth();

    /**
     * @return whether the cache is the pre-activation {@code x_t W + b + h_{t−1} RW} [mb, G·n] itself, so that a
     *     caller may hand {@link #forwardStep} this step's input projection as the cache (the same memory): the cell
     *     then accumulates the recurrent product onto it in place instead of copying it first
     */
    default boolean cacheIsInputProjection() {
        return false;
    }

    /** @return whether the cell has a recurrent bias RB [1, G·n] besides the input bias */
    boolean hasRecurrentBias();

    /**
     * @return whether the gradient at the recurrent pre-activations differs from the one at the input
     *     pre-activations, so that the caller must keep a separate {@code dRec} [mb·T, G·n]
     */
    boolean separateRecurrentGradient();

    /**
     * One forward step.
     *
     * @param w     recurrent parameters
     * @param xProj [mb, G·n] this step's input projection {@code x_t W + b}
     * @param hPrev [mb, S] previous state
     * @param cache [mb, C] filled with what {@link #backwardStep} needs; null when not training; or xProj's memory
     *              when {@link #cacheIsInputProjection()}, training or not (xProj is overwritten then)
     * @param hNew  [mb, S] receives the new state (must not overlap hPrev)
     */
    void forwardStep(CellWeights w, Matrix xProj, Matrix hPrev, Matrix cache, Matrix hNew);

    /**
     * One backward step.
     *
     * @param w      recurrent parameters
     * @param dHNew  [mb, S] dL/dh_t, the gradient at this step's new state (read only)
     * @param hPrev  [mb, S] the previous state of the forward step
     * @param cache  [mb, C] the cache the forward step filled
     * @param dXProj [mb, G·n] receives dL/d(xProj_t)
     * @param dRec   [mb, G·n] receives dL/d(recurrent pre-activations) when {@link #separateRecurrentGradient()},
     *               else null
     * @param dHPrev [mb, S] dL/dh_{t−1} through this step is <em>added</em> to it
     */
    void backwardStep(CellWeights w, Matrix dHNew, Matrix hPrev, Matrix cache, Matrix dXProj, Matrix dRec,
                      Matrix dHPrev);

    /**
     * The recurrent weight (and bias) gradients of all steps at once, after the backward loop.
     *
     * @param hPrevAll  [N, n] previous outputs h (the first n columns of the previous states) of all steps, any ld
     * @param cacheAll  [N, C] caches of all steps
     * @param dXProjAll [N, G·n] gradients at the input pre-activations
     * @param dRecAll   [N, G·n] gradients at the recurrent pre-activations, or null
     * @param grads     receives dRW [n, G·n] (overwritten) and dRB [1, G·n] (overwritten, if any)
     */
    void recurrentWeightGradients(CellWeights w, Matrix hPrevAll, Matrix cacheAll, Matrix dXProjAll,
                                  Matrix dRecAll, CellWeights grads);
}
