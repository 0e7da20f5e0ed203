package org.recurrent4j.conf;

import org.recurrent4j.nn.decoder.AttentionDecoderTest;
import org.recurrent4j.nn.graph.AttentionVertexTest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.recurrent4j.nn.RecurrentTestSupport.*;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.recurrent4j.conf.ElmanRnn;
import org.recurrent4j.conf.Gru;
import org.recurrent4j.conf.graph.AttentionDecoderVertex;
import org.recurrent4j.conf.graph.AttentionVertexConf;
import org.recurrent4j.seq2seq.Seq2SeqBuilder;
import org.recurrent4j.seq2seq.Seq2SeqBuilderTest;

/**
 * Round trips of every recurrent4j configuration class through Java serialization ({@code ObjectOutputStream} →
 * {@code ObjectInputStream}, the encoding Spark uses to broadcast configurations to its executors) and through JSON
 * (DL4J's {@code toJson}/{@code fromJson}, the encoding of saved models and of ParallelWrapper's replicas): the layer
 * confs ({@link ElmanRnn}, {@link Gru}, as {@link org.recurrent4j.conf.RecurrentLayerConf}), the attention vertices,
 * the attention decoder vertex in all its variants, and whole {@code MultiLayerConfiguration}s and
 * {@code ComputationGraphConfiguration}s holding them, a {@link Seq2SeqBuilder} RNNsearch graph included.
 *
 * <p>A restored configuration must equal the original and write the identical JSON, and a network built from it and
 * given the original's parameters must compute the identical output: a field lost or reset by either encoding shows
 * up as an inequality or as a different output.
 */
class ConfigurationSerializationTest {

    /** The two encodings a configuration travels in. */
    enum Encoding {
        JAVA, JSON;

        MultiLayerConfiguration roundTrip(MultiLayerConfiguration conf) {
            return this == JAVA ? javaRoundTrip(conf) : MultiLayerConfiguration.fromJson(conf.toJson());
        }

        ComputationGraphConfiguration roundTrip(ComputationGraphConfiguration conf) {
            return this == JAVA ? javaRoundTrip(conf) : ComputationGraphConfiguration.fromJson(conf.toJson());
        }
    }

