package org.recurrent4j.nn.cell;

import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Elman cell: {@code h_t = act(x_t W + b + h_{t-1} RW)}. One gate block; the cache holds the
 * pre-activation {@code a_t = x_t W + b + h_{t-1} RW} [mb, n].
 */
public final class ElmanCell implements RecurrentCell {
    private final long n;
    private final IActivation activation;
    private final Scratch scratch = new Scratch();

    public ElmanCell(long nOut, IActivation activation) {
        this.n = nOut;
        this.activation = activation;
    }

    @Override public long nOut() { return n; }
    @Override public int gates() { return 1; }
    @Override public long cacheWidth() { return n; }
    @Override public boolean hasRecurrentBias() { return false; }
    @Override public boolean separateRecurrentGradient() { return false; }

    @Override
    public void forwardStep(CellParams p, INDArray xProj, INDArray hPrev, INDArray cache, INDArray hNew, boolean training) {
        INDArray a = contiguousOr(cache, 0, hPrev);
        // a = x W + b + h RW                                       // [mb, n] x [n, n]
        a.assign(xProj);
        Nd4j.gemm(hPrev, p.recurrentWeights(), a, false, false, 1.0, 1.0);
        if (cache != null && a != cache) {
            cache.assign(a);
        }
        hNew.assign(a);
        INDArray h = activation.getActivation(hNew, training);      // in place for DL4J's activations
        if (h != hNew) {
            hNew.assign(h);
        }
    }

    @Override
    public void backwardStep(CellParams p, INDArray dHNew, INDArray hPrev, INDArray cache,
                             INDArray dXProj, INDArray dRec, INDArray dHPrev) {
        // da = act'(a) ∘ dh                                          // [mb, n]
        INDArray da = contiguousOr(dXProj, 1, hPrev);
        da.assign(cache);
        INDArray result = activation.backprop(da, dHNew).getFirst();
        if (result != da) {
            da.assign(result);
        }
        if (da != dXProj) {
            dXProj.assign(da);
        }
        // dh_{t-1} += da RWᵀ                                          // [mb, n] x [n, n]
        Nd4j.gemm(da, p.recurrentWeights(), dHPrev, false, true, 1.0, 1.0);
    }

    @Override
    public void recurrentWeightGradients(CellParams p, INDArray hPrevAll, INDArray cacheAll, INDArray dXProjAll,
                                         INDArray dRecAll, CellGradients grads) {
        // dRW = Hprevᵀ dA                                             // [n, N] x [N, n]
        Nd4j.gemm(hPrevAll, dXProjAll, grads.recurrentWeights(), true, false, 1.0, 0.0);
    }

    /** @return {@code target} when it can be a GEMM output (contiguous), else a scratch array of its shape */
    private INDArray contiguousOr(INDArray target, int slot, INDArray like) {
        if (target != null && target.elementWiseStride() == 1) {
            return target;
        }
        return scratch.get(slot, like.dataType(), 'c', like.size(0), n);
    }
}
