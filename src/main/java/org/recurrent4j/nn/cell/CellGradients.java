package org.recurrent4j.nn.cell;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Where {@link RecurrentCell#recurrentWeightGradients} writes.
 *
 * @param recurrentWeights dRW [n, G·n]
 * @param recurrentBias    dRB [1, G·n], or null for cells without a recurrent bias
 */
public record CellGradients(INDArray recurrentWeights, INDArray recurrentBias) {
}
