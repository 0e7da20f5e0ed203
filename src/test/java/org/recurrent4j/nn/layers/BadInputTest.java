package org.recurrent4j.nn.layers;

import org.recurrent4j.nn.RecurrentTestSupport;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.recurrent4j.nn.RecurrentTestSupport.*;

import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.recurrent4j.conf.ElmanRnn;
import org.recurrent4j.conf.Gru;

/** Bad input gives an exception that names the layer, the argument, and expected vs actual. */
class BadInputTest {

    private static MultiLayerNetwork net(Variant v, RNNFormat f) {
        return RecurrentTestSupport.net(v.layer(3, 4, f), 4, 2, f, 1);
    }

    private static void assertMessage(Throwable e, String... parts) {
        Throwable t = e;
        while (t.getCause() != null && !(t instanceof IllegalArgumentException || t instanceof IllegalStateException)) {
            t = t.getCause();
        }
        for (String p : parts) {
            assertTrue(t.getMessage().contains(p), "message lacks '" + p + "': " + t.getMessage());
        }
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void wrongFeatureSize(Variant v) {
        Exception e = assertThrows(IllegalArgumentException.class, () -> net(v, RNNFormat.NCW).output(Nd4j.zeros(DataType.DOUBLE, 2, 5, 7)));
        assertMessage(e, "layer", "(index 0)", "nIn) must be 3", "[2, 5, 7]");
        e = assertThrows(IllegalArgumentException.class, () -> net(v, RNNFormat.NWC).output(Nd4j.zeros(DataType.DOUBLE, 2, 3, 7)));
        assertMessage(e, "[minibatch, time, nIn=3] (NWC)", "[2, 3, 7]");
    }

    @Test
    void wrongRank() {
        Exception e = assertThrows(IllegalArgumentException.class,
                () -> net(Variant.GRU, RNNFormat.NCW).getLayer(0).activate(Nd4j.zeros(DataType.DOUBLE, 2, 3), false,
                        org.deeplearning4j.nn.workspace.LayerWorkspaceMgr.noWorkspaces()));
        assertMessage(e, "Gru layer 'layer0' (index 0)", "rank 3", "got rank 2", "[2, 3]");
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void wrongMaskShape(Variant v) {
        INDArray x = Nd4j.zeros(DataType.DOUBLE, 2, 3, 7);
        Exception e = assertThrows(IllegalArgumentException.class,
                () -> net(v, RNNFormat.NCW).output(x, false, Nd4j.ones(DataType.DOUBLE, 2, 6), null));
        assertMessage(e, "mask must have shape [minibatch, time] = [2, 7]", "[2, 6]");
    }

    @Test
    void nanInInputWhenCheckEnabled() {
        MultiLayerNetwork net = RecurrentTestSupport.net(new ElmanRnn.Builder().nIn(3).nOut(4).name("enc")
                .validateInputValues(true).build(), 4, 2, RNNFormat.NCW, 1);
        INDArray x = Nd4j.zeros(DataType.DOUBLE, 2, 3, 7);
        x.putScalar(new long[] {1, 2, 5}, Double.NaN);
        Exception e = assertThrows(IllegalArgumentException.class, () -> net.output(x));
        assertMessage(e, "ElmanRnn layer 'enc'", "NaN", "example 1, time step 5, feature 2");
    }

    @Test
    void storedStateOfAnotherMinibatchSize() {
        MultiLayerNetwork net = net(Variant.GRU, RNNFormat.NCW);
        net.rnnTimeStep(Nd4j.zeros(DataType.DOUBLE, 3, 3, 2));
        Exception e = assertThrows(IllegalStateException.class, () -> net.rnnTimeStep(Nd4j.zeros(DataType.DOUBLE, 2, 3, 2)));
        assertMessage(e, "stored state must have shape [minibatch, nOut] = [2, 4]", "[3, 4]", "rnnClearPreviousState()");
    }

    @Test
    void gruRejectsAnotherCandidateActivation() {
        Exception e = assertThrows(IllegalArgumentException.class,
                () -> new Gru.Builder().nIn(3).nOut(4).activation(Activation.RELU).name("dec").build());
        assertMessage(e, "Gru layer 'dec'", "fixed to tanh", "relu");
    }
}
