package org.recurrent4j.conf;

import java.util.Collection;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.recurrent4j.nn.layers.MaskedLstmLayer;

/**
 * DL4J's {@link LSTM} (same math, parameters, gate order and implementation) that also applies the features mask
 * in forward passes: a masked step outputs zero and resets the cell and hidden state to zero, as DL4J's LSTM code
 * does whenever it has a mask.
 *
 * <p>DL4J's own {@code LSTM} layer never receives the features mask on the way forward
 * ({@code feedForwardMaskArray} passes it on without keeping it), so {@code output(x, false, mask, null)} of a
 * network of {@code LSTM} layers computes the padded steps like real ones: non-zero outputs there, and inside
 * DL4J's {@code Bidirectional}, which reverses the whole time axis, a backward direction that runs through the
 * padding before the real steps. This layer keeps the mask, so right-padded batches give what PyTorch's packed
 * sequences give, in both directions. Its backward pass is the gradient of that forward pass, for right- and
 * left-padded rows (DL4J's LSTM code, given a mask, passes the error of a masked step's output and, before the first
 * real step of a left-padded row, the recurrent error into the masked steps; the layer zeroes the first and moves such
 * rows to start at step 0 for the backward pass): checked by central differences and against PyTorch's autograd.
 *
 * <pre>{@code
 * new MaskedLstm(nIn, nOut)   // tanh, sigmoid gates, forget-gate bias 1 before training
 * }</pre>
 */
public class MaskedLstm extends LSTM {

    /** For JSON deserialisation. */
    public MaskedLstm() {
    }

    /** An LSTM with tanh activations, sigmoid gates and forget-gate bias initialisation 1 (DL4J's defaults). */
    public MaskedLstm(long nIn, long nOut) {
        setNIn(nIn);
        setNOut(nOut);
        setActivationFn(Activation.TANH.getActivationFunction());
        setGateActivationFn(Activation.SIGMOID.getActivationFunction());
        setForgetGateBiasInit(1.0);
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int layerIndex,
                             INDArray layerParamsView, boolean initializeParams, DataType networkDataType) {
        LayerValidation.assertNInNOutSet("MaskedLstm", getLayerName(), layerIndex, getNIn(), getNOut());
        return RecurrentLayerConf.attach(new MaskedLstmLayer(conf, networkDataType), conf, listeners, layerIndex,
                layerParamsView, initializer(), initializeParams);
    }
}
