package org.recurrent4j.train;

import static org.recurrent4j.train.TbpttFixtures.features;
import static org.recurrent4j.train.TbpttFixtures.labels;

import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.distribution.NormalDistribution;
import org.deeplearning4j.nn.weights.WeightInitDistribution;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.recurrent4j.conf.ElmanRnn;
import org.recurrent4j.conf.Gru;
import org.recurrent4j.conf.RecurrentLayerConf;

/**
 * The k1/k2 trainer with our own layers: every update's gradient equals the finite-difference oracle over the
 * explicitly unrolled window that starts from the carried state, for k2 < k1, k2 = k1, k2 > k1, with masks and
 * without the input gradient.
 */
class TruncatedBpttOurLayersTest {

    @BeforeAll
    static void setUp() {
        TbpttFixtures.doublePrecision();
    }

    private static Layer layer(String kind) {
        // larger weights than Xavier's so that the carried state matters
        WeightInitDistribution init = new WeightInitDistribution(new NormalDistribution(0, 0.8));
        return switch (kind) {
            case "ELMAN" -> new ElmanRnn.Builder().nIn(3).nOut(4).weightInit(init).weightInitRecurrent(init).build();
            case "GRU" -> new Gru.Builder().nIn(3).nOut(4).weightInit(init).weightInitRecurrent(init).build();
            case "GRU_RESET_AFTER" -> new Gru.Builder().nIn(3).nOut(4).resetAfter(true).weightInit(init)
                    .weightInitRecurrent(init).build();
            default -> throw new IllegalArgumentException(kind);
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"ELMAN", "GRU", "GRU_RESET_AFTER"})
    void k2SmallerEqualAndLargerThanK1(String kind) {
        TruncatedBpttGradientTest.checkAgainstOracle(TbpttFixtures.netWith(layer(kind)), kind + " k1=5,k2=3", 5, 3,
                features(12, 1), labels(12, 1), null, null, new long[][] {{2, 2, 5}, {7, 7, 10}, {9, 10, 12}});
        TruncatedBpttGradientTest.checkAgainstOracle(TbpttFixtures.netWith(layer(kind)), kind + " k1=k2=4", 4, 4,
                features(12, 2), labels(12, 2), null, null, new long[][] {{0, 0, 4}, {4, 4, 8}, {8, 8, 12}});
        TruncatedBpttGradientTest.checkAgainstOracle(TbpttFixtures.netWith(layer(kind)), kind + " k1=3,k2=7", 3, 7,
                features(11, 3), labels(11, 3), null, null, new long[][] {{0, 0, 3}, {0, 3, 6}, {2, 6, 9}, {4, 9, 11}});
    }

    @ParameterizedTest
    @ValueSource(strings = {"ELMAN", "GRU_RESET_AFTER"})
    void withoutTheInputGradient(String kind) {
        RecurrentLayerConf first = (RecurrentLayerConf) layer(kind);
        first.setInputGradient(false);
        TruncatedBpttGradientTest.checkAgainstOracle(TbpttFixtures.netWith(first), kind + " k1=3,k2=7 inputGradient(false)",
                3, 7, features(11, 3), labels(11, 3), null, null,
                new long[][] {{0, 0, 3}, {0, 3, 6}, {2, 6, 9}, {4, 9, 11}});
    }

    @ParameterizedTest
    @ValueSource(strings = {"ELMAN", "GRU"})
    void masksAndUnequalLengths(String kind) {
        long t = 10;
        INDArray fMask = Nd4j.ones(DataType.DOUBLE, TbpttFixtures.MB, t);
        for (int s = 7; s < t; s++) {
            fMask.putScalar(1, s, 0.0);
        }
        INDArray lMask = fMask.dup();
        lMask.putScalar(0, 1, 0.0);
        lMask.putScalar(0, 5, 0.0);
        INDArray f = features(t, 4).muli(fMask.reshape(TbpttFixtures.MB, 1, t));
        TruncatedBpttGradientTest.checkAgainstOracle(TbpttFixtures.netWith(layer(kind)), kind + " k1=3,k2=5,masks", 3, 5,
                f, labels(t, 4), fMask, lMask, new long[][] {{0, 0, 3}, {1, 3, 6}, {4, 6, 9}, {5, 9, 10}});
    }
}
