package org.recurrent4j.nn.layers;

import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.layers.recurrent.LSTM;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The layer of {@code org.recurrent4j.conf.MaskedLstm}: DL4J's LSTM, keeping the features mask it is given on the way forward. */
public class MaskedLstmLayer extends LSTM {

    public MaskedLstmLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public Pair<INDArray, MaskState> feedForwardMaskArray(INDArray maskArray, MaskState currentMaskState,
                                                          int minibatchSize) {
        this.maskArray = maskArray;
        this.maskState = currentMaskState;
        return super.feedForwardMaskArray(maskArray, currentMaskState, minibatchSize);
    }
}
