package org.recurrent4j.nn.decoder;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.SpecifiedIndex;

/**
 * The recurrent state of the decoder between steps.
 *
 * @param state [mb, n] the cell state s_t (h_t)
 * @param feed  [mb, n] the attentional output h̃_t fed to the next step (Luong input feeding), or null
 */
public record DecoderState(INDArray state, INDArray feed) {

    /** @return the state of the given rows, in that order (e.g. to reorder or tile beams) */
    public DecoderState selectRows(long[] rows) {
        return new DecoderState(select(state, rows), feed == null ? null : select(feed, rows));
    }

    static INDArray select(INDArray a, long[] rows) {
        return a.get(new SpecifiedIndex(rows), all()).dup('c');
    }
}
