package org.recurrent4j.nn.loss;

import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.recurrent4j.compute.ComputeEngine;
import org.recurrent4j.compute.Matrix;
import org.recurrent4j.nn.engine.Engines;
import org.recurrent4j.nn.engine.Nd4jViews;

/**
 * The engine's fused softmax cross-entropy behind {@link SoftmaxCrossEntropy} (one-hot and class-index labels):
 * one pass over the logits for the score, the per-example scores or the gradient, where DL4J's {@code LossMCXENT}
 * makes several (softmax, clipping, log over every class, products, sums). With label smoothing the same pass adds
 * the uniform term {@code −(s/C) Σ_c log p_c} from the logits ({@code log p_c = z_c − max − log Σ e^{z − max}}).
 */
final class FusedSoftmaxCrossEntropy {
    private FusedSoftmaxCrossEntropy() {
    }

    /**
     * @return whether the fused computation applies: softmax activation, no class weights, a per-example mask (or
     *     none), float or double logits
     */
    static boolean applies(IActivation activation, INDArray weights, INDArray preOutput, INDArray mask) {
        DataType t = preOutput.dataType();
        return activation instanceof ActivationSoftmax && weights == null && preOutput.rank() == 2
                && (t == DataType.FLOAT || t == DataType.DOUBLE)
                && (mask == null || mask.length() == preOutput.size(0));
    }

    /** What one pass computed. */
    record Result(double total, INDArray rowScores, INDArray gradient) {
    }

    /**
     * @param labels    [R, C] targets, or with {@code sparse} [R, 1] class indices
     * @param preOutput [R, C] logits
     * @param mask      per-example weights ([R, 1] or [R]), or null
     * @param clip      the probability clipping of the score ({@code softmaxClipEps})
     * @param smoothing s of the smoothed targets {@code (1 − s) y + s / C}; 0 = none
     * @param rowScores whether to return each row's score
     * @param gradient  whether to return dL/d(logits)
     */
    static Result compute(INDArray labels, INDArray preOutput, INDArray mask, boolean sparse, double clip,
                          double smoothing, boolean rowScores, boolean gradient) {
        ComputeEngine engine = Engines.current();
        DataType type = preOutput.dataType();
        long rows = preOutput.size(0);
        long classes = preOutput.size(1);
        if (labels.size(0) != rows || labels.size(1) != (sparse ? 1 : classes)) {
            throw new IllegalArgumentException("softmax cross-entropy: logits of shape [" + rows + ", " + classes
                    + "] need " + (sparse ? "class indices [" + rows + ", 1]" : "labels of the same shape")
                    + "; got labels of shape " + java.util.Arrays.toString(labels.shape()));
        }
        INDArray z = rowMajor(preOutput, type);                                          // [R, C]
        INDArray y = rowMajor(labels, type);
        INDArray m = mask == null ? null : rowMajor(mask.reshape(rows, 1), type);
        INDArray scores = rowScores ? Nd4j.createUninitialized(type, new long[] {rows, 1}, 'c') : null;
        INDArray dz = gradient ? Nd4j.createUninitialized(type, new long[] {rows, classes}, 'c') : null;
        double total = engine.softmaxCrossEntropy(Nd4jViews.matrix(z), Nd4jViews.matrix(y), sparse,
                m == null ? null : Nd4jViews.matrix(m), clip, smoothing, dz == null ? null : Nd4jViews.matrix(dz),
                scores == null ? null : Nd4jViews.matrix(scores));
        Nd4jViews.written(scores, dz);
        java.lang.ref.Reference.reachabilityFence(z);
        java.lang.ref.Reference.reachabilityFence(y);
        java.lang.ref.Reference.reachabilityFence(m);
        return new Result(total, scores, dz);
    }

    /** @return the array itself if it is a plain row-major matrix of the type, else a row-major copy */
    private static INDArray rowMajor(INDArray a, DataType type) {
        INDArray t = a.dataType() == type ? a : a.castTo(type);
        if (t.ordering() == 'c' && Nd4jViews.viewable(t) && !Nd4jViews.matrix(t).columnMajor()) {
            return t;
        }
        INDArray c = Nd4j.createUninitialized(type, t.shape(), 'c');
        Matrix from = Nd4jViews.viewable(t) ? Nd4jViews.matrix(t) : null;
        if (from == null) {
            return c.assign(t);
        }
        Engines.current().copy(from, Nd4jViews.matrix(c));                               // a blocked transpose
        java.lang.ref.Reference.reachabilityFence(t);                                                // read through a view until here
        Nd4jViews.written(c);
        return c;
    }

    /** The score of {@code computeScore}: the total, negated log-likelihood, averaged over rows when asked. */
    static double score(Result r, long rows, boolean average) {
        return average ? r.total() / rows : r.total();
    }

    /** {@code computeGradientAndScore}'s pair. */
    static Pair<Double, INDArray> scoreAndGradient(Result r, long rows, boolean average) {
        return new Pair<>(score(r, rows, average), r.gradient());
    }
}
