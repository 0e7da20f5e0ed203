package org.recurrent4j.compute;

/**
 * An element-wise activation of an Elman cell, forward and backward, on engine memory. The engine's own functions
 * come from {@link #of}; the ND4J glue supplies any other DL4J activation (CPU engine only).
 */
public interface ActivationFunction {

    /** {@code y = f(x)}; y may be x */
    void forward(Matrix x, Matrix y);

    /** {@code dx = f'(x) ∘ dy}; dx may be dy */
    void backward(Matrix x, Matrix dy, Matrix dx);

    /** @return the engine's implementation of f */
    static ActivationFunction of(ComputeEngine engine, Nonlinearity f) {
        return new ActivationFunction() {
            @Override
            public void forward(Matrix x, Matrix y) {
                engine.activation(f, x, y);
            }

            @Override
            public void backward(Matrix x, Matrix dy, Matrix dx) {
                engine.activationBackward(f, x, dy, dx);
            }

            @Override
            public String toString() {
                return f.name();
            }
        };
    }
}
