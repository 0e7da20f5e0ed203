package org.recurrent4j.compute.decoder;

import java.util.Map;
import org.recurrent4j.compute.Matrix;

/**
 * One ordering of the decoder's step ({@link DecoderShape.Ordering}): its forward step, its backward step and the
 * weight gradients that depend on it. The time loop and the memory of whole passes are {@link DecoderSequence}'s.
 */
interface DecoderStep {

    /** Gradients that the steps of a backward pass add to. */
    record Accumulators(Map<String, Matrix> scoreGradients, Matrix dProjectedKeys, Matrix dFixedContext) {
    }

    /** One forward step: fills the outputs and kept matrices of {@code s}. */
    void forward(DecoderWeights p, Encoding enc, StepMatrices s);

    /**
     * Backward through one step, given the matrices its forward step filled.
     *
     * @param acc the score's parameter gradients, dL/d(projected keys) and dL/d(fixed context), added to
     */
    void backward(DecoderWeights p, Encoding enc, StepMatrices s, StepGradients g, Accumulators acc);

    /**
     * The gradients of this ordering's own weights for all steps at once (one GEMM each), after the backward loop.
     *
     * @param grads overwritten
     */
    void weightGradients(DecoderSequence.Pass pass, DecoderSequence.PassGradients g, DecoderWeights grads);
}
