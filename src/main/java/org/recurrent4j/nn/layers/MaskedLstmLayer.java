package org.recurrent4j.nn.layers;

import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.recurrent.LSTM;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import java.util.function.Supplier;
import org.nd4j.linalg.factory.Nd4j;
import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;
import static org.nd4j.linalg.indexing.NDArrayIndex.point;

/**
 * The layer of {@code org.recurrent4j.conf.MaskedLstm}: DL4J's LSTM, keeping the features mask it is given on the way
 * forward, where DL4J's LSTM code then outputs {@code y_t = m_t · h_t} and resets the state at masked steps.
 *
 * <p>Backward, the error of a masked step is zeroed before DL4J's LSTM code sees it ({@code ∂L/∂h_t = m_t ·
 * ∂L/∂y_t}): that code zeroes the gate deltas of masked steps but still passes the cell-state error of a masked step
 * back to the step before through the forget gate, which is wrong when the incoming error there is not zero (a loss
 * without a labels mask, say). With right-padded sequences this makes the gradients those of PyTorch's packed
 * sequences ({@code PyTorchGradientTest}).
 */
public class MaskedLstmLayer extends LSTM {

    public MaskedLstmLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public Pair<INDArray, MaskState> feedForwardMaskArray(INDArray maskArray, MaskState currentMaskState,
                                                          int minibatchSize) {
        this.maskArray = maskArray;
        this.maskState = currentMaskState;
        return super.feedForwardMaskArray(maskArray, currentMaskState, minibatchSize);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        int[] starts = leadingMaskedSteps();
        if (starts == null) {
            return withInput(masked(input), () -> super.backpropGradient(masked(epsilon), workspaceMgr));
        }
        // left-padded rows: DL4J's backward pass lets the recurrent error of the first real step into the masked
        // steps before it (their gate deltas reach the bias gradient), so each row is moved to start at step 0,
        // where the masked steps come last and receive no error, and the input errors are moved back
        INDArray originalMask = maskArray;
        maskArray = shifted(originalMask.reshape(originalMask.size(0), 1, originalMask.size(1)), false, starts, -1)
                .reshape(originalMask.shape());
        try {
            Pair<Gradient, INDArray> g = withInput(masked(shifted(input, nwc(), starts, -1)),
                    () -> super.backpropGradient(masked(shifted(epsilon, nwc(), starts, -1)), workspaceMgr));
            INDArray inputErrors = workspaceMgr.create(ArrayType.ACTIVATION_GRAD, g.getSecond().dataType(),
                    g.getSecond().shape(), g.getSecond().ordering());
            return new Pair<>(g.getFirst(), inputErrors.assign(shifted(g.getSecond(), nwc(), starts, +1)));
        } finally {
            maskArray = originalMask;
        }
    }

    @Override
    public Pair<Gradient, INDArray> tbpttBackpropGradient(INDArray epsilon, int tbpttBackwardLength,
                                                          LayerWorkspaceMgr workspaceMgr) {
        return withInput(masked(input),
                () -> super.tbpttBackpropGradient(masked(epsilon), tbpttBackwardLength, workspaceMgr));
    }

    /** Runs DL4J's backward pass on the given input in place of the layer's, then restores the layer's. */
    private Pair<Gradient, INDArray> withInput(INDArray replacement, Supplier<Pair<Gradient, INDArray>> backward) {
        INDArray original = input;
        input = replacement;
        try {
            return backward.get();
        } finally {
            input = original;
        }
    }

    /**
     * @return per row, the first real step, when some row starts with masked steps and every row's real steps are
     *     one block; otherwise null
     */
    private int[] leadingMaskedSteps() {
        if (maskArray == null || input == null || input.rank() != 3) {
            return null;
        }
        double[][] mask = maskArray.castTo(DataType.DOUBLE).toDoubleMatrix();   // [mb][T]
        int rows = mask.length;
        int steps = mask[0].length;
        int[] starts = new int[rows];
        boolean anyLeading = false;
        for (int r = 0; r < rows; r++) {
            int first = 0;
            while (first < steps && mask[r][first] == 0) {
                first++;
            }
            int end = first;
            while (end < steps && mask[r][end] != 0) {
                end++;
            }
            for (int t = end; t < steps; t++) {
                if (mask[r][t] != 0) {
                    return null;                                     // holes: left as DL4J computes them
                }
            }
            starts[r] = first < steps ? first : 0;
            anyLeading |= starts[r] > 0;
        }
        return anyLeading ? starts : null;
    }

    /**
     * @param sequence  [mb, size, T] (NCW) or [mb, T, size] (NWC)
     * @param nwc       which of the two
     * @param direction −1: row r's steps from starts[r] on move to 0..; +1: back
     * @return the moved copy, zeros where nothing moved in
     */
    private static INDArray shifted(INDArray sequence, boolean nwc, int[] starts, int direction) {
        INDArray ncw = nwc ? sequence.permute(0, 2, 1) : sequence;   // [mb, size, T]
        INDArray out = Nd4j.zeros(ncw.dataType(), ncw.shape());
        long steps = ncw.size(2);
        for (int r = 0; r < starts.length; r++) {
            long length = steps - starts[r];
            long from = direction < 0 ? starts[r] : 0;
            long to = direction < 0 ? 0 : starts[r];
            out.get(point(r), all(), interval(to, to + length))
                    .assign(ncw.get(point(r), all(), interval(from, from + length)));
        }
        return nwc ? out.permute(0, 2, 1) : out;
    }

    private boolean nwc() {
        return getDataFormat() == RNNFormat.NWC;
    }

    /** @return a sequence [mb, size, T] (NCW) or [mb, T, size] (NWC) with masked steps zeroed (a copy), or as it is */
    private INDArray masked(INDArray sequence) {
        if (maskArray == null || sequence == null || sequence.rank() != 3) {
            return sequence;
        }
        long mb = maskArray.size(0);
        long t = maskArray.size(1);
        INDArray mask = maskArray.castTo(sequence.dataType());
        INDArray steps = nwc() ? mask.reshape(mb, t, 1) : mask.reshape(mb, 1, t);
        return sequence.mul(steps);                                  // broadcast over the features
    }
}
