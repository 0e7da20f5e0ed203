package org.recurrent4j.nn.attention;

import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Parameter initialisation shared by the score functions. */
final class ScoreParams {
    private ScoreParams() {
    }

    /** Xavier-uniform initialisation of a [fanIn, fanOut] weight view. */
    static void xavier(INDArray view, long fanIn, long fanOut) {
        INDArray w = WeightInit.XAVIER_UNIFORM.getWeightInitFunction()
                .init(fanIn, fanOut, view.shape(), 'c', view.ulike());
        view.assign(w);
    }
}
