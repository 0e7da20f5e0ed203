package org.recurrent4j.nn.decoder;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.recurrent4j.conf.Gru;
import org.recurrent4j.conf.graph.AttentionDecoderVertex;
import org.recurrent4j.nn.graph.AttentionDecoderGraphVertex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * End to end: a bidirectional-GRU encoder and the Bahdanau attention decoder learn to reverse random digit strings of
 * lengths 5–10 (right-padded, masked) with {@code ComputationGraph.fit}; the model must reach near-perfect token
 * accuracy on unseen strings, and its alignment must be close to the anti-diagonal (target step t attends to source
 * position L−1−t).
 */
class ReverseDigitsTrainingTest {
    private static final Logger log = LoggerFactory.getLogger(ReverseDigitsTrainingTest.class);
    private static final int DIGITS = 10;
    private static final int BOS = DIGITS;          // target-side start symbol
    private static final int MAX_LEN = 10;
    private static final int MIN_LEN = 5;

    @Test
    void bahdanauDecoderLearnsToReverseAndAlignsAntiDiagonally() {
        Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
        int enc = 24;
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(3).dataType(DataType.FLOAT)
                .updater(new Adam(0.01)).weightInit(WeightInit.XAVIER).graphBuilder()
                .addInputs("src", "tgtIn")
                .setInputTypes(InputType.recurrent(DIGITS), InputType.recurrent(DIGITS + 1))
                .addLayer("encoder", new Bidirectional(Bidirectional.Mode.CONCAT,
                        new Gru.Builder().nIn(DIGITS).nOut(enc).build()), "src")
                .addVertex("decoder", new AttentionDecoderVertex.Builder().embeddingSize(DIGITS + 1)
                        .annotationSize(2 * enc).nOut(48).attentionSize(24)
                        .initialState(AttentionDecoderVertex.InitialState.BACKWARD_FIRST_ANNOTATION).build(),
                        "tgtIn", "encoder")
                .addLayer("out", new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .activation(Activation.SOFTMAX).nIn(48).nOut(DIGITS).build(), "decoder")
                .setOutputs("out").build();
        ComputationGraph net = new ComputationGraph(conf);
        net.init();
        Random rnd = new Random(12345);
        MultiDataSet test = batch(rnd, 100);
        double accuracy = 0;
        for (int it = 1; it <= 1500 && accuracy < 0.99; it++) {
            net.fit(batch(rnd, 32));
            if (it % 50 == 0) {
                accuracy = accuracy(net, test);
                log.info("reverse digits: iteration {} accuracy {}", it, accuracy);
            }
        }
        accuracy = accuracy(net, test);
        double diagonal = antiDiagonalWeight(net, test, 0);
        double before = antiDiagonalWeight(net, test, -1);
        double after = antiDiagonalWeight(net, test, 1);
        log.info("reverse digits: final accuracy {}, mean attention weight on the anti-diagonal {} (offsets -1: {}, +1: {})",
                accuracy, diagonal, before, after);
        assertTrue(accuracy >= 0.97, "token accuracy " + accuracy);
        // a bidirectional encoder spreads each digit over neighbouring annotations, so the attention concentrates on
        // the anti-diagonal and its immediate neighbours (uniform attention over 5–10 positions would give ~0.14)
        assertTrue(diagonal >= 0.4 && diagonal > before && diagonal > after,
                "anti-diagonal weight " + diagonal + " (neighbours " + before + ", " + after + ")");
        assertTrue(diagonal + before + after >= 0.85, "weight within ±1 of the anti-diagonal " + (diagonal + before + after));
    }

    /** Random strings; features src one-hot [mb, 10, T], tgtIn = BOS + reversed[0..L−2] one-hot, labels reversed. */
    static MultiDataSet batch(Random rnd, int mb) {
        INDArray src = Nd4j.zeros(DataType.FLOAT, mb, DIGITS, MAX_LEN);
        INDArray tgtIn = Nd4j.zeros(DataType.FLOAT, mb, DIGITS + 1, MAX_LEN);
        INDArray labels = Nd4j.zeros(DataType.FLOAT, mb, DIGITS, MAX_LEN);
        INDArray mask = Nd4j.zeros(DataType.FLOAT, mb, MAX_LEN);
        for (int b = 0; b < mb; b++) {
            int len = MIN_LEN + rnd.nextInt(MAX_LEN - MIN_LEN + 1);
            int[] s = new int[len];
            for (int t = 0; t < len; t++) {
                s[t] = rnd.nextInt(DIGITS);
                src.putScalar(b, s[t], t, 1);
                mask.putScalar(b, t, 1);
            }
            for (int t = 0; t < len; t++) {
                int target = s[len - 1 - t];
                labels.putScalar(b, target, t, 1);
                tgtIn.putScalar(b, t == 0 ? BOS : s[len - t], t, 1);
            }
        }
        return new MultiDataSet(new INDArray[] {src, tgtIn}, new INDArray[] {labels}, new INDArray[] {mask, mask},
                new INDArray[] {mask});
    }

    static double accuracy(ComputationGraph net, MultiDataSet d) {
        INDArray out = net.output(false, d.getFeatures(), d.getFeaturesMaskArrays(), d.getLabelsMaskArrays())[0];
        INDArray pred = out.argMax(1);                                                   // [mb, T]
        INDArray truth = d.getLabels(0).argMax(1);
        INDArray mask = d.getLabelsMaskArray(0);
        double correct = pred.eq(truth).castTo(DataType.FLOAT).mul(mask).sumNumber().doubleValue();
        return correct / mask.sumNumber().doubleValue();
    }

    /** Mean over examples and real target steps of α[t, L−1−t+offset] (0 outside the source). */
    static double antiDiagonalWeight(ComputationGraph net, MultiDataSet d, int offset) {
        net.output(false, d.getFeatures(), d.getFeaturesMaskArrays(), d.getLabelsMaskArrays());
        INDArray align = ((AttentionDecoderGraphVertex) net.getVertex("decoder")).alignments();    // [mb, Ty, Tx]
        INDArray mask = d.getLabelsMaskArray(0);
        double sum = 0;
        int count = 0;
        for (int b = 0; b < mask.size(0); b++) {
            int len = mask.getRow(b).sumNumber().intValue();
            for (int t = 0; t < len; t++) {
                int j = len - 1 - t + offset;
                sum += j >= 0 && j < len ? align.getDouble(b, t, j) : 0;
                count++;
            }
        }
        return sum / count;
    }
}
