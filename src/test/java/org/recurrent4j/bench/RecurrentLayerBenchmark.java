package org.recurrent4j.bench;

import java.util.concurrent.TimeUnit;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.recurrent4j.conf.ElmanRnn;
import org.recurrent4j.conf.Gru;

/**
 * One training iteration (forward + backward + SGD update) of one recurrent layer plus a softmax
 * {@code RnnOutputLayer} (64 classes), float32, on the CPU backend: ours against DL4J's built-ins in the same run.
 * {@code ELMAN} vs {@code SIMPLE_RNN} (same function), {@code GRU} vs {@code LSTM} (a GRU does ¾ of an LSTM's gate work).
 * Threads: the forked JVM inherits {@code OMP_NUM_THREADS}; see BENCHMARKS.md.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx6g"})
public class RecurrentLayerBenchmark {
    private static final int STEPS = 50;
    private static final int CLASSES = 64;

    @Param({"ELMAN", "SIMPLE_RNN", "GRU", "GRU_RESET_AFTER", "LSTM"})
    public String layer;

    @Param({"32", "64"})
    public int minibatch;

    @Param({"256", "512"})
    public int size;

    private MultiLayerNetwork net;
    private INDArray features;
    private INDArray labels;

    @Setup
    public void setUp() {
        Layer recurrent = switch (layer) {
            case "ELMAN" -> new ElmanRnn.Builder().nIn(size).nOut(size).build();
            case "SIMPLE_RNN" -> new SimpleRnn.Builder().nIn(size).nOut(size).activation(Activation.TANH).build();
            case "GRU" -> new Gru.Builder().nIn(size).nOut(size).build();
            case "GRU_RESET_AFTER" -> new Gru.Builder().nIn(size).nOut(size).resetAfter(true).build();
            case "LSTM" -> new LSTM.Builder().nIn(size).nOut(size).activation(Activation.TANH).build();
            default -> throw new IllegalArgumentException("unknown layer " + layer);
        };
        net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(1).dataType(DataType.FLOAT)
                .updater(new Sgd(1e-3)).weightInit(WeightInit.XAVIER).list()
                .layer(recurrent)
                .layer(new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX)
                        .nIn(size).nOut(CLASSES).build())
                .build());
        net.init();
        Nd4j.getRandom().setSeed(2);
        features = Nd4j.randn(DataType.FLOAT, minibatch, size, STEPS);
        labels = Nd4j.zeros(DataType.FLOAT, minibatch, CLASSES, STEPS);
        for (int i = 0; i < minibatch; i++) {
            for (int t = 0; t < STEPS; t++) {
                labels.putScalar(i, (i * 7 + t * 3) % CLASSES, t, 1f);
            }
        }
    }

    @Benchmark
    public double fit() {
        net.fit(features, labels);
        return net.score();
    }
}