    /** Writes {@code object} with an {@code ObjectOutputStream} and reads it back. */
    @SuppressWarnings("unchecked")
    static <T extends Serializable> T javaRoundTrip(T object) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(object);
        } catch (IOException e) {
            throw new AssertionError(object.getClass().getName() + " is not Java-serialisable", e);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (T) in.readObject();
        } catch (IOException | ClassNotFoundException e) {
            throw new AssertionError(object.getClass().getName() + " cannot be read back", e);
        }
    }

    static <T extends Serializable> void assertJavaRoundTripEquals(T conf) {
        T back = javaRoundTrip(conf);
        assertNotSame(conf, back);
        assertEquals(conf, back);
        assertEquals(conf.hashCode(), back.hashCode());
    }

    static Stream<Arguments> recurrentLayers() {
        return Stream.of(
                Arguments.of("elman tanh", new ElmanRnn.Builder().nIn(3).nOut(4).build()),
                Arguments.of("elman irnn NWC", new ElmanRnn.Builder().nIn(3).nOut(4).irnn().dataFormat(RNNFormat.NWC).build()),
                Arguments.of("gru", new Gru.Builder().nIn(3).nOut(4).build()),
                Arguments.of("gru resetAfter validated", new Gru.Builder().nIn(3).nOut(4).resetAfter(true)
                        .validateInputValues(true).build()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("recurrentLayers")
    void recurrentLayerConfigurations(String name, Layer layer) {
        assertJavaRoundTripEquals(layer);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.recurrent4j.nn.graph.AttentionVertexTest#vertices")
    void attentionVertexConfigurations(String name, AttentionVertexConf v) {
        assertJavaRoundTripEquals(v);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.recurrent4j.nn.decoder.AttentionDecoderTest#variants")
    void attentionDecoderVertexConfigurations(String name, AttentionDecoderVertex v) {
        assertJavaRoundTripEquals(v);
    }

    @ParameterizedTest
    @EnumSource(Encoding.class)
    void multiLayerConfigurationWithEveryRecurrentLayer(Encoding encoding) {
        List<Layer> layers = recurrentLayers().map(a -> (Layer) a.get()[1]).toList();
        NeuralNetConfiguration.ListBuilder b = doubleBase(5).updater(new Adam(0.01)).list();
        long nIn = 3;
        for (Layer layer : layers) {
            ((org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer) layer).setNIn(nIn);
            ((org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer) layer).setRnnDataFormat(RNNFormat.NCW);
            b.layer(layer);
            nIn = 4;
        }
        b.layer(new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX)
                .nIn(4).nOut(2).build());
        MultiLayerNetwork net = new MultiLayerNetwork(b.build());
        net.init();
        MultiLayerConfiguration conf = net.getLayerWiseConfigurations();

        MultiLayerConfiguration back = encoding.roundTrip(conf);
        assertEquals(conf, back);
        assertEquals(conf.toJson(), back.toJson());
        MultiLayerNetwork restored = new MultiLayerNetwork(back);
        restored.init(net.params().dup(), false);
        INDArray x = features(2, 3, 5, RNNFormat.NCW, 3);
        INDArray mask = rightPaddedMask(5, 5, 3);
        assertEquals(net.output(x, false, mask, null), restored.output(x, false, mask, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.recurrent4j.nn.graph.AttentionVertexTest#vertices")
    void graphConfigurationWithAttentionVertex(String name, AttentionVertexConf v) {
        for (Encoding encoding : Encoding.values()) {
            assertGraphRoundTrip(AttentionVertexTest.graph(v), encoding::roundTrip, AttentionVertexTest.inputs(v, 4),
                    AttentionVertexTest.masks(v));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.recurrent4j.nn.decoder.AttentionDecoderTest#variants")
    void graphConfigurationWithAttentionDecoderVertex(String name, AttentionDecoderVertex v) {
        for (Encoding encoding : Encoding.values()) {
            assertGraphRoundTrip(AttentionDecoderTest.graph(v, 6), encoding::roundTrip, AttentionDecoderTest.inputs(2),
                    new INDArray[] {AttentionDecoderTest.targetMask(), AttentionDecoderTest.sourceMask()});
        }
    }

    @ParameterizedTest
    @EnumSource(Encoding.class)
    void rnnSearchGraphConfiguration(Encoding encoding) {
        ComputationGraph graph = Seq2SeqBuilderTest.tiny(Seq2SeqBuilder.rnnSearch()).encoderLayers(2).dropout(0.1)
                .updater(new Adam(0.01)).dataType(DataType.DOUBLE).seed(9)
                .build(Seq2SeqBuilderTest.vocabulary("s", 9), Seq2SeqBuilderTest.vocabulary("t", 11)).graph();
        MultiDataSet batch = Seq2SeqBuilderTest.batch(new Random(2), 3, 9, 11);
        assertGraphRoundTrip(graph, encoding::roundTrip, batch.getFeatures(), batch.getFeaturesMaskArrays());
    }

    /**
     * The restored configuration equals the original, writes the same JSON, and a graph built from it with the
     * original's parameters computes the same output (inference mode).
     */
    static void assertGraphRoundTrip(ComputationGraph graph, UnaryOperator<ComputationGraphConfiguration> roundTrip,
                                     INDArray[] inputs, INDArray[] masks) {
        ComputationGraphConfiguration conf = graph.getConfiguration();
        ComputationGraphConfiguration back = roundTrip.apply(conf);
        assertEquals(conf, back);
        assertEquals(conf.toJson(), back.toJson());
        ComputationGraph restored = new ComputationGraph(back);
        restored.init(graph.params().dup(), false);
        assertEquals(graph.output(false, inputs, masks)[0], restored.output(false, inputs, masks)[0]);
    }
}
