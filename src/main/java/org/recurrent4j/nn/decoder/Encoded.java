package org.recurrent4j.nn.decoder;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.recurrent4j.nn.attention.AttentionMemory;

/**
 * What the decoder computes once per batch of source sentences, before the first step.
 *
 * @param values       [mb, Tx, dh] the annotations, c-order
 * @param mask         [mb, Tx] the source mask, or null
 * @param memory       the attention memory (keys = values = annotations, keys projected once), or null for NONE
 * @param fixedContext [mb, dh] RNNenc's context tanh(h_T V) (attention NONE), else null
 * @param initialState the state before the first step
 */
public record Encoded(INDArray values, INDArray mask, AttentionMemory memory, INDArray fixedContext,
                      DecoderState initialState) {

    /** @return the minibatch size (number of rows) */
    public long size() {
        return values.size(0);
    }

    /** @return Tx, the source length */
    public long sourceLength() {
        return values.size(1);
    }

    /**
     * @param rows for each output row, the row it copies (e.g. {@code {0,0,0,1,1,1}} for 3 beams of 2 sentences)
     * @return the encoding of those rows; the initial state is selected alike
     */
    public Encoded selectRows(long[] rows) {
        AttentionMemory m = memory == null ? null : memory.selectRows(rows);
        INDArray v = m != null ? m.values() : values.get(new org.nd4j.linalg.indexing.SpecifiedIndex(rows),
                org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.all()).dup('c');
        INDArray msk = m != null ? m.mask() : mask == null ? null : DecoderState.select(mask, rows);
        return new Encoded(v, msk, m, fixedContext == null ? null : DecoderState.select(fixedContext, rows),
                initialState.selectRows(rows));
    }
}
