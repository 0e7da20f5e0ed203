package org.recurrent4j.nn.decoder;

import org.recurrent4j.nn.RecurrentTestSupport;
import static org.junit.jupiter.api.Assertions.*;
import static org.recurrent4j.nn.decoder.AttentionDecoderTest.*;
import static org.recurrent4j.nn.RecurrentTestSupport.*;

import org.deeplearning4j.nn.conf.BackpropType;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.dataset.adapter.SingletonMultiDataSetIterator;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.recurrent4j.conf.graph.AttentionDecoderVertex;
import org.recurrent4j.train.TruncatedBptt;

/**
 * Truncated BPTT and the decoder: both DL4J's {@code BackpropType.TruncatedBPTT} and our {@link TruncatedBptt} slice
 * the source sentence into the target's time windows, which breaks attention over the whole source, so both are
 * refused with an exception before any parameter changes; {@code fit} with standard backprop trains.
 */
class AttentionDecoderTbpttTest {

    /** Source x [mb, E, T] → LSTM encoder → annotations; decoder over target embeddings y [mb, E, T]. */
    static ComputationGraphConfiguration.GraphBuilder encoderDecoder(AttentionDecoderVertex v) {
        return doubleBase(41).updater(new Adam(0.02)).graphBuilder()
                .addInputs("x", "y").setInputTypes(InputType.recurrent(E), InputType.recurrent(E))
                .addLayer("enc", new LSTM.Builder().nIn(E).nOut(DH).activation(Activation.TANH).build(), "x")
                .addVertex("dec", v, "y", "enc")
                .addLayer("out", new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX)
                        .nIn(v.outputSize()).nOut(CLASSES).build(), "dec")
                .setOutputs("out");
    }

    @Test
    void dl4jTruncatedBpttIsRefusedAtInit() {
        for (AttentionDecoderVertex.Cell cell : AttentionDecoderVertex.Cell.values()) {
            ComputationGraphConfiguration conf = encoderDecoder(base().cell(cell).build())
                    .backpropType(BackpropType.TruncatedBPTT).tBPTTLength(2).build();
            ComputationGraph g = new ComputationGraph(conf);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, g::init);
            assertTrue(e.getMessage().contains("AttentionDecoderVertex 'dec'")
                    && e.getMessage().contains("BackpropType.TruncatedBPTT cannot train this vertex")
                    && e.getMessage().contains("Use BackpropType.Standard"), e.getMessage());
        }
    }

    @Test
    void ourTruncatedBpttIsRefusedBeforeAnyUpdateWhileFitTrains() {
        ComputationGraph g = new ComputationGraph(encoderDecoder(base().build()).build());
        g.init();
        long t = 6;
        MultiDataSet data = new MultiDataSet(new INDArray[] {features(MB, E, t, RNNFormat.NCW, 1),
                features(MB, E, t, RNNFormat.NCW, 2)}, new INDArray[] {labels(MB, CLASSES, t, RNNFormat.NCW, 3)});
        INDArray before = g.params().dup();
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> TruncatedBptt.builder().k1(2).k2(3).build().fit(g, new SingletonMultiDataSetIterator(data)));
        assertTrue(e.getMessage().contains("AttentionDecoderVertex 'dec'")
                && e.getMessage().contains("org.recurrent4j.train.TruncatedBptt) is not supported")
                && e.getMessage().contains("BackpropType.Standard"), e.getMessage());
        assertEquals(before, g.params(), "no update may happen before the refusal");
        // the supported way: full BPTT with fit
        RecurrentTestSupport.computeGradientAndScore(g, data);
        double score = g.score();
        for (int i = 0; i < 20; i++) {
            g.fit(data);
        }
        RecurrentTestSupport.computeGradientAndScore(g, data);
        assertTrue(g.score() < score, score + " -> " + g.score());
    }
}
