package org.recurrent4j.compute;

/**
 * The recurrent parameters a cell reads at every step, or the gradients of those parameters.
 *
 * @param recurrentWeights RW [n, G·n], gate blocks side by side (column block g = gate g)
 * @param recurrentBias    RB [1, G·n], or null for cells without one
 */
public record CellWeights(Matrix recurrentWeights, Matrix recurrentBias) {
}
