package org.recurrent4j.lm;

import java.util.Locale;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.nd4j.linalg.activations.Activation;
import org.recurrent4j.conf.ElmanRnn;
import org.recurrent4j.conf.Gru;

/** The recurrent cell of a character language model, with its layer configuration and parameter count. */
public enum CellType {
    /** Our {@link Gru} (papers' form, {@code resetAfter(false)}): 3 gate blocks. */
    GRU(3),
    /** Our {@link ElmanRnn} with tanh: 1 block. */
    ELMAN(1),
    /** DL4J's {@link LSTM} (no peepholes), tanh: 4 gate blocks. */
    LSTM(4);

    private final int blocks;

    CellType(int blocks) {
        this.blocks = blocks;
    }

    /** Parses {@code gru}, {@code elman} or {@code lstm} (any case). */
    public static CellType parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("CellType: expected gru, elman or lstm, got '" + name + "'");
        }
    }

    /** @return a recurrent layer configuration {@code nIn → n} */
    public Layer layer(long nIn, long n) {
        return switch (this) {
            case GRU -> new Gru.Builder().nIn(nIn).nOut(n).build();
            case ELMAN -> new ElmanRnn.Builder().nIn(nIn).nOut(n).activation(Activation.TANH).build();
            case LSTM -> new org.deeplearning4j.nn.conf.layers.LSTM.Builder().nIn(nIn).nOut(n)
                    .activation(Activation.TANH).build();
        };
    }

    /** @return parameters of one recurrent layer {@code nIn → n}: {@code G·(nIn·n + n² + n)} for G gate blocks */
    public long recurrentParameters(long nIn, long n) {
        return blocks * (nIn * n + n * n + n);
    }

    /**
     * @return parameters of a whole character model: {@code layers} stacked recurrent layers of size {@code n} on a
     * one-hot input of size {@code v}, and a softmax output layer ({@code n·v + v})
     */
    public long modelParameters(long v, long n, int layers) {
        long total = n * v + v;
        for (int i = 0; i < layers; i++) {
            total += recurrentParameters(i == 0 ? v : n, n);
        }
        return total;
    }

    /**
     * @return the hidden size of this cell whose {@link #modelParameters} is closest to {@code target}
     * (ties to the smaller size)
     */
    public int hiddenSizeMatching(long target, long v, int layers) {
        int best = 1;
        for (int n = 1; n <= 100_000; n++) {
            long count = modelParameters(v, n, layers);
            if (Math.abs(count - target) < Math.abs(modelParameters(v, best, layers) - target)) {
                best = n;
            }
            if (count > target) {
                break;
            }
        }
        return best;
    }

    /** @return the lower-case name used on the command line */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
