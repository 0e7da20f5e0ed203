package org.recurrent4j.train;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.api.layers.RecurrentLayer;
import org.deeplearning4j.nn.conf.BackpropType;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.distribution.NormalDistribution;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.nn.weights.WeightInitDistribution;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Small double-precision networks, data and recorders for the truncated-BPTT tests. */
final class TbpttFixtures {

    static final int N_IN = 3;
    static final int N_HIDDEN = 4;
    static final int N_OUT = 4;
    static final int MB = 2;

    private TbpttFixtures() {
    }

    static void doublePrecision() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    private static NeuralNetConfiguration.Builder base(double learningRate) {
        return new NeuralNetConfiguration.Builder().seed(12345).dataType(DataType.DOUBLE)
                .updater(new Sgd(learningRate)).weightInit(WeightInit.XAVIER);
    }

    private static Layer lstm() {
        return lstm(RNNFormat.NCW);
    }

    /** DL4J LSTM(3→4) in {@code format}, weights {@link #largeWeights()} so that the carried state matters. */
    static Layer lstm(RNNFormat format) {
        return new LSTM.Builder().nIn(N_IN).nOut(N_HIDDEN).activation(Activation.TANH).dataFormat(format)
                .weightInit(largeWeights()).build();
    }

    private static Layer output(int nIn) {
        return output(nIn, RNNFormat.NCW);
    }

    private static Layer output(int nIn, RNNFormat format) {
        return new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(nIn).nOut(N_OUT)
                .activation(Activation.SOFTMAX).dataFormat(format).build();
    }

    /** Weights N(0, 0.8), larger than Xavier's, so that the carried state matters. */
    static WeightInitDistribution largeWeights() {
        return new WeightInitDistribution(new NormalDistribution(0, 0.8));
    }

    /** DL4J SimpleRnn(3→4) with the given activation and data format, weights {@link #largeWeights()}. */
    static Layer simpleRnn(Activation activation, RNNFormat format) {
        return new SimpleRnn.Builder().nIn(N_IN).nOut(N_HIDDEN).activation(activation).dataFormat(format)
                .weightInit(largeWeights()).build();
    }

    /** LSTM(3→4) → RnnOutputLayer(softmax, MCXENT), plain SGD with the given learning rate. */
    static MultiLayerNetwork lstmNet(double learningRate) {
        return lstmNet(base(learningRate).list().layer(lstm()).layer(output(N_HIDDEN)).build());
    }

    /** LSTM(3→4) → Dense(4→4, tanh) → LSTM(4→4) → RnnOutputLayer; DL4J adds the RNN↔feed-forward preprocessors. */
    static MultiLayerNetwork stackedNet(double learningRate) {
        return lstmNet(base(learningRate).list().layer(lstm())
                .layer(new org.deeplearning4j.nn.conf.layers.DenseLayer.Builder().nIn(N_HIDDEN).nOut(N_HIDDEN)
                        .activation(Activation.TANH).build())
                .layer(new LSTM.Builder().nIn(N_HIDDEN).nOut(N_HIDDEN).activation(Activation.TANH).build())
                .layer(output(N_HIDDEN)).setInputType(InputType.recurrent(N_IN)).build());
    }

    /** The same network with DL4J's built-in truncated BPTT (forward and backward length k). */
    static MultiLayerNetwork lstmNetWithDl4jTbptt(double learningRate, int k) {
        return lstmNetWithDl4jTbptt(learningRate, k, k);
    }

    /** DL4J's built-in truncated BPTT with forward length {@code k1} and backward length {@code k2}. */
    static MultiLayerNetwork lstmNetWithDl4jTbptt(double learningRate, int k1, int k2) {
        return lstmNet(base(learningRate).list().layer(lstm()).layer(output(N_HIDDEN))
                .backpropType(BackpropType.TruncatedBPTT).tBPTTForwardLength(k1).tBPTTBackwardLength(k2).build());
    }

