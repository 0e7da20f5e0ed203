package org.recurrent4j.nn.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.recurrent4j.conf.Gru;
import org.recurrent4j.conf.RnnSoftmaxOutput;
import org.recurrent4j.nn.loss.SoftmaxCrossEntropy;

/**
 * The layers hand the compute engine views of arrays they make for the call (here the output layer's mask, cast to
 * the network's type): a garbage collection at any moment of a training pass must not change its score or gradients
 * (see {@link Nd4jViews} on keeping viewed arrays reachable).
 */
class EngineViewsUnderGarbageCollectionTest {
    private static final int MB = 16;
    private static final int STEPS = 60;
    private static final int CLASSES = 7;

    @Test
    void collectionsDuringTrainingPassesChangeNoScoreOrGradient() throws InterruptedException {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(3)
                .dataType(DataType.DOUBLE).updater(new NoOp()).weightInit(WeightInit.XAVIER).list()
                .layer(new Gru.Builder().nIn(4).nOut(16).dataFormat(RNNFormat.NWC).build())
                .layer(new RnnSoftmaxOutput.Builder(new SoftmaxCrossEntropy()).nIn(16).nOut(CLASSES)
                        .dataFormat(RNNFormat.NWC).build())
                .build());
        net.init();
        Nd4j.getRandom().setSeed(5);
        INDArray x = Nd4j.randn(DataType.DOUBLE, MB, STEPS, 4);                             // [mb, T, nIn] NWC
        INDArray y = Nd4j.zeros(DataType.DOUBLE, MB, STEPS, CLASSES);                       // [mb, T, C] NWC
        INDArray mask = Nd4j.zeros(DataType.FLOAT, MB, STEPS);          // FLOAT: the layers cast it for the engine
        Random r = new Random(6);
        for (int i = 0; i < MB; i++) {
            int length = 1 + r.nextInt(STEPS);
            for (int t = 0; t < STEPS; t++) {
                y.putScalar(i, t, r.nextInt(CLASSES), 1);
                mask.putScalar(i, t, t < length ? 1 : 0);
            }
        }
        net.setInput(x);
        net.setLabels(y);
        net.setLayerMaskArrays(null, mask);
        net.computeGradientAndScore();
        double calmScore = net.score();
        INDArray calmGradient = net.gradient().gradient().dup();
        try (ConstantGarbageCollection gc = new ConstantGarbageCollection()) {
            for (int pass = 0; pass < 1000; pass++) {
                net.computeGradientAndScore();
                assertEquals(calmScore, net.score(), 0.0, "score of pass " + pass + " under garbage collections");
                assertEquals(calmGradient, net.gradient().gradient(), "gradient of pass " + pass);
            }
        }
    }
}
