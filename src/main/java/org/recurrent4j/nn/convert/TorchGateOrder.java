package org.recurrent4j.nn.convert;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * PyTorch's gate order of a recurrent cell against ours, and the conversion of its tensors (n = hidden_size,
 * G gate blocks, k = the layer's input size). PyTorch stores weights as [G·n, k] (rows = gates), we as [k, G·n]
 * (columns = gates).
 * <ul>
 *   <li>{@link #GRU}: PyTorch r, z, n → ours r, z, c; the z block negated (PyTorch's z' = 1 − z, see
 *       {@link GruWeightImport}).</li>
 *   <li>{@link #LSTM}: PyTorch i, f, g, o → DL4J's {@code LSTM} blocks in the order of {@code LSTMHelpers}:
 *       [0, n) the cell input (layer activation, tanh) = g, [n, 2n) forget = f, [2n, 3n) output = o,
 *       [3n, 4n) the input gate (gate activation, sigmoid) = i.</li>
 *   <li>{@link #RNN}: one block, the same.</li>
 * </ul>
 */
enum TorchGateOrder {
    GRU(new GateBlocks(new int[] {0, 1, 2}, new boolean[] {false, true, false})),
    RNN(new GateBlocks(new int[] {0}, new boolean[] {false})),
    LSTM(new GateBlocks(new int[] {2, 1, 3, 0}, new boolean[] {false, false, false, false}));

    private final GateBlocks toOurs;
    private final GateBlocks toTorch;

    TorchGateOrder(GateBlocks toOurs) {
        this.toOurs = toOurs;
        this.toTorch = toOurs.inverse();
    }

    /** @return G, the number of gate blocks */
    int gates() {
        return toOurs.gates();
    }

    /** PyTorch weight [G·n, k] → ours [k, G·n]. */
    INDArray weightToOurs(INDArray torch, long n) {
        return toOurs.apply(torch.transpose(), n);                        // [k, G·n]
    }

    /** Ours [k, G·n] → PyTorch [G·n, k] (c order). */
    INDArray weightToTorch(INDArray ours, long n) {
        return toTorch.apply(ours, n).transpose().dup('c');              // [G·n, k]
    }

    /** PyTorch bias [G·n] → ours [1, G·n]. */
    INDArray biasToOurs(INDArray torch, long n) {
        return toOurs.apply(torch.reshape(1, gates() * n), n);           // [1, G·n]
    }

    /** Ours [1, G·n] → PyTorch [G·n]. */
    INDArray biasToTorch(INDArray ours, long n) {
        return toTorch.apply(ours.reshape(1, gates() * n), n).reshape(gates() * n);   // [G·n]
    }
}
