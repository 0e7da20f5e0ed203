package org.recurrent4j.compute.decoder;

import org.recurrent4j.compute.Matrix;

/**
 * The gradients of one decoder step, rows = examples. Per-step results that the weight gradients after the loop read
 * are views of the backward pass's memory.
 *
 * @param dOutput      [mb, outputSize] dL/d(output_t), unmasked (read)
 * @param dState       [mb, S] dL/ds_t from later steps (read)
 * @param dFeed        [mb, n] dL/dh̃_t from later steps (read; input feeding)
 * @param dPrevState   [mb, S] receives dL/ds_{t−1}
 * @param dPrevFeed    [mb, n] receives dL/dh̃_{t−1} (input feeding)
 * @param dXProj       [mb, G·n] receives the gradient at the cell's input pre-activations
 * @param dRec         [mb, G·n] receives the gradient at the cell's recurrent pre-activations (reset-after GRU)
 * @param dContext     [mb, dh] receives dL/dc_t
 * @param dY           [mb, e] receives the deep output's gradient at y_t (deep output)
 * @param dDeepPre     [mb, 2l] receives the gradient at the deep output's pre-activation (deep output)
 * @param dAttentional [mb, n] receives the gradient at h̃_t's pre-activation (Luong)
 */
record StepGradients(Matrix dOutput, Matrix dState, Matrix dFeed, Matrix dPrevState, Matrix dPrevFeed,
                            Matrix dXProj, Matrix dRec, Matrix dContext, Matrix dY, Matrix dDeepPre,
                            Matrix dAttentional) {
}
