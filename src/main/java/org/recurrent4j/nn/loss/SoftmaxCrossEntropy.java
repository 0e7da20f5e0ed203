package org.recurrent4j.nn.loss;

import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;
import org.nd4j.shade.jackson.annotation.JsonInclude;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * DL4J's multi-class cross-entropy with a softmax output, {@code LossMCXENT} (labels [R, C], one-hot or
 * distributions) or, with {@link #sparse()}, {@code LossSparseMCXENT} (labels [R, 1], class indices): the softmax, the
 * clipping of the score's probabilities to [ε, 1 − ε] and the gradient {@code p − y} in one fused pass on the compute
 * engine ({@code ComputeEngine.softmaxCrossEntropy}), where DL4J makes several (softmax, clipping, a logarithm of every
 * probability, products and sums) for the score and again for the gradient. Same results (to rounding), same options;
 * with another activation, class weights or per-output masks it computes as DL4J does. Large vocabularies gain most.
 *
 * <p>Label smoothing ({@link #labelSmoothing(double)}, Szegedy et al. 2016): the targets become
 * {@code q = (1 − s) y + s / C}, the share s spread uniformly over all C classes, the true one included, as PyTorch's
 * {@code CrossEntropyLoss(label_smoothing = s)} (OpenNMT-py spreads s / (C − 1) over the other classes instead); the
 * loss is {@code −Σ_c q_c log p_c}, the gradient {@code p − q}, masks as without smoothing. The default s = 0 computes
 * exactly the unsmoothed loss.
 */
public class SoftmaxCrossEntropy extends LossMCXENT {
    /** {@code LossMCXENT}'s default ε. */
    public static final double DEFAULT_CLIP = 1e-10;

    private final boolean sparse;
    private final double labelSmoothing;

    /** One-hot (or distribution) labels [R, C], as {@code LossFunction.MCXENT}. */
    public SoftmaxCrossEntropy() {
        this(DEFAULT_CLIP, null, false);
    }

    /**
     * @param softmaxClipEps ε, as {@code LossMCXENT}'s (default 1e-10)
     * @param weights        class weights [1, C], or null
     * @param sparse         whether labels are class indices [R, 1]
     */
    public SoftmaxCrossEntropy(double softmaxClipEps, INDArray weights, boolean sparse) {
        this(softmaxClipEps, weights, sparse, 0);
    }

    /**
     * @param softmaxClipEps ε, as {@code LossMCXENT}'s (default 1e-10)
     * @param weights        class weights [1, C], or null
     * @param sparse         whether labels are class indices [R, 1]
     * @param labelSmoothing s in [0, 1]: targets {@code (1 − s) y + s / C}; 0 = none (absent from older JSON: 0)
     */
    public SoftmaxCrossEntropy(@JsonProperty("softmaxClipEps") double softmaxClipEps,
                               @JsonProperty("weights") INDArray weights, @JsonProperty("sparse") boolean sparse,
                               @JsonProperty("labelSmoothing") double labelSmoothing) {
        super(softmaxClipEps, weights);
        if (!(labelSmoothing >= 0 && labelSmoothing <= 1)) {
            throw new IllegalArgumentException("SoftmaxCrossEntropy: labelSmoothing must be in [0, 1], got "
                    + labelSmoothing);
        }
        this.sparse = sparse;
        this.labelSmoothing = labelSmoothing;
    }

    /**
     * @param s the label smoothing, in [0, 1]
     * @return this loss (same labels, clipping and weights) against the targets {@code (1 − s) y + s / C}
     */
    public SoftmaxCrossEntropy labelSmoothing(double s) {
        return new SoftmaxCrossEntropy(softmaxClipEps, weights, sparse, s);
    }

    /** @return s of the smoothed targets {@code (1 − s) y + s / C}; 0 = none (then absent from the JSON) */
    @JsonInclude(JsonInclude.Include.NON_DEFAULT)
    public double getLabelSmoothing() {
        return labelSmoothing;
    }

    /** @return the loss for class-index labels [R, 1], as {@code LossSparseMCXENT} */
    public static SoftmaxCrossEntropy sparse() {
        return new SoftmaxCrossEntropy(DEFAULT_CLIP, null, true);
    }

    /** @return whether labels are class indices */
    public boolean isSparse() {
        return sparse;
    }

    private boolean fused(IActivation activation, INDArray preOutput, INDArray mask) {
        return FusedSoftmaxCrossEntropy.applies(activation, weights, preOutput, mask);
    }

    private FusedSoftmaxCrossEntropy.Result fusedPass(INDArray labels, INDArray preOutput, INDArray mask,
                                                      boolean rowScores, boolean gradient) {
        return FusedSoftmaxCrossEntropy.compute(labels, preOutput, mask, sparse, softmaxClipEps, labelSmoothing,
                rowScores, gradient);
    }

    /**
     * @return labels as DL4J's {@code LossMCXENT} takes them (one-hot rows for class indices), smoothed to
     *     {@code (1 − s) y + s / C} when s &gt; 0
     */
    private INDArray dense(INDArray labels, INDArray preOutput) {
        INDArray y = labels;                                                             // [R, C]
        if (sparse) {
            y = Nd4j.zeros(preOutput.dataType(), preOutput.shape());
            for (long r = 0; r < labels.size(0); r++) {
                y.putScalar(r, labels.getLong(r, 0), 1.0);
            }
        }
        if (labelSmoothing == 0) {
            return y;
        }
        return y.castTo(preOutput.dataType()).mul(1 - labelSmoothing).addi(labelSmoothing / preOutput.size(1));
    }

    @Override
    public double computeScore(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask,
                               boolean average) {
        if (!fused(activationFn, preOutput, mask)) {
            return super.computeScore(dense(labels, preOutput), preOutput, activationFn, mask, average);
        }
        return FusedSoftmaxCrossEntropy.score(fusedPass(labels, preOutput, mask, false, false), preOutput.size(0),
                average);
    }

    @Override
    public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        if (!fused(activationFn, preOutput, mask)) {
            return super.computeScoreArray(dense(labels, preOutput), preOutput, activationFn, mask);
        }
        return fusedPass(labels, preOutput, mask, true, false).rowScores();
    }

    @Override
    public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        if (!fused(activationFn, preOutput, mask)) {
            return super.computeGradient(dense(labels, preOutput), preOutput, activationFn, mask);
        }
        return fusedPass(labels, preOutput, mask, false, true).gradient();
    }

    @Override
    public Pair<Double, INDArray> computeGradientAndScore(INDArray labels, INDArray preOutput,
                                                          IActivation activationFn, INDArray mask, boolean average) {
        if (!fused(activationFn, preOutput, mask)) {
            // LossMCXENT's computeGradientAndScore would call this class's computeScore and computeGradient (which
            // convert class indices again): DL4J's two computations directly
            INDArray y = dense(labels, preOutput);
            return new Pair<>(super.computeScore(y, preOutput, activationFn, mask, average),
                    super.computeGradient(y, preOutput, activationFn, mask));
        }
        return FusedSoftmaxCrossEntropy.scoreAndGradient(fusedPass(labels, preOutput, mask, false, true),
                preOutput.size(0), average);
    }

    @Override
    public String name() {
        return "SoftmaxCrossEntropy(" + (sparse ? "sparse, " : "") + "softmaxClipEps=" + softmaxClipEps
                + (labelSmoothing == 0 ? "" : ", labelSmoothing=" + labelSmoothing) + ")";
    }

    @Override
    public String toString() {
        return name();
    }

    @Override
    public boolean equals(Object o) {
        return super.equals(o) && o instanceof SoftmaxCrossEntropy s && s.sparse == sparse
                && Double.compare(s.labelSmoothing, labelSmoothing) == 0;
    }

    /** Lombok's symmetry hook of {@code LossMCXENT.equals}: a plain {@code LossMCXENT} is not equal to this. */
    @Override
    protected boolean canEqual(Object other) {
        return other instanceof SoftmaxCrossEntropy;
    }

    @Override
    public int hashCode() {
        return 31 * (31 * super.hashCode() + Boolean.hashCode(sparse)) + Double.hashCode(labelSmoothing);
    }
}
