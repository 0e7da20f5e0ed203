package org.recurrent4j.compute.decoder;

import org.recurrent4j.compute.Matrix;
import org.recurrent4j.compute.attention.Memory;

/**
 * What the decoder computes once per batch of sources, before the first step, and what the backward pass needs of
 * it. The caller allocates every matrix; {@link DecoderSequence#encode} fills the computed ones. Rows of the
 * annotations are batch-major: row {@code b·Tx + j} is position j of example b.
 *
 * @param values        [mb·Tx, dh] the annotations (read)
 * @param mask          [mb, Tx] the source mask, or null (read)
 * @param firstRows     per example, the row of its first real annotation, or −1 when it has none (read)
 * @param lastRows      per example, the row of its last real annotation, or −1 (read)
 * @param projectedKeys [mb·Tx, a] the projected keys (attention; unused by scores without a projection), else null
 * @param fixedPre      [mb, dh] {@code h_T V} (fixed context), else null
 * @param fixedContext  [mb, dh] {@code tanh(h_T V)} (fixed context), else null
 * @param lastAnnotations [mb, dh] h_T (fixed context), else null
 * @param firstBackward [mb, dh/2] h←_1 (BACKWARD_FIRST_ANNOTATION), else null
 * @param initialPre    [mb, n] {@code h←_1 W_s + b_s} (BACKWARD_FIRST_ANNOTATION), else null
 * @param initialState  [mb, S] s_0 (an LSTM's memory c_0 = 0 in its second half)
 * @param initialFeed   [mb, n] h̃_0 = 0 (input feeding), else null
 * @param memory        set by {@link DecoderSequence#encode}: the attention memory, or null (fixed context)
 */
public record Encoding(Matrix values, Matrix mask, long[] firstRows, long[] lastRows, Matrix projectedKeys,
                       Matrix fixedPre, Matrix fixedContext, Matrix lastAnnotations, Matrix firstBackward,
                       Matrix initialPre, Matrix initialState, Matrix initialFeed, Memory memory) {

    /** @return mb */
    public long size() {
        return firstRows.length;
    }

    /** @return Tx */
    public long length() {
        return values.rows() / firstRows.length;
    }

    /** @return this encoding with its attention memory */
    Encoding withMemory(Memory m) {
        return new Encoding(values, mask, firstRows, lastRows, projectedKeys, fixedPre, fixedContext, lastAnnotations,
                firstBackward, initialPre, initialState, initialFeed, m);
    }
}
