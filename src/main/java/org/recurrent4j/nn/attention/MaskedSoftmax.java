package org.recurrent4j.nn.attention;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Softmax over source positions with a mask: {@code α_j = m_j exp(e_j − max) / Σ_k m_k exp(e_k − max)}, the max taken
 * over real positions only. Padded positions get exactly zero weight, whatever their score. A row whose positions are
 * all padded gets all-zero weights (and so a zero context) — never NaN.
 */
public final class MaskedSoftmax {
    private MaskedSoftmax() {
    }

    /**
     * @param scores [mb, Tk]
     * @param mask   [mb, Tk] of 0/1 in the scores' data type, or null (all real)
     * @return α [mb, Tk]
     */
    public static INDArray forward(INDArray scores, INDArray mask) {
        INDArray s = mask == null ? scores.dup() : scores.mul(mask);                   // padded → 0 (finite)
        if (mask != null) {
            // push padded positions far below every real one before taking the row max
            s.addi(mask.rsub(1.0).muli(-1e30));
        }
        INDArray max = s.max(true, 1);                                                  // [mb, 1]
        // exp(min(e − max, 0)): ≤ 1 everywhere, also in all-padded rows; padded positions are then zeroed
        INDArray ex = Transforms.exp(Transforms.min(s.subiColumnVector(max), 0.0, false), false);
        if (mask != null) {
            ex.muli(mask);
        }
        INDArray sum = ex.sum(true, 1);                                                 // [mb, 1], ≥ 1 if any real
        return ex.diviColumnVector(Transforms.max(sum, 1.0, false));                    // all-padded rows: 0 / 1
    }

    /**
     * @param alpha  [mb, Tk] the forward output
     * @param dAlpha [mb, Tk] dL/dα
     * @return dL/de [mb, Tk] = α ∘ (dα − Σ_k α_k dα_k); zero at padded positions
     */
    public static INDArray backward(INDArray alpha, INDArray dAlpha) {
        INDArray dot = alpha.mul(dAlpha).sum(true, 1);                                  // [mb, 1]
        return dAlpha.subColumnVector(dot).muli(alpha);
    }

}
