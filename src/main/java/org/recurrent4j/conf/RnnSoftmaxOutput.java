package org.recurrent4j.conf;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Collection;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.recurrent4j.nn.layers.RnnSoftmaxOutputLayer;
import org.recurrent4j.nn.loss.SoftmaxCrossEntropy;

/**
 * DL4J's {@code RnnOutputLayer} with a softmax and {@link SoftmaxCrossEntropy}, computed on the compute engine: for
 * every step t of every sequence, {@code z_t = x_t W + b}, {@code p_t = softmax(z_t)} and the loss
 * {@code L = −Σ_{i,t} m_{i,t} Σ_c q_{i,t,c} log p_{i,t,c}} (q the one-hot, class-index or label-smoothed targets,
 * m the {@code [minibatch, time]} mask), with {@code dL/dz = m (p − q)}, {@code dW = Σ x_tᵀ dz_t},
 * {@code db = Σ dz_t}, {@code dL/dx_t = dz_t Wᵀ}.
 *
 * <p>It is an {@code RnnOutputLayer}: same parameters (W [nIn, nOut], b [1, nOut]) and initialisation, same
 * builder options, data formats (NCW, NWC), masks, dropout and weight noise, same gradients to rounding, and the
 * same JSON apart from the class name. One difference in what is reported: with dropout on this layer's input, the
 * score of a training step is the loss on the dropped-out input that the gradient belongs to (as PyTorch reports
 * it); DL4J's layer scores the input without dropout there. What differs is the work of a training step: the logits are computed once for both
 * the gradient and the score (DL4J's layer computes them twice), on the sequence's time-major memory as it is (no
 * reshaping copies of the input, the labels or the gradient), and the softmax, loss and gradient are one fused pass
 * (see {@link SoftmaxCrossEntropy}). Inference ({@code output}) computes as DL4J's layer does.
 *
 * <pre>{@code
 * new RnnSoftmaxOutput.Builder(SoftmaxCrossEntropy.sparse()).nIn(256).nOut(30000).build()
 * }</pre>
 *
 * The loss must be a {@link SoftmaxCrossEntropy} and the activation the softmax (the builder's defaults); use DL4J's
 * {@code RnnOutputLayer} for anything else.
 */
public class RnnSoftmaxOutput extends RnnOutputLayer {

    /** For JSON deserialisation; use the {@link Builder}. */
    public RnnSoftmaxOutput() {
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners,
                                                       int layerIndex, INDArray layerParamsView,
                                                       boolean initializeParams, DataType networkDataType) {
        LayerValidation.assertNInNOutSet(getClass().getSimpleName(), getLayerName(), layerIndex, getNIn(), getNOut());
        checkLossAndActivation();
        return RecurrentLayerConf.attach(new RnnSoftmaxOutputLayer(conf, networkDataType), conf, listeners,
                layerIndex, layerParamsView, initializer(), initializeParams);
    }

    /** @return the loss, which is a {@link SoftmaxCrossEntropy} */
    public SoftmaxCrossEntropy softmaxCrossEntropy() {
        return (SoftmaxCrossEntropy) getLossFn();
    }

    private void checkLossAndActivation() {
        String id = "RnnSoftmaxOutput layer" + (getLayerName() == null ? "" : " '" + getLayerName() + "'");
        if (!(getLossFn() instanceof SoftmaxCrossEntropy)) {
            throw new IllegalArgumentException(id + ": the loss must be a SoftmaxCrossEntropy, got " + getLossFn()
                    + "; use DL4J's RnnOutputLayer for other losses");
        }
        if (!(getActivationFn() instanceof ActivationSoftmax)) {
            throw new IllegalArgumentException(id + ": the activation must be the softmax, got " + getActivationFn()
                    + "; use DL4J's RnnOutputLayer for other activations");
        }
    }

    /**
     * DL4J's {@code RnnOutputLayer.Builder} (every option of DL4J's layer), whose {@code build()} makes this layer;
     * the loss is {@link SoftmaxCrossEntropy} with one-hot labels [mb, nOut, T] unless given.
     */
    public static class Builder extends RnnOutputLayer.Builder {

        /** One-hot (or distribution) labels [mb, nOut, T]: {@code new SoftmaxCrossEntropy()}. */
        public Builder() {
            this(new SoftmaxCrossEntropy());
        }

        /** @param loss e.g. {@code SoftmaxCrossEntropy.sparse()} for class-index labels [mb, 1, T] */
        public Builder(SoftmaxCrossEntropy loss) {
            super(loss);
        }

        @Override
        public RnnSoftmaxOutput build() {
            RnnSoftmaxOutput layer = copyOf(super.build());
            layer.checkLossAndActivation();
            return layer;
        }

        /** DL4J's layer's settings, field by field (its constructor from a builder is private). */
        private static RnnSoftmaxOutput copyOf(RnnOutputLayer built) {
            RnnSoftmaxOutput layer = new RnnSoftmaxOutput();
            for (Class<?> c = RnnOutputLayer.class; c != Object.class; c = c.getSuperclass()) {
                for (Field f : c.getDeclaredFields()) {
                    if (Modifier.isStatic(f.getModifiers())) {
                        continue;
                    }
                    try {
                        f.setAccessible(true);
                        f.set(layer, f.get(built));
                    } catch (IllegalAccessException e) {
                        throw new IllegalStateException("RnnSoftmaxOutput: cannot copy DL4J's setting " + f, e);
                    }
                }
            }
            return layer;
        }
    }
}
