package org.recurrent4j.nn.convert;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Backward passes against PyTorch's autograd: for every double-precision fixture (nn.GRU → {@code Gru(resetAfter)},
 * nn.RNN tanh/relu → {@code ElmanRnn}, nn.LSTM → {@code MaskedLstm}; one and two layers, one and two directions), the
 * gradient of {@code L = Σ output_padded ∘ R} (R fixed and random, the output of right-padded sequences as PyTorch's
 * packed sequences give it) with respect to every parameter and to the input, computed by the imported network
 * ({@code MultiLayerNetwork.backpropGradient} with the features mask) and by PyTorch
 * ({@code generate_pytorch_recurrent_fixtures.py}). The parameter gradients are compared in PyTorch's layout: the
 * network's flat gradient is exported as if it were its parameters, which applies the same gate permutation and
 * negation, a linear map that is its own transpose. For RNN and LSTM, PyTorch's two biases have one gradient each,
 * equal to the gradient of our one bias (their sum); the export writes it as {@code bias_ih} and zeros as
 * {@code bias_hh}, so {@code bias_hh}'s gradient is compared with {@code bias_ih}'s export.
 */
class PyTorchGradientTest {
    private static final double TOLERANCE = 1e-12;

    static List<String> doubleFixtures() {
        return PyTorchFixtures.names().stream().filter(n -> n.endsWith("_f64")).toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("doubleFixtures")
    void gradientsEqualPyTorchAutograd(String name) throws IOException {
        Map<String, INDArray> f = PyTorchFixtures.arrays(name);
        PyTorchRecurrentModule module = PyTorchFixtures.module(name);
        MultiLayerNetwork net = PyTorchRecurrentImport.fromNpz(PyTorchFixtures.path(name), PyTorchFixtures.PREFIX, module);

        net.setInput(f.get("input"));                                           // [mb, nIn, T]
        net.setLayerMaskArrays(f.get("mask"), null);                            // [mb, T]
        net.feedForward(true, false);
        Pair<Gradient, INDArray> backward = net.backpropGradient(f.get("loss_weights"),   // dL/d output [mb, D*n, T]
                LayerWorkspaceMgr.noWorkspaces());

        double inputDiff = PyTorchFixtures.maxAbsDiff(f.get("grad_input"), backward.getSecond());
        MultiLayerNetwork gradients = net.clone();
        gradients.setParams(net.getGradientsViewArray().dup());
        Map<String, INDArray> ours = PyTorchRecurrentExport.toStateDict(gradients, PyTorchFixtures.PREFIX);
        double paramDiff = 0;
        for (Map.Entry<String, INDArray> e : ours.entrySet()) {
            String key = e.getKey();
            boolean summedBias = module != PyTorchRecurrentModule.GRU && key.contains("bias_hh");
            INDArray expected = f.get("grad." + key);
            INDArray actual = summedBias ? ours.get(key.replace("bias_hh", "bias_ih")) : e.getValue();
            double diff = PyTorchFixtures.maxAbsDiff(expected, actual.reshape(expected.shape()));
            assertTrue(diff <= TOLERANCE, name + ": dL/d " + key + " differs from PyTorch's by " + diff);
            paramDiff = Math.max(paramDiff, diff);
        }
        System.out.printf("PyTorch autograd %-20s max |diff| parameters %.3e, input %.3e%n", name, paramDiff, inputDiff);
        assertTrue(inputDiff <= TOLERANCE, name + ": dL/d input differs from PyTorch's by " + inputDiff);
    }
}
