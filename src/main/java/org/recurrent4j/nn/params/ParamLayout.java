package org.recurrent4j.nn.params;

import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The named parameters of a graph vertex: their shapes in the order of the vertex's flat parameter view, which of
 * them are biases, and their initial values.
 */
public interface ParamLayout {

    /** @return parameter key → shape, in the order of the flat parameter view */
    LinkedHashMap<String, long[]> paramShapes();

    /** @return whether a parameter is a bias (no regularisation, bias updater) */
    boolean isBias(String key);

    /** Initialises the parameter views of a new network. */
    void initParams(Map<String, INDArray> params);
}