    /** Any layer (e.g. DL4J SimpleRnn) → RnnOutputLayer. */
    static MultiLayerNetwork netWith(Layer recurrent) {
        return netWith(recurrent, RNNFormat.NCW);
    }

    /** Any recurrent layer (of data format {@code format}) → RnnOutputLayer in {@code format}; learning rate 0. */
    static MultiLayerNetwork netWith(Layer recurrent, RNNFormat format) {
        return lstmNet(base(0.0).list().layer(recurrent).layer(output(N_HIDDEN, format)).build());
    }

    /** The graph in → recurrent → out (RnnOutputLayer), all in {@code format}; learning rate 0. */
    static ComputationGraph graphWith(Layer recurrent, RNNFormat format) {
        ComputationGraphConfiguration conf = base(0.0).graphBuilder().addInputs("in")
                .addLayer("rnn", recurrent, "in").addLayer("out", output(N_HIDDEN, format), "rnn")
                .setOutputs("out").setInputTypes(InputType.recurrent(N_IN, format)).build();
        ComputationGraph net = new ComputationGraph(conf);
        net.init();
        return net;
    }

    /** {@code [mb, size, T]} (NCW) as {@code format}: a copy, permuted to {@code [mb, T, size]} for NWC. */
    static INDArray inFormat(INDArray ncw, RNNFormat format) {
        return format == RNNFormat.NWC ? ncw.permute(0, 2, 1).dup() : ncw;
    }

    /** A network reading and writing {@code format} as the oracle's NCW {@link UnrolledWindowOracle.SteppableNet}. */
    static UnrolledWindowOracle.SteppableNet inNcw(UnrolledWindowOracle.SteppableNet net, RNNFormat format) {
        if (format == RNNFormat.NCW) {
            return net;
        }
        return new UnrolledWindowOracle.SteppableNet() {
            @Override
            public void clearState() {
                net.clearState();
            }

            @Override
            public INDArray step(INDArray features) {
                INDArray out = net.step(inFormat(features, format));      // [mb, T, nOut]
                return out.rank() == 3 ? out.permute(0, 2, 1) : out;     // [mb, nOut, T]
            }

            @Override
            public Object saveState() {
                return net.saveState();
            }

            @Override
            public void restoreState(Object state) {
                net.restoreState(state);
            }

            @Override
            public INDArray params() {
                return net.params();
            }
        };
    }

    private static MultiLayerNetwork lstmNet(MultiLayerConfiguration conf) {
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /** The LSTM network as a graph: in → lstm → out. */
    static ComputationGraph lstmGraph(double learningRate) {
        ComputationGraphConfiguration conf = base(learningRate).graphBuilder().addInputs("in")
                .addLayer("lstm", lstm(), "in").addLayer("out", output(N_HIDDEN), "lstm")
                .setOutputs("out").setInputTypes(InputType.recurrent(N_IN)).build();
        ComputationGraph net = new ComputationGraph(conf);
        net.init();
        return net;
    }

    /** Many-to-one graph: in → lstm → LastTimeStepVertex → OutputLayer(softmax, MCXENT); labels {@code [mb, nOut]}. */
    static ComputationGraph lstmLastStepGraph(double learningRate) {
        ComputationGraphConfiguration conf = base(learningRate).graphBuilder().addInputs("in")
                .addLayer("lstm", lstm(), "in")
                .addVertex("last", new org.deeplearning4j.nn.conf.graph.rnn.LastTimeStepVertex("in"), "lstm")
                .addLayer("out", new org.deeplearning4j.nn.conf.layers.OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .nIn(N_HIDDEN).nOut(N_OUT).activation(Activation.SOFTMAX).build(), "last")
                .setOutputs("out").setInputTypes(InputType.recurrent(N_IN)).build();
        ComputationGraph net = new ComputationGraph(conf);
        net.init();
        return net;
    }

    /** Features {@code [MB, N_IN, t]} uniform in [-1, 1]. */
    static INDArray features(long t, long seed) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.rand(DataType.DOUBLE, MB, N_IN, t).muli(2).subi(1);
    }

