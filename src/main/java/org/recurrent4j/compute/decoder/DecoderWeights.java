package org.recurrent4j.compute.decoder;

import java.util.Map;
import org.recurrent4j.compute.CellWeights;
import org.recurrent4j.compute.Matrix;

/**
 * The decoder's parameters (or their gradients), as engine matrices; a component is null when the configuration has
 * no such parameter.
 *
 * @param inputWeights        W [e, G·n]
 * @param bias                b [1, G·n]
 * @param cell                RW [n, G·n] and RB [1, G·n] (if any)
 * @param contextWeights      C [dh, G·n] (Bahdanau ordering, fixed context)
 * @param fixedContextWeights V [dh, dh] (fixed context)
 * @param feedWeights         F [n, G·n] (Luong input feeding)
 * @param outputWeights       W_c [dh + n, n] (Luong)
 * @param initialWeights      W_s [dh/2, n] (BACKWARD_FIRST_ANNOTATION)
 * @param initialBias         b_s [1, n] (BACKWARD_FIRST_ANNOTATION)
 * @param learnedInitial      s0 [1, n] (LEARNED)
 * @param deepWeights         U [n + e + dh, 2l] (deep output)
 * @param deepBias            b_u [1, 2l] (deep output)
 * @param score               the attention score's parameters by their keys, or null (fixed context)
 */
public record DecoderWeights(Matrix inputWeights, Matrix bias, CellWeights cell, Matrix contextWeights,
                             Matrix fixedContextWeights, Matrix feedWeights, Matrix outputWeights,
                             Matrix initialWeights, Matrix initialBias, Matrix learnedInitial, Matrix deepWeights,
                             Matrix deepBias, Map<String, Matrix> score) {
}
