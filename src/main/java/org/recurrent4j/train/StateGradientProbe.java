package org.recurrent4j.train;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.recurrent4j.nn.layers.RecurrentSequenceLayer;

/**
 * Measures vanishing and exploding gradients: for one sequence and a loss at its <em>last</em> step only, the
 * gradient of that loss with respect to every hidden state, {@code ∂L/∂h_t} for t = 0 … T−1, of one of our recurrent
 * layers (read from {@link RecurrentSequenceLayer#stateGradients()} after one backward pass). For an Elman layer
 * {@code ∂L/∂h_t = (∏_{s=t+1}^{T−1} diag(act'(a_s)) RWᵀ) ∂L/∂h_{T−1}}, so its norm shrinks at least like
 * {@code σ_max(RW)^(T−1−t)} when σ_max(RW) &lt; 1 (the lecture's argument); a GRU's additive update
 * {@code h_t = (1 − z) ∘ h_{t−1} + z ∘ c} lets it pass back with factors near 1.
 */
public final class StateGradientProbe {

    private StateGradientProbe() {
    }

    /**
     * @param net        a network whose layer {@code layerIndex} is one of our recurrent layers and whose last layer is
     *                   an {@code RnnOutputLayer}
     * @param layerIndex the recurrent layer to probe
     * @param features   one sequence {@code [1, nIn, T]}
     * @param labels     its labels {@code [1, nOut, T]}; only the last step's counts (the others are masked out)
     * @return {@code ∂L/∂h_t} as {@code [n, T]}, L the loss of the last step (DL4J's score of that step)
     */
    public static INDArray stateGradients(MultiLayerNetwork net, int layerIndex, INDArray features, INDArray labels) {
        if (layerIndex < 0 || layerIndex >= net.getnLayers() - 1) {
            throw new IllegalArgumentException("StateGradientProbe: layerIndex must be in [0, " + (net.getnLayers() - 1)
                    + "), got " + layerIndex);
        }
        Layer layer = net.getLayer(layerIndex);
        if (!(layer instanceof RecurrentSequenceLayer recurrent)) {
            throw new IllegalArgumentException("StateGradientProbe: layer " + layerIndex + " must be an ElmanRnn or Gru "
                    + "layer of Recurrent4j, got " + layer.getClass().getSimpleName());
        }
        if (features.rank() != 3 || features.size(0) != 1 || labels.rank() != 3 || labels.size(0) != 1
                || labels.size(2) != features.size(2)) {
            throw new IllegalArgumentException("StateGradientProbe: expected features [1, nIn, T] and labels [1, nOut, T], got "
                    + java.util.Arrays.toString(features.shape()) + " and " + java.util.Arrays.toString(labels.shape()));
        }
        long steps = features.size(2);
        DataType dataType = net.params().dataType();
        INDArray labelMask = Nd4j.zeros(dataType, 1, steps);                             // [1, T]
        labelMask.putScalar(0, steps - 1, 1.0);
        net.rnnClearPreviousState();
        recurrent.setRecordStateGradients(true);
        try {
            net.setInput(features.castTo(dataType));
            net.setLabels(labels.castTo(dataType));
            net.setLayerMaskArrays(null, labelMask);
            net.computeGradientAndScore();
            INDArray g = recurrent.stateGradients();                                     // [1, n, T]
            return g.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0), org.nd4j.linalg.indexing.NDArrayIndex.all(),
                    org.nd4j.linalg.indexing.NDArrayIndex.all()).dup();                  // [n, T]
        } finally {
            recurrent.setRecordStateGradients(false);
            net.clearLayerMaskArrays();
            net.clear();
        }
    }

    /** @return {@code ‖∂L/∂h_t‖₂} for every t (see {@link #stateGradients}) */
    public static double[] norms(MultiLayerNetwork net, int layerIndex, INDArray features, INDArray labels) {
        INDArray g = stateGradients(net, layerIndex, features, labels).castTo(DataType.DOUBLE);   // [n, T]
        return g.norm2(0).toDoubleVector();                                                       // [T]
    }

    /**
     * The largest singular value of {@code matrix} by power iteration on {@code MᵀM} (in double precision) from a
     * fixed start vector, until the estimate changes by less than 1e-12 relative (at most 10 000 iterations).
     */
    public static double largestSingularValue(INDArray matrix) {
        if (matrix.rank() != 2) {
            throw new IllegalArgumentException("StateGradientProbe: expected a matrix, got shape "
                    + java.util.Arrays.toString(matrix.shape()));
        }
        INDArray m = matrix.castTo(DataType.DOUBLE);                                  // [r, c]
        double[] start = new double[m.columns()];
        java.util.Arrays.setAll(start, i -> 1.0 + (double) i / start.length);
        INDArray v = Nd4j.createFromArray(start).reshape(m.columns(), 1);             // [c, 1], generic start
        v.divi(v.norm2Number());
        double sigma = 0;
        for (int i = 0; i < 10_000; i++) {
            INDArray w = m.transpose().mmul(m.mmul(v));                                // [c, 1] = MᵀM v
            double norm = w.norm2Number().doubleValue();
            if (norm == 0) {
                return 0;
            }
            v = w.divi(norm);
            double next = Math.sqrt(norm);
            if (Math.abs(next - sigma) <= 1e-12 * next) {
                return next;
            }
            sigma = next;
        }
        return sigma;
    }

    /** @return the least-squares slope of {@code log10(values[t])} against t over {@code [from, to)} */
    public static double log10Slope(double[] values, int from, int to) {
        if (from < 0 || to > values.length || to - from < 2) {
            throw new IllegalArgumentException("StateGradientProbe: need a range of >= 2 points inside [0, "
                    + values.length + "], got [" + from + ", " + to + ")");
        }
        double n = to - from;
        double sx = 0, sy = 0, sxx = 0, sxy = 0;
        for (int t = from; t < to; t++) {
            double y = Math.log10(values[t]);
            sx += t;
            sy += y;
            sxx += (double) t * t;
            sxy += t * y;
        }
        return (n * sxy - sx * sy) / (n * sxx - sx * sx);
    }
}
