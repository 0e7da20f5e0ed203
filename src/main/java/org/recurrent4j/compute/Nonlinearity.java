package org.recurrent4j.compute;

/** The element-wise functions the engine evaluates itself (forward and derivative). */
public enum Nonlinearity {
    /** tanh(x); derivative 1 − y² */
    TANH,
    /** σ(x) = 1 / (1 + e^−x); derivative y (1 − y) */
    SIGMOID,
    /** max(0, x); derivative 1 where x &gt; 0 */
    RELU,
    /** x; derivative 1 */
    IDENTITY
}
