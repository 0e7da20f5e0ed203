package org.recurrent4j.nn;

import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.recurrent4j.conf.ElmanRnn;
import org.recurrent4j.conf.Gru;

/** Builders of small double-precision networks and data for the layer tests. */
public final class RecurrentTestSupport {
    private RecurrentTestSupport() {
    }

    /** The layer variants under test. */
    public enum Variant {
        ELMAN_TANH, ELMAN_SIGMOID, GRU, GRU_RESET_AFTER;

        public BaseRecurrentLayer layer(long nIn, long nOut, RNNFormat format) {
            return switch (this) {
                case ELMAN_TANH -> new ElmanRnn.Builder().nIn(nIn).nOut(nOut).dataFormat(format).build();
                case ELMAN_SIGMOID -> new ElmanRnn.Builder().nIn(nIn).nOut(nOut).activation(Activation.SIGMOID)
                        .dataFormat(format).build();
                case GRU -> new Gru.Builder().nIn(nIn).nOut(nOut).dataFormat(format).build();
                case GRU_RESET_AFTER -> new Gru.Builder().nIn(nIn).nOut(nOut).resetAfter(true).dataFormat(format).build();
            };
        }
    }

    public static NeuralNetConfiguration.Builder doubleBase(long seed) {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        return new NeuralNetConfiguration.Builder().seed(seed).dataType(DataType.DOUBLE).updater(new NoOp())
                .weightInit(WeightInit.XAVIER);
    }

    /** One recurrent layer + softmax RnnOutputLayer with MCXENT. */
    public static MultiLayerNetwork net(Layer recurrent, long nOut, long nClasses, RNNFormat format, long seed) {
        MultiLayerNetwork net = new MultiLayerNetwork(doubleBase(seed).list()
                .layer(recurrent)
                .layer(new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX)
                        .nIn(nOut).nOut(nClasses).dataFormat(format).build())
                .build());
        net.init();
        return net;
    }

    /** Random features [mb, nIn, T] (NCW) or [mb, T, nIn] (NWC), seeded. */
    public static INDArray features(long mb, long nIn, long steps, RNNFormat format, long seed) {
        Nd4j.getRandom().setSeed(seed);
        INDArray x = Nd4j.randn(DataType.DOUBLE, mb, nIn, steps);
        return format == RNNFormat.NCW ? x : x.permute(0, 2, 1).dup();
    }

    /** One-hot labels with random classes, NCW or NWC. */
    public static INDArray labels(long mb, long nClasses, long steps, RNNFormat format, long seed) {
        java.util.Random r = new java.util.Random(seed);
        INDArray y = Nd4j.zeros(DataType.DOUBLE, mb, nClasses, steps);
        for (int i = 0; i < mb; i++) {
            for (int t = 0; t < steps; t++) {
                y.putScalar(i, r.nextInt((int) nClasses), t, 1.0);
            }
        }
        return format == RNNFormat.NCW ? y : y.permute(0, 2, 1).dup();
    }

    /** Mask [mb, T] with the given lengths, padded on the right. */
    public static INDArray rightPaddedMask(long steps, int... lengths) {
        INDArray m = Nd4j.zeros(DataType.DOUBLE, lengths.length, steps);
        for (int i = 0; i < lengths.length; i++) {
            for (int t = 0; t < lengths[i]; t++) {
                m.putScalar(i, t, 1.0);
            }
        }
        return m;
    }

    /** Mask [mb, T] with the given lengths, padded on the left. */
    public static INDArray leftPaddedMask(long steps, int... lengths) {
        INDArray m = Nd4j.zeros(DataType.DOUBLE, lengths.length, steps);
        for (int i = 0; i < lengths.length; i++) {
            for (long t = steps - lengths[i]; t < steps; t++) {
                m.putScalar(i, t, 1.0);
            }
        }
        return m;
    }

    /** Score and gradient of a graph on one MultiDataSet, masks included (as {@code ComputationGraph#fit} computes them). */
    public static void computeGradientAndScore(ComputationGraph g, MultiDataSet d) {
        g.setInputs(d.getFeatures());
        g.setLabels(d.getLabels());
        g.setLayerMaskArrays(d.getFeaturesMaskArrays(), d.getLabelsMaskArrays());
        g.computeGradientAndScore();
    }
}
