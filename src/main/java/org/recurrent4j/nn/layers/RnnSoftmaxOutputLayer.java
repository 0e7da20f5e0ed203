package org.recurrent4j.nn.layers;

import java.lang.ref.Reference;
import java.util.Arrays;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.recurrent.RnnOutputLayer;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.recurrent4j.compute.Buffers;
import org.recurrent4j.compute.ComputeEngine;
import org.recurrent4j.compute.Matrix;
import org.recurrent4j.compute.Precision;
import org.recurrent4j.nn.engine.Engines;
import org.recurrent4j.nn.engine.Nd4jViews;
import org.recurrent4j.nn.loss.SoftmaxCrossEntropy;

/**
 * The DL4J layer behind {@code conf.RnnSoftmaxOutput}: DL4J's {@code RnnOutputLayer} whose training step runs on the
 * compute engine. With R = T·mb time-major rows (row {@code t·mb + i} = step t of example i):
 * <pre>
 *   z  = x W + b              [R, nOut]   one GEMM on the input's time-major memory (a copy only for other strides)
 *   L, dz = m (p − q)         one fused softmax cross-entropy pass (ComputeEngine.softmaxCrossEntropy)
 *   dW = xᵀ dz, db = Σ_r dz   [nIn, nOut], [1, nOut]
 *   dx = dz Wᵀ                [R, nIn]    written straight into the time-major epsilon array
 * </pre>
 * The backward pass keeps its loss, so DL4J's {@code computeScore} right after it (same input, labels and mask, as
 * {@code MultiLayerNetwork} and {@code ComputationGraph} do in every training step) costs nothing; any other call
 * computes the score afresh. Whatever the fused pass does not cover — per-output masks [mb, nOut, T], class weights, a
 * half-precision network — computes as DL4J's layer does.
 */
public class RnnSoftmaxOutputLayer extends RnnOutputLayer {
    private static final int INPUT_COPY = 0;
    private static final int LABEL_COPY = 1;
    private static final int LOGITS = 2;
    private static final int LOGIT_GRADIENTS = 3;
    private static final int MASK_COPY = 4;

    private final transient Buffers buffers = new Buffers(Engines.current());
    /** The mask as given to {@link #setMaskArray} ([mb, T]), before DL4J reshapes it to a column. */
    private INDArray maskGiven;
    /** The loss of the last backward pass and what it was computed on. */
    private KeptLoss kept;

    private record KeptLoss(INDArray input, INDArray labels, INDArray mask, double total) {
        boolean matches(INDArray input, INDArray labels, INDArray mask) {
            return this.input == input && this.labels == labels && this.mask == mask;
        }
    }

    public RnnSoftmaxOutputLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public void setMaskArray(INDArray maskArray) {
        super.setMaskArray(maskArray);
        this.maskGiven = maskArray;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        kept = null;
        if (!fused()) {
            return super.backpropGradient(epsilon, workspaceMgr);
        }
        assertInputSet(true);
        applyDropOutIfNecessary(true, workspaceMgr);
        INDArray in = sequence(input, "input", layerConf().getNIn());                  // [mb, nIn, T]
        INDArray y = sequence(labels, "labels", sparse() ? 1 : layerConf().getNOut());  // [mb, nOut or 1, T]
        long mb = in.size(0);
        long steps = in.size(2);
        if (y.size(0) != mb || y.size(2) != steps) {
            throw new IllegalArgumentException(layerId() + ": labels must have minibatch " + mb + " and " + steps
                    + " steps as the input " + Arrays.toString(input.shape()) + "; got labels "
                    + Arrays.toString(labels.shape()));
        }
        INDArray w = getParamWithNoise(DefaultParamInitializer.WEIGHT_KEY, true, workspaceMgr);    // [nIn, nOut]
        // [mb, T, nIn] 'f': its NCW view [mb, nIn, T] is a time-major matrix [R, nIn] the engine writes in place
        INDArray epsNwc = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType,
                new long[] {mb, steps, layerConf().getNIn()}, 'f');
        Gradient gradient = new DefaultGradient(gradientsFlattened);
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            ComputeEngine engine = buffers.engine();
            Matrix x = Nd4jViews.timeMajorOrCopy(in, buffers, INPUT_COPY);                           // [R, nIn]
            Matrix dz = buffers.matrix(LOGIT_GRADIENTS, precision(), mb * steps, layerConf().getNOut());
            double total = lossOnEngine(x, y, w, workspaceMgr, dz);
            INDArray dW = gradientViews.get(DefaultParamInitializer.WEIGHT_KEY);
            engine.gemm(1, x, true, dz, false, 0, Nd4jViews.matrix(dW));                              // xᵀ dz
            gradient.gradientForVariable().put(DefaultParamInitializer.WEIGHT_KEY, dW);
            if (hasBias()) {
                INDArray db = gradientViews.get(DefaultParamInitializer.BIAS_KEY);
                engine.columnSums(dz, 0, Nd4jViews.matrix(db));                                      // Σ_r dz
                gradient.gradientForVariable().put(DefaultParamInitializer.BIAS_KEY, db);
                Nd4jViews.written(db);
            }
            engine.gemm(1, dz, false, Nd4jViews.matrix(w), true, 0,                                   // dz Wᵀ
                    Nd4jViews.timeMajor(epsNwc.permute(0, 2, 1)));
            Nd4jViews.written(dW, epsNwc);
            kept = new KeptLoss(input, labels, maskGiven, total);
            Reference.reachabilityFence(in);                                 // read through views until here
            Reference.reachabilityFence(w);
        }
        weightNoiseParams.clear();
        INDArray eps = layerConf().getRnnDataFormat() == RNNFormat.NWC ? epsNwc : epsNwc.permute(0, 2, 1);
        return new Pair<>(gradient, backpropDropOutIfPresent(eps));
    }

    @Override
    public double computeScore(double fullNetRegTerm, boolean training, LayerWorkspaceMgr workspaceMgr) {
        KeptLoss k = kept;
        kept = null;
        if (!fused()) {
            return super.computeScore(fullNetRegTerm, training, workspaceMgr);
        }
        if (input == null || labels == null) {
            throw new IllegalStateException("Cannot calculate score without input and labels " + layerId());
        }
        double total;
        if (training && k != null && k.matches(input, labels, maskGiven)) {
            total = k.total();
        } else {
            applyDropOutIfNecessary(training, workspaceMgr);
            INDArray in = sequence(input, "input", layerConf().getNIn());
            INDArray y = sequence(labels, "labels", sparse() ? 1 : layerConf().getNOut());
            INDArray w = getParamWithNoise(DefaultParamInitializer.WEIGHT_KEY, training, workspaceMgr);
            try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                total = lossOnEngine(Nd4jViews.timeMajorOrCopy(in, buffers, INPUT_COPY), y, w, workspaceMgr, null);
                Reference.reachabilityFence(in);                             // read through a view until here
            }
        }
        double score = total;
        if (conf().isMiniBatch()) {
            score /= getInputMiniBatchSize();
        }
        score += fullNetRegTerm;
        this.score = score;
        return score;
    }

    @Override
    public void clear() {
        super.clear();
        kept = null;
    }

    /**
     * The logits of x and the fused softmax cross-entropy over them.
     *
     * @param x  [R, nIn] time-major input
     * @param y  labels [mb, nOut or 1, T] in the network's data type
     * @param dz [R, nOut] receives dL/dz, or null for the loss alone
     * @return the summed (masked) loss
     */
    private double lossOnEngine(Matrix x, INDArray y, INDArray w, LayerWorkspaceMgr workspaceMgr, Matrix dz) {
        ComputeEngine engine = buffers.engine();
        long rows = x.rows();
        Matrix z = buffers.matrix(LOGITS, precision(), rows, layerConf().getNOut());                 // [R, nOut]
        if (hasBias()) {
            INDArray b = getParamWithNoise(DefaultParamInitializer.BIAS_KEY, dz != null, workspaceMgr);
            Matrix bias = Nd4jViews.matrix(b);                                                        // [1, nOut]
            engine.fill(z, 0);
            engine.addRowVector(bias, z);
            Reference.reachabilityFence(b);
            engine.gemm(1, x, false, Nd4jViews.matrix(w), false, 1, z);                               // x W + b
        } else {
            engine.gemm(1, x, false, Nd4jViews.matrix(w), false, 0, z);
        }
        Matrix labelRows = Nd4jViews.timeMajorOrCopy(y, buffers, LABEL_COPY);                        // [R, C or 1]
        Matrix m = maskRows(rows);
        SoftmaxCrossEntropy loss = (SoftmaxCrossEntropy) layerConf().getLossFn();
        double total = engine.softmaxCrossEntropy(z, labelRows, loss.isSparse(), m, loss.getSoftmaxClipEps(),
                loss.getLabelSmoothing(), dz, null);
        Reference.reachabilityFence(w);                                      // read through views until here
        Reference.reachabilityFence(y);
        return total;
    }

    /**
     * @return a copy of the per-step mask as a time-major column [R, 1] (DL4J keeps it reshaped so) in engine memory,
     *     or null
     */
    private Matrix maskRows(long rows) {
        if (maskArray == null) {
            return null;
        }
        INDArray m = maskArray.castTo(dataType);
        if (m.length() != rows) {
            throw new IllegalArgumentException(layerId() + ": the mask must have shape [minibatch, time], "
                    + rows + " entries; got " + Arrays.toString(maskGiven == null ? m.shape() : maskGiven.shape()));
        }
        INDArray column = (Nd4jViews.viewable(m) ? m : m.dup('c')).reshape(rows, 1);     // [R, 1]
        Matrix copy = buffers.matrix(MASK_COPY, precision(), rows, 1);
        buffers.engine().copy(Nd4jViews.matrix(column), copy);
        Reference.reachabilityFence(column);         // the cast or its copy may be temporary: read until here
        return copy;
    }

    /** @return whether the engine's fused pass covers this step (else DL4J's computation runs) */
    private boolean fused() {
        SoftmaxCrossEntropy loss = (SoftmaxCrossEntropy) layerConf().getLossFn();
        return (dataType == DataType.FLOAT || dataType == DataType.DOUBLE) && loss.getWeights() == null
                && (maskGiven == null || maskGiven.rank() == 2);
    }

    private boolean sparse() {
        return ((SoftmaxCrossEntropy) layerConf().getLossFn()).isSparse();
    }

    private Precision precision() {
        return Nd4jViews.precision(dataType, layerId());
    }

    /** @return a rank-3 sequence as [mb, size, T] (NCW), in the network's data type; throws naming the layer */
    private INDArray sequence(INDArray a, String what, long size) {
        RNNFormat f = layerConf().getRnnDataFormat() == null ? RNNFormat.NCW : layerConf().getRnnDataFormat();
        if (a.rank() != 3 || a.size(f == RNNFormat.NCW ? 1 : 2) != size) {
            String layout = f == RNNFormat.NCW ? "[minibatch, " + size + ", time] (NCW)"
                    : "[minibatch, time, " + size + "] (NWC)";
            throw new IllegalArgumentException(layerId() + ": " + what + " must have shape " + layout + "; got "
                    + Arrays.toString(a.shape()));
        }
        INDArray ncw = f == RNNFormat.NWC ? a.permute(0, 2, 1) : a;
        return ncw.castTo(dataType);
    }
}
