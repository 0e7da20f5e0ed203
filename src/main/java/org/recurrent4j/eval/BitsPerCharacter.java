package org.recurrent4j.eval;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Bits per character of a character language model on a text: the mean of {@code −log2 p(c_{i+1} | c_0 … c_i)}.
 * The text is cut into {@code streams} equal contiguous parts evaluated side by side (one minibatch row each), each
 * run from the zero state through all its characters with the state carried ({@code rnnTimeStep}, chunk by chunk),
 * so every prediction but the first few of each part sees its whole left context. Up to {@code streams} trailing
 * characters that do not fill the parts are not predicted. The network must take one-hot characters {@code [mb, V, T]}
 * and output probabilities (softmax) {@code [mb, V, T]}; its stored {@code rnnTimeStep} state is cleared before and after.
 */
public final class BitsPerCharacter {

    private BitsPerCharacter() {
    }

    /**
     * @param ids            the text as character ids in [0, V)
     * @param vocabularySize V
     * @param streams        parts evaluated in parallel, ≥ 1
     * @param chunk          time steps per forward call, ≥ 1 (does not change the result, only memory and speed)
     * @return bits per character over {@code streams · ⌊(ids.length − 1) / streams⌋} predictions
     */
    public static double evaluate(MultiLayerNetwork net, int[] ids, int vocabularySize, int streams, int chunk) {
        if (streams < 1 || chunk < 1) {
            throw new IllegalArgumentException("BitsPerCharacter: streams and chunk must be >= 1, got " + streams
                    + " and " + chunk);
        }
        long partLength = (ids.length - 1) / streams;      // predictions per part
        if (partLength < 1) {
            throw new IllegalArgumentException("BitsPerCharacter: " + ids.length + " characters cannot fill " + streams
                    + " streams; expected at least " + (streams + 1));
        }
        long nIn = net.layerInputSize(0);
        if (nIn != vocabularySize) {
            throw new IllegalArgumentException("BitsPerCharacter: the network takes " + nIn + " inputs, expected the "
                    + "vocabulary size " + vocabularySize);
        }
        for (int id : ids) {
            if (id < 0 || id >= vocabularySize) {
                throw new IllegalArgumentException("BitsPerCharacter: id " + id + " outside [0, " + vocabularySize + ")");
            }
        }
        DataType dataType = net.params().dataType();
        double nats = 0;
        net.rnnClearPreviousState();
        try {
            for (long from = 0; from < partLength; from += chunk) {
                int steps = (int) Math.min(chunk, partLength - from);
                INDArray features = Nd4j.zeros(dataType, streams, vocabularySize, steps);   // [S, V, T]
                INDArray labels = Nd4j.zeros(DataType.DOUBLE, streams, vocabularySize, steps); // [S, V, T]
                for (int s = 0; s < streams; s++) {
                    long base = s * partLength + from;
                    for (int t = 0; t < steps; t++) {
                        features.putScalar(new long[] {s, ids[(int) (base + t)], t}, 1.0);
                        labels.putScalar(new long[] {s, ids[(int) (base + t + 1)], t}, 1.0);
                    }
                }
                INDArray probs = net.rnnTimeStep(features).castTo(DataType.DOUBLE);          // [S, V, T]
                INDArray pNext = probs.mul(labels).sum(1);                                   // [S, T]
                nats -= Transforms.log(Transforms.max(pNext, Double.MIN_NORMAL, false), false).sumNumber().doubleValue();
            }
        } finally {
            net.rnnClearPreviousState();
        }
        return nats / (streams * partLength) / Math.log(2);
    }
}
