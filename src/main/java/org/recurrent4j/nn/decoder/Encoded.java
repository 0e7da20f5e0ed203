package org.recurrent4j.nn.decoder;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.recurrent4j.nn.engine.Nd4jViews;

/**
 * What the decoder computes once per batch of source sentences, before the first step of step-wise decoding.
 *
 * @param values        [mb, Tx, dh] the annotations, c-order
 * @param mask          [mb, Tx] the source mask, or null
 * @param projectedKeys [mb, Tx, a] the attention's projected keys, c-order; null for attention NONE and for scores
 *                      without a projection (whose keys are the values)
 * @param fixedContext  [mb, dh] RNNenc's context tanh(h_T V) (attention NONE), else null
 * @param initialState  the state before the first step
 */
public record Encoded(INDArray values, INDArray mask, INDArray projectedKeys, INDArray fixedContext,
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
        return new Encoded(select3(values, rows), mask == null ? null : DecoderState.select(mask, rows),
                projectedKeys == null ? null : select3(projectedKeys, rows),
                fixedContext == null ? null : DecoderState.select(fixedContext, rows), initialState.selectRows(rows));
    }

    private static INDArray select3(INDArray a, long[] rows) {
        return Nd4jViews.selectRows(a, rows);
    }
}
