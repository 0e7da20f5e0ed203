package org.recurrent4j.nn.cell;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The recurrent parameters a cell reads at every step.
 *
 * @param recurrentWeights RW [n, G·n], gate blocks side by side (column block g = gate g)
 * @param recurrentBias    RB [1, G·n], or null for cells without one
 */
public record CellParams(INDArray recurrentWeights, INDArray recurrentBias) {
}
