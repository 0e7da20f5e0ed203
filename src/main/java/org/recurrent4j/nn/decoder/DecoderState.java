package org.recurrent4j.nn.decoder;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.recurrent4j.nn.engine.Nd4jViews;

/**
 * The recurrent state of the decoder between steps.
 *
 * @param state  [mb, n] the cell's output state s_t (h_t): the attention query, the input of the deep output
 * @param feed   [mb, n] the attentional output h̃_t fed to the next step (Luong input feeding), or null
 * @param memory [mb, n] the LSTM memory cell c_t, or null for cells without one (GRU, Elman)
 */
public record DecoderState(INDArray state, INDArray feed, INDArray memory) {

    /** A state without an LSTM memory cell. */
    public DecoderState(INDArray state, INDArray feed) {
        this(state, feed, null);
    }

    /** @return the state of the given rows, in that order (e.g. to reorder or tile beams); every part alike */
    public DecoderState selectRows(long[] rows) {
        return new DecoderState(select(state, rows), feed == null ? null : select(feed, rows),
                memory == null ? null : select(memory, rows));
    }

    static INDArray select(INDArray a, long[] rows) {
        return Nd4jViews.selectRows(a, rows);
    }
}
