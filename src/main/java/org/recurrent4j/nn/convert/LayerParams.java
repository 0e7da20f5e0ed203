package org.recurrent4j.nn.convert;

import org.deeplearning4j.nn.api.Layer;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Writing converted tensors into a layer's parameter views. */
final class LayerParams {
    private LayerParams() {
    }

    /** Copies {@code value} (same length, any shape and data type) into the layer's parameter {@code key}. */
    static void assign(Layer layer, String key, INDArray value) {
        INDArray p = layer.getParam(key);
        p.assign(value.reshape(p.shape()).castTo(p.dataType()));
    }
}
