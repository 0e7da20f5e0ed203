package org.recurrent4j.conf;

import org.recurrent4j.nn.RecurrentTestSupport;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.recurrent4j.nn.RecurrentTestSupport.*;

import java.io.File;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** JSON round trips of the configurations, ModelSerializer save/load and deep clones. */
class SerializationTest {
    @TempDir
    File dir;

    @ParameterizedTest
    @EnumSource(Variant.class)
    void multiLayerJsonModelSerializerAndClone(Variant v) throws Exception {
        MultiLayerNetwork net = net(v.layer(3, 4, RNNFormat.NWC), 4, 2, RNNFormat.NWC, 5);
        MultiLayerConfiguration conf = net.getLayerWiseConfigurations();
        String json = conf.toJson();
        assertTrue(json.contains("org.recurrent4j.conf."), json);
        assertEquals(conf, MultiLayerConfiguration.fromJson(json));
        assertEquals(json, MultiLayerConfiguration.fromJson(json).toJson());

        INDArray x = features(2, 3, 6, RNNFormat.NWC, 6);
        INDArray expected = net.output(x);
        File file = new File(dir, v + ".zip");
        ModelSerializer.writeModel(net, file, true);
        MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(file, true);
        assertEquals(expected, restored.output(x));
        assertEquals(conf, restored.getLayerWiseConfigurations());

        MultiLayerNetwork clone = net.clone();
        assertEquals(expected, clone.output(x));
        clone.getLayer(0).getParam("RW").addi(1.0);
        assertNotEquals(expected, clone.output(x));
        assertEquals(expected, net.output(x), "clone shares no parameters with the original");
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void computationGraphJsonAndModelSerializer(Variant v) throws Exception {
        ComputationGraphConfiguration conf = doubleBase(3).graphBuilder()
                .addInputs("in").setInputTypes(InputType.recurrent(3, 5))
                .addLayer("bi", new Bidirectional(v.layer(3, 4, RNNFormat.NCW)), "in")
                .addLayer("out", new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .activation(Activation.SOFTMAX).nOut(2).build(), "bi")
                .setOutputs("out").build();
        assertEquals(conf, ComputationGraphConfiguration.fromJson(conf.toJson()));
        ComputationGraph net = new ComputationGraph(conf);
        net.init();
        INDArray x = features(2, 3, 5, RNNFormat.NCW, 7);
        File file = new File(dir, v + "-graph.zip");
        ModelSerializer.writeModel(net, file, true);
        assertEquals(net.outputSingle(x), ModelSerializer.restoreComputationGraph(file, true).outputSingle(x));
    }
}
