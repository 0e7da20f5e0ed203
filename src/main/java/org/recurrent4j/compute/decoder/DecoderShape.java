package org.recurrent4j.compute.decoder;

/**
 * The sizes and switches of an attention decoder.
 *
 * @param embeddingSize  e, the size of a step's target-side input
 * @param annotationSize dh, the size of an encoder annotation
 * @param nOut           n, the size of the decoder state
 * @param maxoutSize     l, the size of the deep (maxout) output, or 0 (the state is the output)
 * @param ordering       the order of attention and cell within a step
 * @param inputFeeding   whether h̃_{t−1} enters the next step (Luong ordering only)
 * @param initialState   how s_0 is made
 */
public record DecoderShape(long embeddingSize, long annotationSize, long nOut, long maxoutSize, Ordering ordering,
                           boolean inputFeeding, InitialState initialState) {

    /** The one real switch of the decoder: where attention sits in a step. */
    public enum Ordering {
        /** attend with s_{t−1}, then the cell; output s_t or the deep output (Bahdanau et al. 2014) */
        BAHDANAU,
        /** as BAHDANAU with a fixed context {@code c = tanh(h_T V)} instead of attention (RNNenc) */
        FIXED_CONTEXT,
        /** the cell, then attend with h_t; output {@code h̃_t = tanh([c_t; h_t] W_c)} (Luong et al. 2015) */
        LUONG
    }

    /** How the first state is made. */
    public enum InitialState {
        /** s_0 = 0 */
        ZERO,
        /** s_0 = a learned row {@code s0} */
        LEARNED,
        /** {@code s_0 = tanh(h←_1 W_s + b_s)}, h←_1 the second half of the first real annotation */
        BACKWARD_FIRST_ANNOTATION
    }

    /** @return the size of a step's output: l with a deep output, else n */
    public long outputSize() {
        return maxoutSize > 0 ? maxoutSize : nOut;
    }

    /** @return whether h̃ is fed to the next step */
    public boolean feeding() {
        return ordering == Ordering.LUONG && inputFeeding;
    }
}
