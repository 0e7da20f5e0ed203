package org.recurrent4j.train;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.dataset.adapter.SingletonDataSetIterator;
import org.nd4j.linalg.dataset.adapter.SingletonMultiDataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.recurrent4j.conf.ElmanRnn;
import org.recurrent4j.conf.Gru;


import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.recurrent4j.train.TbpttFixtures.MB;
import static org.recurrent4j.train.TbpttFixtures.N_HIDDEN;
import static org.recurrent4j.train.TbpttFixtures.N_IN;
import static org.recurrent4j.train.TbpttFixtures.N_OUT;
import static org.recurrent4j.train.TbpttFixtures.features;
import static org.recurrent4j.train.TbpttFixtures.labels;

/**
 * NWC ({@code rnnDataFormat}) features {@code [mb, T, nIn]} and labels {@code [mb, T, nOut]}: the trainer slices
 * time on axis 1, and every update's gradient equals the oracle's (run on the same network, data permuted to NCW
 * for it), for DL4J's LSTM and our ElmanRnn and Gru, MultiLayerNetwork and ComputationGraph, with masks.
 * (DL4J's SimpleRnn in NWC: {@link TruncatedBpttSimpleRnnTest}.)
 */
class TruncatedBpttNwcTest {

    @BeforeAll
    static void setUp() {
        TbpttFixtures.doublePrecision();
    }

    private static Layer layer(String kind) {
        return switch (kind) {
            case "LSTM" -> TbpttFixtures.lstm(RNNFormat.NWC);
            case "ELMAN" -> new ElmanRnn.Builder().nIn(N_IN).nOut(N_HIDDEN).dataFormat(RNNFormat.NWC)
                    .weightInit(TbpttFixtures.largeWeights()).weightInitRecurrent(TbpttFixtures.largeWeights()).build();
            case "GRU" -> new Gru.Builder().nIn(N_IN).nOut(N_HIDDEN).dataFormat(RNNFormat.NWC)
                    .weightInit(TbpttFixtures.largeWeights()).weightInitRecurrent(TbpttFixtures.largeWeights()).build();
            default -> throw new IllegalArgumentException(kind);
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"LSTM", "ELMAN", "GRU"})
    void multiLayerNetworkWithMasks(String kind) {
        long t = 10;
        INDArray fMask = Nd4j.ones(DataType.DOUBLE, MB, t);
        for (int s = 8; s < t; s++) {
            fMask.putScalar(0, s, 0.0);
        }
        INDArray lMask = fMask.dup();
        lMask.putScalar(1, 4, 0.0);
        INDArray f = features(t, 12).muli(fMask.reshape(MB, 1, t));
        TruncatedBpttGradientTest.checkAgainstOracle(TbpttFixtures.netWith(layer(kind), RNNFormat.NWC), RNNFormat.NWC,
                kind + " NWC k1=3,k2=5,masks", 3, 5, f, labels(t, 12), fMask, lMask,
                new long[][]{{0, 0, 3}, {1, 3, 6}, {4, 6, 9}, {5, 9, 10}});
    }

    @Test
    void multiLayerNetworkK2SmallerThanK1() {
        TruncatedBpttGradientTest.checkAgainstOracle(TbpttFixtures.netWith(layer("LSTM"), RNNFormat.NWC), RNNFormat.NWC,
                "LSTM NWC k1=5,k2=3", 5, 3, features(12, 1), labels(12, 1), null, null,
                new long[][]{{2, 2, 5}, {7, 7, 10}, {9, 10, 12}});
    }

    @Test
    void computationGraphLstm() {
        TruncatedBpttGradientTest.checkAgainstOracle(TbpttFixtures.graphWith(layer("LSTM"), RNNFormat.NWC), RNNFormat.NWC,
                "graph LSTM NWC k1=3,k2=7", 3, 7, features(11, 3), labels(11, 3), null, null,
                new long[][]{{0, 0, 3}, {0, 3, 6}, {2, 6, 9}, {4, 9, 11}});
    }

    @Test
    void ncwDataForAnNwcNetworkIsRejectedWithTheExpectedLayout() {
        MultiLayerNetwork net = TbpttFixtures.netWith(layer("LSTM"), RNNFormat.NWC);
        // NCW arrays [mb, nIn=3, T=7]: read as NWC they would have 3 steps, the labels [mb, nOut=4, 7] 4 steps
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TruncatedBptt.builder().k1(3)
                .k2(3).build().fit(net, new SingletonDataSetIterator(new DataSet(features(7, 1), labels(7, 1)))));
        assertTrue(e.getMessage().contains("NWC") && e.getMessage().contains("time steps"), e.getMessage());
    }

    @Test
    void anInputReadInTwoFormatsIsRefused() {
        ComputationGraph net = new ComputationGraph(new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE)
                .graphBuilder().addInputs("in")
                .addLayer("ncw", TbpttFixtures.lstm(RNNFormat.NCW), "in")
                .addLayer("nwc", layer("LSTM"), "in")
                .addLayer("out", new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(N_HIDDEN).nOut(N_OUT)
                        .activation(Activation.SOFTMAX).build(), "ncw")
                .addLayer("out2", new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(N_HIDDEN).nOut(N_OUT)
                        .activation(Activation.SOFTMAX).dataFormat(RNNFormat.NWC).build(), "nwc")
                .setOutputs("out", "out2").build());
        net.init();
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, () -> TruncatedBptt.builder()
                .k1(3).k2(3).build().fit(net, new SingletonMultiDataSetIterator(new MultiDataSet(
                        new INDArray[]{features(6, 1)}, new INDArray[]{labels(6, 1), labels(6, 2)}))));
        assertTrue(e.getMessage().contains("\"in\"") && e.getMessage().contains("NWC"), e.getMessage());
    }
}
