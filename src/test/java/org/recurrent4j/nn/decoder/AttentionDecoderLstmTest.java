package org.recurrent4j.nn.decoder;

import org.recurrent4j.nn.RecurrentTestSupport;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.recurrent4j.nn.decoder.AttentionDecoderTest.*;
import static org.recurrent4j.nn.RecurrentTestSupport.*;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.recurrent4j.conf.graph.AttentionDecoderVertex;
import org.recurrent4j.conf.graph.AttentionDecoderVertex.Attention;
import org.recurrent4j.conf.graph.AttentionDecoderVertex.Cell;
import org.recurrent4j.nn.decoder.AttentionDecoder;

/**
 * The decoder's LSTM cell against DL4J's own {@code LSTM} layer: with the context weights C set to zero, the decoder
 * (attention NONE, zero initial state, state output) is a plain LSTM over the target embeddings, so with DL4J's
 * W, RW, b copied in unchanged (same gate-block order) outputs and weight gradients must agree.
 */
class AttentionDecoderLstmTest {

    @Test
    void plainRecurrenceEqualsDl4jLstmLayer() {
        AttentionDecoderVertex v = base().cell(Cell.LSTM).attention(Attention.NONE).build();
        ComputationGraph ours = graph(v, 31);
        ComputationGraphConfiguration conf = doubleBase(32).graphBuilder()
                .addInputs("y").setInputTypes(InputType.recurrent(E))
                .addLayer("lstm", new LSTM.Builder().nIn(E).nOut(N).activation(Activation.TANH)
                        .gateActivationFunction(Activation.SIGMOID).build(), "y")
                .addLayer("out", new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX)
                        .nIn(N).nOut(CLASSES).build(), "lstm")
                .setOutputs("out").build();
        ComputationGraph dl4j = new ComputationGraph(conf);
        dl4j.init();
        // random forget-gate biases etc.: DL4J's parameters, copied into ours; the context path switched off
        dl4j.getLayer("lstm").getParam("b").assign(Nd4j.randn(dl4j.params().dataType(), 1, 4 * N).muli(0.5));
        for (String k : new String[] {"W", "RW", "b"}) {
            ours.getVertex("dec").paramTable(false).get(k).assign(dl4j.getLayer("lstm").getParam(k));
        }
        ours.getVertex("dec").paramTable(false).get(AttentionDecoder.CONTEXT_WEIGHTS).assign(0);
        for (String k : new String[] {"W", "b"}) {
            ours.getLayer("out").getParam(k).assign(dl4j.getLayer("out").getParam(k));
        }
        INDArray[] in = inputs(33);
        INDArray labels = labels(MB, CLASSES, TY, RNNFormat.NCW, 34);
        INDArray expected = dl4j.feedForward(new INDArray[] {in[0]}, false).get("lstm");      // [mb, n, Ty]
        INDArray actual = ours.feedForward(in, false).get("dec");
        assertArrayClose(expected, actual, 1e-12, "LSTM outputs");

        RecurrentTestSupport.computeGradientAndScore(dl4j, new MultiDataSet(new INDArray[] {in[0]}, new INDArray[] {labels}));
        RecurrentTestSupport.computeGradientAndScore(ours, new MultiDataSet(in, new INDArray[] {labels}));
        assertEquals(dl4j.score(), ours.score(), 1e-12);
        Gradient gd = dl4j.gradient();
        Gradient go = ours.gradient();
        for (String k : new String[] {"W", "RW", "b"}) {
            INDArray a = gd.getGradientFor("lstm_" + k);
            INDArray b = go.getGradientFor("dec_" + k).reshape(a.shape());
            double rel = a.sub(b).norm2Number().doubleValue() / a.norm2Number().doubleValue();
            assertTrue(rel < 1e-10, k + " relative gradient error " + rel);
        }
    }
}
