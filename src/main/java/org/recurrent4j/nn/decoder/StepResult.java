package org.recurrent4j.nn.decoder;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The result of one decoder step.
 *
 * @param output    [mb, outputSize] what the vertex outputs at this step (the input of the output layer)
 * @param state     the state after this step
 * @param alignment [mb, Tx] the attention weights of this step, or null for attention NONE
 */
public record StepResult(INDArray output, DecoderState state, INDArray alignment) {
}
