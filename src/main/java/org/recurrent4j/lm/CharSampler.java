package org.recurrent4j.lm;

import java.util.Random;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.recurrent4j.data.vocab.CharacterVocabulary;

/**
 * Generates text from a character language model: the prompt is fed through the network (from the zero state),
 * then each next character is drawn from the output distribution sharpened or flattened by a temperature τ,
 * {@code p_i^(1/τ) / Σ_j p_j^(1/τ)} (the softmax of the logits divided by τ), and fed back. τ = 0 is greedy
 * (the most probable character; ties to the lowest id). Deterministic for a given seed.
 */
public final class CharSampler {

    private final MultiLayerNetwork net;
    private final CharacterVocabulary vocabulary;

    /** @param net a network over {@code vocabulary} (one-hot in, softmax out) */
    public CharSampler(MultiLayerNetwork net, CharacterVocabulary vocabulary) {
        if (net.layerInputSize(0) != vocabulary.size()) {
            throw new IllegalArgumentException("CharSampler: the network takes " + net.layerInputSize(0)
                    + " inputs but the vocabulary has " + vocabulary.size() + " characters");
        }
        this.net = net;
        this.vocabulary = vocabulary;
    }

    /**
     * @param prompt      non-empty priming text; every character must be in the vocabulary
     * @param length      characters to generate, ≥ 0
     * @param temperature τ ≥ 0
     * @param seed        random seed
     * @return the generated characters (without the prompt)
     */
    public String sample(String prompt, int length, double temperature, long seed) {
        if (prompt == null || prompt.isEmpty()) {
            throw new IllegalArgumentException("CharSampler: the prompt must hold at least one character");
        }
        if (length < 0) {
            throw new IllegalArgumentException("CharSampler: length must be >= 0, got " + length);
        }
        if (!(temperature >= 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("CharSampler: temperature must be finite and >= 0, got " + temperature);
        }
        int[] promptIds = encodePrompt(prompt);
        Random random = new Random(seed);
        DataType dataType = net.params().dataType();
        int v = vocabulary.size();
        net.rnnClearPreviousState();
        try {
            INDArray input = Nd4j.zeros(dataType, 1, v, promptIds.length);              // [1, V, T]
            for (int t = 0; t < promptIds.length; t++) {
                input.putScalar(new long[] {0, promptIds[t], t}, 1.0);
            }
            INDArray out = net.rnnTimeStep(input);                                      // [1, V, T]
            double[] probs = out.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0), org.nd4j.linalg.indexing.NDArrayIndex.all(),
                    org.nd4j.linalg.indexing.NDArrayIndex.point(promptIds.length - 1)).toDoubleVector();  // [V]
            int[] generated = new int[length];
            for (int i = 0; i < length; i++) {
                int next = choose(probs, temperature, random);
                generated[i] = next;
                INDArray step = Nd4j.zeros(dataType, 1, v, 1);                          // [1, V, 1]
                step.putScalar(new long[] {0, next, 0}, 1.0);
                probs = net.rnnTimeStep(step).reshape(v).toDoubleVector();              // [V]
            }
            return vocabulary.decode(generated);
        } finally {
            net.rnnClearPreviousState();
        }
    }

    private int[] encodePrompt(String prompt) {
        int[] cps = prompt.codePoints().toArray();
        int[] ids = new int[cps.length];
        for (int i = 0; i < cps.length; i++) {
            try {
                ids[i] = vocabulary.id(cps[i]);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("CharSampler: prompt character " + (i + 1) + " of " + cps.length
                        + ", U+" + String.format("%04X", cps[i]) + " ('" + new String(Character.toChars(cps[i]))
                        + "'), is not in the model's vocabulary of " + vocabulary.size() + " characters", e);
            }
        }
        return ids;
    }

    /** Draws an id from {@code probs^(1/τ)} (normalised); τ = 0: argmax. */
    static int choose(double[] probs, double temperature, Random random) {
        if (temperature == 0) {
            int best = 0;
            for (int i = 1; i < probs.length; i++) {
                if (probs[i] > probs[best]) {
                    best = i;
                }
            }
            return best;
        }
        double[] logits = new double[probs.length];
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < probs.length; i++) {
            logits[i] = Math.log(Math.max(probs[i], Double.MIN_NORMAL)) / temperature;
            max = Math.max(max, logits[i]);
        }
        double total = 0;
        double[] weights = new double[probs.length];
        for (int i = 0; i < probs.length; i++) {
            weights[i] = Math.exp(logits[i] - max);
            total += weights[i];
        }
        double u = random.nextDouble() * total;
        for (int i = 0; i < weights.length; i++) {
            u -= weights[i];
            if (u < 0) {
                return i;
            }
        }
        return weights.length - 1;
    }
}
