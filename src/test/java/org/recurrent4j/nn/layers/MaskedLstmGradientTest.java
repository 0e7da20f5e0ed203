package org.recurrent4j.nn.layers;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.recurrent4j.nn.RecurrentTestSupport.features;
import static org.recurrent4j.nn.RecurrentTestSupport.labels;
import static org.recurrent4j.nn.RecurrentTestSupport.leftPaddedMask;
import static org.recurrent4j.nn.RecurrentTestSupport.net;
import static org.recurrent4j.nn.RecurrentTestSupport.rightPaddedMask;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.recurrent4j.conf.MaskedLstm;

/**
 * {@code MaskedLstm} by DL4J's {@link GradientCheckUtil} (central differences, double precision), alone and inside
 * DL4J's {@code Bidirectional}, NCW and NWC, with unequal lengths right-padded and left-padded. Left padding is where
 * DL4J's LSTM backward pass, given a mask, lets the recurrent error of the first real step into the masked steps before
 * it (their gate deltas reach the bias gradient); {@code Bidirectional}'s backward direction sees every right-padded
 * batch left-padded. Against PyTorch's autograd: {@code nn.convert.PyTorchGradientTest}.
 */
class MaskedLstmGradientTest {
    private static final long N_IN = 3;
    private static final long N_OUT = 4;
    private static final long CLASSES = 3;
    private static final long STEPS = 5;

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (boolean bidirectional : new boolean[] {false, true}) {
            for (RNNFormat f : RNNFormat.values()) {
                for (String padding : new String[] {"right", "left"}) {
                    cases.add(Arguments.of(bidirectional, f, padding));
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "bidirectional={0} {1} {2}-padded")
    @MethodSource("cases")
    void gradientsAreCentralDifferences(boolean bidirectional, RNNFormat f, String padding) {
        MaskedLstm lstm = new MaskedLstm(N_IN, N_OUT);
        lstm.setRnnDataFormat(f);
        Layer layer = bidirectional ? new Bidirectional(Bidirectional.Mode.CONCAT, lstm) : lstm;
        MultiLayerNetwork net = net(layer, bidirectional ? 2 * N_OUT : N_OUT, CLASSES, f, 12345);
        INDArray x = features(3, N_IN, STEPS, f, 1);
        INDArray y = labels(3, CLASSES, STEPS, f, 2);
        INDArray mask = padding.equals("left") ? leftPaddedMask(STEPS, 5, 2, 4) : rightPaddedMask(STEPS, 5, 2, 4);
        assertTrue(GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net).input(x).labels(y)
                .inputMask(mask).labelMask(mask)), "bidirectional=" + bidirectional + " " + f + " " + padding);
    }
}
