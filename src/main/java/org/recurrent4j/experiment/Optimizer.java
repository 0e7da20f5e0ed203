package org.recurrent4j.experiment;

import org.nd4j.linalg.learning.config.AdaDelta;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.schedule.ExponentialSchedule;
import org.nd4j.linalg.schedule.ScheduleType;
import org.nd4j.linalg.learning.config.IUpdater;

/** The optimisers the experiment offers. */
public enum Optimizer {
    /** The paper's: Adadelta with ρ = 0.95, ε = 1e-6 (the learning rate is not used). */
    ADADELTA,
    /** Adam (Kingma &amp; Ba 2015) with the given learning rate: faster in a short budget. */
    ADAM;

    /**
     * @param decay   the fraction of {@code learningRate} reached after {@code updates} updates: Adam's learning rate
     *                at update i is {@code learningRate · decay^(i / updates)}; 1 = constant
     * @param updates the length of the budget, in updates
     * @return the DL4J updater
     */
    public IUpdater updater(double learningRate, double decay, long updates) {
        return switch (this) {
            case ADADELTA -> new AdaDelta.Builder().rho(0.95).epsilon(1e-6).build();
            case ADAM -> decay == 1 ? new Adam(learningRate)
                    : new Adam(new ExponentialSchedule(ScheduleType.ITERATION, learningRate,
                            Math.pow(decay, 1.0 / Math.max(1, updates))));
        };
    }

    /**
     * @return how results name it ({@code Adadelta (ρ 0.95, ε 1e-6)}, {@code Adam (lr 0.003)},
     *     {@code Adam (lr 0.01, decaying exponentially to 0.001 at the end of the budget)})
     */
    public String describe(double learningRate, double decay) {
        return switch (this) {
            case ADADELTA -> "Adadelta (ρ 0.95, ε 1e-6)";
            case ADAM -> decay == 1 ? "Adam (lr " + learningRate + ")"
                    : "Adam (lr " + learningRate + ", decaying exponentially to " + (float) (learningRate * decay)
                            + " at the end of the budget)";
        };
    }
}
