package org.recurrent4j.nn.convert;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The four tensors of one direction of one layer of a PyTorch recurrent module (G gate blocks, n = hidden_size,
 * k = the layer's input size), in PyTorch's layout: {@code weight_ih} [G·n, k], {@code weight_hh} [G·n, n],
 * {@code bias_ih} [G·n], {@code bias_hh} [G·n].
 */
record TorchTensors(INDArray weightIh, INDArray weightHh, INDArray biasIh, INDArray biasHh) {
    static final String WEIGHT_IH = "weight_ih";
    static final String WEIGHT_HH = "weight_hh";
    static final String BIAS_IH = "bias_ih";
    static final String BIAS_HH = "bias_hh";
    /** The tensor names of one direction, in PyTorch's state_dict order. */
    static final String[] NAMES = {WEIGHT_IH, WEIGHT_HH, BIAS_IH, BIAS_HH};

    /** @return the state_dict key of a tensor, e.g. {@code "rnn." + "weight_ih" + "_l1" + "_reverse"} */
    static String key(String prefix, String name, int layer, boolean reverse) {
        return prefix + name + "_l" + layer + (reverse ? "_reverse" : "");
    }

    /** @return the tensor of a name in {@link #NAMES} */
    INDArray get(String name) {
        return switch (name) {
            case WEIGHT_IH -> weightIh;
            case WEIGHT_HH -> weightHh;
            case BIAS_IH -> biasIh;
            case BIAS_HH -> biasHh;
            default -> throw new IllegalArgumentException("no PyTorch recurrent tensor " + name);
        };
    }

    /** @return the expected shape of a tensor given G·n, n and the layer's input size k */
    static long[] shape(String name, long gn, long n, long k) {
        return switch (name) {
            case WEIGHT_IH -> new long[] {gn, k};
            case WEIGHT_HH -> new long[] {gn, n};
            case BIAS_IH, BIAS_HH -> new long[] {gn};
            default -> throw new IllegalArgumentException("no PyTorch recurrent tensor " + name);
        };
    }
}
