package org.recurrent4j.nn.layers;

import org.recurrent4j.nn.RecurrentTestSupport;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.recurrent4j.nn.RecurrentTestSupport.*;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.TimeDistributed;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * DL4J's {@link GradientCheckUtil} (central differences, double precision) on every layer variant: with and
 * without masks of unequal lengths, NCW and NWC, alone and inside Bidirectional / LastTimeStep /
 * TimeDistributed, in MultiLayerNetwork and ComputationGraph.
 */
class GradientCheckTest {
    private static final long N_IN = 3;
    private static final long N_OUT = 4;
    private static final long CLASSES = 3;
    private static final long STEPS = 5;

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (Variant v : Variant.values()) {
            for (RNNFormat f : RNNFormat.values()) {
                for (boolean masked : new boolean[] {false, true}) {
                    cases.add(Arguments.of(v, f, masked));
                }
            }
        }
        return cases.stream();
    }

    private static INDArray mask(boolean masked) {
        return masked ? rightPaddedMask(STEPS, 5, 2, 4) : null;
    }

    @ParameterizedTest(name = "{0} {1} masked={2}")
    @MethodSource("cases")
    void multiLayerNetwork(Variant v, RNNFormat f, boolean masked) {
        MultiLayerNetwork net = net(v.layer(N_IN, N_OUT, f), N_OUT, CLASSES, f, 12345);
        INDArray x = features(3, N_IN, STEPS, f, 1);
        INDArray y = labels(3, CLASSES, STEPS, f, 2);
        assertTrue(GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net).input(x).labels(y)
                .inputMask(mask(masked)).labelMask(mask(masked))), v + " " + f + " masked=" + masked);
    }

    @ParameterizedTest(name = "{0} {1} masked={2}")
    @MethodSource("cases")
    void bidirectionalInComputationGraph(Variant v, RNNFormat f, boolean masked) {
        ComputationGraphConfiguration conf = doubleBase(42).graphBuilder()
                .addInputs("in")
                .setInputTypes(InputType.recurrent(N_IN, STEPS, f))
                .addLayer("bi", new Bidirectional(Bidirectional.Mode.CONCAT, v.layer(N_IN, N_OUT, f)), "in")
                .addLayer("stack", v.layer(2 * N_OUT, N_OUT, f), "bi")
                .addLayer("out", new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .activation(Activation.SOFTMAX).nOut(CLASSES).dataFormat(f).build(), "stack")
                .setOutputs("out").build();
        ComputationGraph net = new ComputationGraph(conf);
        net.init();
        INDArray x = features(3, N_IN, STEPS, f, 3);
        INDArray y = labels(3, CLASSES, STEPS, f, 4);
        INDArray m = mask(masked);
        assertTrue(GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(net)
                .inputs(new INDArray[] {x}).labels(new INDArray[] {y})
                .inputMask(m == null ? null : new INDArray[] {m}).labelMask(m == null ? null : new INDArray[] {m})),
                v + " " + f + " masked=" + masked);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void lastTimeStepManyToOneWithLeftAndRightPadding(Variant v) {
        Layer rnn = new LastTimeStep(v.layer(N_IN, N_OUT, RNNFormat.NCW));
        MultiLayerNetwork net = new MultiLayerNetwork(doubleBase(7).list()
                .layer(rnn)
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX)
                        .nIn(N_OUT).nOut(CLASSES).build())
                .build());
        net.init();
        INDArray x = features(3, N_IN, STEPS, RNNFormat.NCW, 5);
        INDArray y = Nd4j.eye(3);
        for (INDArray m : new INDArray[] {rightPaddedMask(STEPS, 5, 2, 3), leftPaddedMask(STEPS, 5, 2, 3)}) {
            assertTrue(GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net).input(x).labels(y)
                    .inputMask(m)), v.toString());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void timeDistributedDenseAndLstmAround(Variant v) {
        // DL4J LSTM → ours → TimeDistributed(Dense) → RnnOutputLayer: gradients flow through our layer both ways
        MultiLayerNetwork net = new MultiLayerNetwork(doubleBase(9).list()
                .layer(new LSTM.Builder().nIn(N_IN).nOut(N_OUT).activation(Activation.TANH).build())
                .layer(v.layer(N_OUT, N_OUT, RNNFormat.NCW))
                .layer(new TimeDistributed(new DenseLayer.Builder().nIn(N_OUT).nOut(N_OUT)
                        .activation(Activation.TANH).build(), RNNFormat.NCW))
                .layer(new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX)
                        .nIn(N_OUT).nOut(CLASSES).build())
                .build());
        net.init();
        INDArray x = features(2, N_IN, STEPS, RNNFormat.NCW, 6);
        INDArray y = labels(2, CLASSES, STEPS, RNNFormat.NCW, 7);
        INDArray m = rightPaddedMask(STEPS, 3, 5);
        assertTrue(GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net).input(x).labels(y)
                .inputMask(m).labelMask(m)), v.toString());
    }

    static Stream<Variant> variants() {
        return Stream.of(Variant.values());
    }
}
