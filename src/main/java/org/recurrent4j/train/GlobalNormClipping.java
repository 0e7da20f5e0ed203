package org.recurrent4j.train;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.Serializable;

/**
 * Global-norm gradient clipping (Pascanu et al. 2013): when the L2 norm of <em>all</em> parameter gradients taken
 * together exceeds {@code threshold}, rescale them all by {@code threshold / norm}, so the norm becomes the
 * threshold and the direction is unchanged. DL4J's own {@code GradientNormalization} only clips per layer or per
 * element.
 *
 * <p>Works with ordinary DL4J training: {@code net.addListeners(new GlobalNormClipping(5.0))}. DL4J 1.0.0-M2.1
 * ({@code BaseOptimizer.gradientAndScore}) calls {@code onGradientCalculation} after the gradient is computed and
 * before the updater, so the updater sees the clipped gradient. {@link TruncatedBptt} applies it the same way
 * ({@code TruncatedBptt.builder().clipGlobalNorm(5.0)}). Per-layer {@code GradientNormalization} configured on
 * the layers is applied afterwards, by the updater.
 *
 * <p>The norm is that of the minibatch-<em>mean</em> loss gradient, the one the optimizer step uses: DL4J's
 * gradient at {@code onGradientCalculation} is summed over the minibatch, and its updater divides it by the
 * minibatch size afterwards (with {@code miniBatch(true)}, the default), so this clips the sum at
 * {@code threshold · mb}. Regularization gradients (l1, l2, weight decay), which the updater adds later, are not
 * included.
 *
 * <p>With DL4J's {@code ParallelWrapper}: attach it to the model before building the wrapper (or pass it to the
 * wrapper's {@code setListeners}). The wrapper gives the same instance to every worker; each call clips the gradient
 * of the model it is called with, i.e. of that worker's replica, so every worker's step is clipped before the
 * averaging. {@link #lastNorm()} is then the norm last seen by any worker.
 */
public final class GlobalNormClipping extends BaseTrainingListener implements Serializable {

    private final double threshold;
    private transient volatile double lastNorm = Double.NaN;

    /** @param threshold the largest allowed global L2 norm; finite and &gt; 0 */
    public GlobalNormClipping(double threshold) {
        if (!(threshold > 0) || Double.isInfinite(threshold)) {
            throw new IllegalArgumentException("GlobalNormClipping: threshold must be finite and > 0, got " + threshold);
        }
        this.threshold = threshold;
    }

    public double threshold() {
        return threshold;
    }

    /** The global norm of the last (minibatch-mean) gradient seen, before clipping (NaN before the first). */
    public double lastNorm() {
        return lastNorm;
    }

    /**
     * Rescales {@code gradient} in place so that its L2 norm is at most {@code threshold}.
     *
     * @return the norm before clipping
     * @throws IllegalStateException when the norm is NaN or infinite (a diverged gradient cannot be clipped)
     */
    public static double clip(INDArray gradient, double threshold) {
        double norm = gradient.norm2Number().doubleValue();
        if (!Double.isFinite(norm)) {
            throw new IllegalStateException("GlobalNormClipping: gradient norm is " + norm + "; training diverged");
        }
        if (norm > threshold) {
            gradient.muli(threshold / norm);
        }
        return norm;
    }

    @Override
    public void onGradientCalculation(Model model) {
        Gradient gradient = model.gradient();
        if (gradient == null || gradient.gradient() == null) {
            throw new IllegalStateException("GlobalNormClipping: the model has no flattened gradient to clip");
        }
        double divisor = model.conf().isMiniBatch() ? model.batchSize() : 1.0;
        lastNorm = clip(gradient.gradient(), threshold * divisor) / divisor;
    }
}
