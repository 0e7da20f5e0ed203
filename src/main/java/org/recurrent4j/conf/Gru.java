package org.recurrent4j.conf;

import org.recurrent4j.nn.params.CellLayout;

/**
 * Gated recurrent unit (Cho et al. 2014) with the gate convention of Bahdanau et al. 2014, gate blocks
 * r (reset), z (update), c (candidate):
 * <pre>
 *   r = σ(x W_r + h RW_r + b_r),   z = σ(x W_z + h RW_z + b_z)
 *   resetAfter(false), default:  c = tanh(x W_c + (r ∘ h) RW_c + b_c)
 *   resetAfter(true), cuDNN/PyTorch/Keras: c = tanh(x W_c + b_c + r ∘ (h RW_c + RB_c)), RB also adds to r, z
 *   h_t = (1 − z) ∘ h_{t−1} + z ∘ c
 * </pre>
 * Parameters: W [nIn, 3n], RW [n, 3n], b [1, 3n] and, with resetAfter, RB [1, 3n]. To load PyTorch or Keras
 * weights (whose z is our 1 − z) use {@link org.recurrent4j.nn.convert.GruWeightImport}.
 */
public class Gru extends RecurrentLayerConf {
    private boolean resetAfter;

    protected Gru(Builder builder) {
        super(builder);
        this.resetAfter = builder.resetAfter;
    }

    /** For JSON deserialisation. */
    protected Gru() {
    }

    public boolean isResetAfter() {
        return resetAfter;
    }

    public void setResetAfter(boolean resetAfter) {
        this.resetAfter = resetAfter;
    }

    @Override
    public CellLayout cellLayout() {
        return CellLayout.gru(getNOut(), resetAfter);
    }

    @Override
    public boolean equals(Object o) {
        return super.equals(o) && o instanceof Gru other && resetAfter == other.resetAfter;
    }

    @Override
    public int hashCode() {
        return 31 * super.hashCode() + Boolean.hashCode(resetAfter);
    }

    /**
     * Builder in DL4J's style. Gate activations are fixed (σ for r and z, tanh for c): an {@code activation(...)}
     * other than tanh is rejected at {@code build()}.
     */
    public static class Builder extends RecurrentLayerConf.Builder<Builder> {
        private boolean resetAfter;

        public Builder() {
            this.activationFn = org.nd4j.linalg.activations.Activation.TANH.getActivationFunction();
        }

        /**
         * false (default): the papers' GRU, reset applied before the recurrent product of the candidate;
         * true: cuDNN's GRU (reset applied after, with a recurrent bias), as PyTorch and Keras (TF2) use.
         */
        public Builder resetAfter(boolean resetAfter) {
            this.resetAfter = resetAfter;
            return this;
        }

        @Override
        public Gru build() {
            if (!(activationFn instanceof org.nd4j.linalg.activations.impl.ActivationTanH)) {
                throw new IllegalArgumentException("Gru layer" + (layerName == null ? "" : " '" + layerName + "'")
                        + ": the candidate activation is fixed to tanh (gates σ); got activation " + activationFn);
            }
            return new Gru(this);
        }
    }
}
