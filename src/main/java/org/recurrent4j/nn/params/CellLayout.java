package org.recurrent4j.nn.params;

import org.nd4j.linalg.activations.IActivation;
import org.recurrent4j.compute.CellKernel;
import org.recurrent4j.compute.ComputeEngine;
import org.recurrent4j.compute.ElmanKernel;
import org.recurrent4j.compute.GruKernel;
import org.recurrent4j.compute.LstmKernel;
import org.recurrent4j.nn.engine.Engines;
import org.recurrent4j.nn.engine.Nd4jActivation;

/**
 * A recurrent cell as plain values, built by a configuration and handed to the layer, its parameter initializer or
 * the decoder. What the parameters of a cell look like (G gate blocks, a recurrent bias or not, the cache per step)
 * is asked of the cell's kernel, the one place that knows it.
 *
 * @param kind       the cell's math
 * @param nOut       n, the size of the hidden state
 * @param activation f of an Elman cell; null for the others (their activations are fixed)
 * @param resetAfter the GRU variant (cuDNN's, with a recurrent bias); false for the others
 */
public record CellLayout(Kind kind, long nOut, IActivation activation, boolean resetAfter) {

    /** The cells. */
    public enum Kind { ELMAN, GRU, LSTM }

    /** @return an Elman cell {@code h' = f(x W + b + h RW)} */
    public static CellLayout elman(long nOut, IActivation activation) {
        return new CellLayout(Kind.ELMAN, nOut, activation, false);
    }

    /** @return a GRU cell, the papers' form or (resetAfter) cuDNN's */
    public static CellLayout gru(long nOut, boolean resetAfter) {
        return new CellLayout(Kind.GRU, nOut, null, resetAfter);
    }

    /** @return an LSTM cell without peepholes, DL4J {@code LSTM}'s gate order */
    public static CellLayout lstm(long nOut) {
        return new CellLayout(Kind.LSTM, nOut, null, false);
    }

    /** @return the cell's math on an engine (a new instance: it keeps scratch memory) */
    public CellKernel create(ComputeEngine engine) {
        return switch (kind) {
            case ELMAN -> new ElmanKernel(engine, nOut, Nd4jActivation.of(engine, activation));
            case GRU -> new GruKernel(engine, nOut, resetAfter);
            case LSTM -> new LstmKernel(engine, nOut);
        };
    }

    /** @return G, the number of gate blocks in W [nIn, G·n], RW [n, G·n] and b [1, G·n] */
    public int gates() {
        return kernel().gates();
    }

    /** @return whether the cell has a recurrent bias RB [1, G·n] */
    public boolean hasRecurrentBias() {
        return kernel().hasRecurrentBias();
    }

    /** @return the number of values per example and step the backward pass keeps */
    public long cacheWidth() {
        return kernel().cacheWidth();
    }

    private CellKernel kernel() {
        return create(Engines.current());
    }
}