    /** One-hot labels {@code [MB, N_OUT, t]}. */
    static INDArray labels(long t, long seed) {
        Random r = new Random(seed);
        INDArray y = Nd4j.zeros(DataType.DOUBLE, MB, N_OUT, t);
        for (int i = 0; i < MB; i++) {
            for (int s = 0; s < t; s++) {
                y.putScalar(new long[]{i, r.nextInt(N_OUT), s}, 1.0);
            }
        }
        return y;
    }

    /** Oracle view of a MultiLayerNetwork. */
    static UnrolledWindowOracle.SteppableNet steppable(MultiLayerNetwork net) {
        return new UnrolledWindowOracle.SteppableNet() {
            @Override
            public void clearState() {
                net.rnnClearPreviousState();
            }

            @Override
            public INDArray step(INDArray features) {
                return net.rnnTimeStep(features);
            }

            @Override
            public Object saveState() {
                Map<Integer, Map<String, INDArray>> state = new HashMap<>();
                for (int i = 0; i < net.getnLayers(); i++) {
                    if (net.getLayer(i) instanceof RecurrentLayer) {
                        state.put(i, dup(net.rnnGetPreviousState(i)));
                    }
                }
                return state;
            }

            @Override
            @SuppressWarnings("unchecked")
            public void restoreState(Object state) {
                ((Map<Integer, Map<String, INDArray>>) state).forEach((i, s) -> net.rnnSetPreviousState(i, dup(s)));
            }

            @Override
            public INDArray params() {
                return net.params();
            }
        };
    }

    /** Oracle view of a ComputationGraph with one input and one output. */
    static UnrolledWindowOracle.SteppableNet steppable(ComputationGraph net) {
        return new UnrolledWindowOracle.SteppableNet() {
            @Override
            public void clearState() {
                net.rnnClearPreviousState();
            }

            @Override
            public INDArray step(INDArray features) {
                return net.rnnTimeStep(features)[0];
            }

            @Override
            public Object saveState() {
                Map<String, Map<String, INDArray>> state = new HashMap<>();
                for (org.deeplearning4j.nn.api.Layer l : net.getLayers()) {
                    if (l instanceof RecurrentLayer) {
                        String name = l.conf().getLayer().getLayerName();
                        state.put(name, dup(net.rnnGetPreviousState(name)));
                    }
                }
                return state;
            }

            @Override
            @SuppressWarnings("unchecked")
            public void restoreState(Object state) {
                ((Map<String, Map<String, INDArray>>) state).forEach((name, s) -> net.rnnSetPreviousState(name, dup(s)));
            }

            @Override
            public INDArray params() {
                return net.params();
            }
        };
    }

    private static Map<String, INDArray> dup(Map<String, INDArray> m) {
        Map<String, INDArray> out = new HashMap<>();
        m.forEach((k, v) -> out.put(k, v.dup()));
        return out;
    }

    /**
     * Records, at every update, the parameters, the score and the minibatch-mean gradient before the updater runs
     * (DL4J's gradient at that point is summed over the minibatch; its updater divides by the minibatch size).
     */
    static final class Recorder extends BaseTrainingListener {
        final List<INDArray> params = new ArrayList<>();
        final List<INDArray> gradients = new ArrayList<>();
        final List<Double> scores = new ArrayList<>();
        int iterationsDone;

        @Override
        public void onGradientCalculation(Model model) {
            params.add(model.params().dup());
            gradients.add(model.gradient().gradient().div(model.batchSize()));
            scores.add(model.score());
        }

        @Override
        public void iterationDone(Model model, int iteration, int epoch) {
            iterationsDone++;
        }
    }
}
