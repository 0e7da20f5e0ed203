package org.recurrent4j.compute.decoder;

import org.recurrent4j.compute.Matrix;

/**
 * The matrices of one decoder step, rows = examples (sentences × beams): its inputs, its outputs, and what it keeps
 * for the backward pass (views of a training pass's memory, or scratch). Shapes: S the cell's state width (n, or 2n for
 * an LSTM's [h, c]); components of the other ordering, or of options not in use, are null.
 *
 * @param xBase       [mb, G·n] {@code y W + b} (read)
 * @param y           [mb, e] the step's target-side input (read)
 * @param mask        [mb, 1] the step's target mask, or null (read)
 * @param prevState   [mb, S] (read)
 * @param prevFeed    [mb, n] h̃_{t−1} (read; input feeding)
 * @param state       [mb, S] receives s_t (masked rows keep prevState)
 * @param feed        [mb, n] receives h̃_t for the next step (input feeding; masked rows keep prevFeed)
 * @param output      [mb, outputSize] receives the step's output (zero in masked rows)
 * @param alpha       [mb, Tx] receives the attention weights (attention)
 * @param context     [mb, dh] receives c_t
 * @param hidden      [mb·Tx, a] receives what the score saves for backward, or null (backward recomputes it)
 * @param cellCache   [mb, C] receives the cell's cache
 * @param cellState   [mb, S] receives the cell's new state before masking
 * @param attentional [mb, n] receives the pre-activation of h̃_t, {@code [c_t; h_t] W_c} (Luong)
 * @param deepPre     [mb, 2l] receives the deep output's pre-activation (deep output)
 */
public record StepMatrices(Matrix xBase, Matrix y, Matrix mask, Matrix prevState, Matrix prevFeed, Matrix state,
                           Matrix feed, Matrix output, Matrix alpha, Matrix context, Matrix hidden, Matrix cellCache,
                           Matrix cellState, Matrix attentional, Matrix deepPre) {
}
