package org.recurrent4j.experiment;

import org.nd4j.linalg.learning.config.AdaDelta;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;

/** The optimisers the experiment offers. */
public enum Optimizer {
    /** The paper's: Adadelta with ρ = 0.95, ε = 1e-6 (the learning rate is not used). */
    ADADELTA,
    /** Adam (Kingma &amp; Ba 2015) with the given learning rate: faster in a short budget. */
    ADAM;

    /** @return the DL4J updater */
    public IUpdater updater(double learningRate) {
        return switch (this) {
            case ADADELTA -> new AdaDelta.Builder().rho(0.95).epsilon(1e-6).build();
            case ADAM -> new Adam(learningRate);
        };
    }

    /** @return how results name it ({@code Adadelta (ρ 0.95, ε 1e-6)}, {@code Adam (lr 0.003)}) */
    public String describe(double learningRate) {
        return switch (this) {
            case ADADELTA -> "Adadelta (ρ 0.95, ε 1e-6)";
            case ADAM -> "Adam (lr " + learningRate + ")";
        };
    }
}
