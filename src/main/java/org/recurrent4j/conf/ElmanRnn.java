package org.recurrent4j.conf;

import org.deeplearning4j.nn.weights.WeightInitIdentity;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.recurrent4j.nn.params.CellLayout;

/**
 * Elman ("simple") recurrent layer: {@code h_t = act(x_t W + h_{t-1} RW + b)}, {@code h_0 = 0} unless a
 * state is stored. Same parameter keys, shapes and flat layout as DL4J's {@code SimpleRnn} (W [nIn, n],
 * RW [n, n], b [1, n]), tanh by default, orthogonal recurrent initialisation by default.
 *
 * <p>Unlike {@code SimpleRnn}, a masked step lets the state pass through unchanged to the next real step
 * (so left- and right-padding both work), and truncated BPTT backpropagates from the stored state.
 *
 * <pre>{@code
 * new ElmanRnn.Builder().nIn(64).nOut(128).activation(Activation.TANH).build()
 * new ElmanRnn.Builder().nIn(64).nOut(128).irnn().build()   // ReLU + identity RW (Le et al. 2015)
 * }</pre>
 */
public class ElmanRnn extends RecurrentLayerConf {

    protected ElmanRnn(Builder builder) {
        super(builder);
    }

    /** For JSON deserialisation. */
    protected ElmanRnn() {
    }

    @Override
    public CellLayout cellLayout() {
        return CellLayout.elman(getNOut(), getActivationFn());
    }

    /** Builder in DL4J's style; tanh unless {@code activation(...)} or {@link #irnn()} says otherwise. */
    public static class Builder extends RecurrentLayerConf.Builder<Builder> {

        public Builder() {
            this.activationFn = Activation.TANH.getActivationFunction();
        }

        /** The activation function (tanh by default; any DL4J activation). */
        @Override
        public Builder activation(Activation activation) {
            return super.activation(activation);
        }

        @Override
        public Builder activation(IActivation activation) {
            return super.activation(activation);
        }

        /**
         * The IRNN of Le, Jaitly &amp; Hinton (2015): ReLU activation, identity recurrent weights, zero bias.
         */
        public Builder irnn() {
            activation(Activation.RELU);
            weightInitRecurrent(new WeightInitIdentity(1.0));
            biasInit(0.0);
            return this;
        }

        @Override
        public ElmanRnn build() {
            return new ElmanRnn(this);
        }
    }
}
