package org.recurrent4j.nn.engine;

import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.recurrent4j.compute.ActivationFunction;
import org.recurrent4j.compute.ComputeEngine;
import org.recurrent4j.compute.Matrix;
import org.recurrent4j.compute.Nonlinearity;

/**
 * A DL4J activation as an engine {@link ActivationFunction}: the engine's own function where it has one (tanh, σ,
 * ReLU, identity), otherwise DL4J's implementation applied to views of the engine's host memory.
 */
public final class Nd4jActivation implements ActivationFunction {
    private final IActivation activation;

    private Nd4jActivation(IActivation activation) {
        this.activation = activation;
    }

    /** @return the engine's function for a DL4J activation, or DL4J's own on host memory */
    public static ActivationFunction of(ComputeEngine engine, IActivation activation) {
        Nonlinearity f = builtIn(activation);
        if (f != null) {
            return ActivationFunction.of(engine, f);
        }
        if (!engine.sharesHostMemory()) {
            throw new IllegalArgumentException("activation " + activation + " runs only on the CPU compute engine "
                    + "(the " + engine.describe() + " engine has tanh, sigmoid, relu and identity)");
        }
        return new Nd4jActivation(activation);
    }

    /** @return the engine function equal to a DL4J activation, or null */
    static Nonlinearity builtIn(IActivation a) {
        if (a instanceof ActivationTanH) {
            return Nonlinearity.TANH;
        }
        if (a instanceof ActivationSigmoid) {
            return Nonlinearity.SIGMOID;
        }
        if (a instanceof ActivationIdentity) {
            return Nonlinearity.IDENTITY;
        }
        if (a instanceof ActivationReLU r && r.equals(new ActivationReLU())) {
            return Nonlinearity.RELU;
        }
        return null;
    }

    @Override
    public void forward(Matrix x, Matrix y) {
        INDArray in = Nd4jViews.wrap(x).dup();
        INDArray out = activation.getActivation(in, true);
        Nd4jViews.wrap(y).assign(out);
    }

    @Override
    public void backward(Matrix x, Matrix dy, Matrix dx) {
        INDArray in = Nd4jViews.wrap(x).dup();
        INDArray grad = activation.backprop(in, Nd4jViews.wrap(dy).dup()).getFirst();
        Nd4jViews.wrap(dx).assign(grad);
    }

    @Override
    public String toString() {
        return activation.toString();
    }
}
