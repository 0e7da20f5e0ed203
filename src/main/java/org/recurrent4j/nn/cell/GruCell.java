package org.recurrent4j.nn.cell;

import static org.recurrent4j.nn.cell.Blocks.col;
import static org.recurrent4j.nn.cell.Blocks.cols;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * GRU cell, gate blocks in the order r (reset), z (update), c (candidate):
 * <pre>
 *   r = σ(x W_r + b_r + h RW_r [+ RB_r])        z = σ(x W_z + b_z + h RW_z [+ RB_z])
 *   resetAfter = false (Cho et al. 2014):   c = tanh(x W_c + b_c + (r ∘ h) RW_c)
 *   resetAfter = true  (cuDNN, PyTorch):    c = tanh(x W_c + b_c + r ∘ (h RW_c + RB_c))
 *   h' = (1 − z) ∘ h + z ∘ c
 * </pre>
 * Cache per step: {@code [r, z, c]} [mb, 3n], plus {@code hc = h RW_c + RB_c} [mb, n] when resetAfter.
 */
public final class GruCell implements RecurrentCell {
    private static final int R = 0;
    private static final int Z = 1;
    private static final int C = 2;

    private final long n;
    private final boolean resetAfter;
    private final Scratch scratch = new Scratch();

    public GruCell(long nOut, boolean resetAfter) {
        this.n = nOut;
        this.resetAfter = resetAfter;
    }

    @Override public long nOut() { return n; }
    @Override public int gates() { return 3; }
    @Override public long cacheWidth() { return resetAfter ? 4 * n : 3 * n; }
    @Override public boolean hasRecurrentBias() { return resetAfter; }
    @Override public boolean separateRecurrentGradient() { return resetAfter; }

    public boolean resetAfter() {
        return resetAfter;
    }

    @Override
    public void forwardStep(CellParams p, INDArray xProj, INDArray hPrev, INDArray cache, INDArray hNew, boolean training) {
        long mb = hPrev.size(0);
        DataType type = hPrev.dataType();
        char o = scratchOrder(hPrev);
        INDArray rw = p.recurrentWeights();
        INDArray gates = cache != null ? cols(cache, n, 0, 3) : scratch.get(0, type, o, mb, 3 * n);
        INDArray rz = cols(gates, n, R, 2);                              // [mb, 2n]
        INDArray r = col(gates, n, R);
        INDArray z = col(gates, n, Z);
        INDArray c = col(gates, n, C);
        if (!resetAfter) {
            // [r, z] = σ(xProj_rz + h RW_rz)                           // [mb, n] x [n, 2n]
            INDArray rec = scratch.get(1, type, o, mb, 2 * n);
            Nd4j.gemm(hPrev, cols(rw, n, R, 2), rec, false, false, 1.0, 0.0);
            rz.assign(rec.addi(cols(xProj, n, R, 2)));
            Transforms.sigmoid(rz, false);
            // c = tanh(xProj_c + (r ∘ h) RW_c)                         // [mb, n] x [n, n]
            INDArray rh = scratch.get(2, type, o, mb, n).assign(r).muli(hPrev);
            INDArray recC = scratch.get(3, type, o, mb, n);
            Nd4j.gemm(rh, col(rw, n, C), recC, false, false, 1.0, 0.0);
            c.assign(recC.addi(col(xProj, n, C)));
        } else {
            // rec = h RW + RB                                          // [mb, n] x [n, 3n]
            INDArray rec = scratch.get(1, type, o, mb, 3 * n);
            Nd4j.gemm(hPrev, rw, rec, false, false, 1.0, 0.0);
            rec.addiRowVector(p.recurrentBias());
            rz.assign(cols(rec, n, R, 2).addi(cols(xProj, n, R, 2)));
            Transforms.sigmoid(rz, false);
            INDArray hc = col(rec, n, C);                                // [mb, n]
            if (cache != null) {
                col(cache, n, 3).assign(hc);
            }
            // c = tanh(xProj_c + r ∘ hc)
            c.assign(hc.muli(r).addi(col(xProj, n, C)));
        }
        Transforms.tanh(c, false);
        // h' = h + z ∘ (c − h)                                          // [mb, n]
        hNew.assign(c).subi(hPrev).muli(z).addi(hPrev);
    }

    @Override
    public void backwardStep(CellParams p, INDArray dHNew, INDArray hPrev, INDArray cache,
                             INDArray dXProj, INDArray dRec, INDArray dHPrev) {
        long mb = hPrev.size(0);
        DataType type = hPrev.dataType();
        INDArray rw = p.recurrentWeights();
        INDArray r = col(cache, n, R);
        INDArray z = col(cache, n, Z);
        INDArray c = col(cache, n, C);
        // dA = [da_r, da_z, da_c], gradients at the gate pre-activations  // [mb, 3n], 'f' so blocks are contiguous
        INDArray dA = scratch.get(4, type, 'f', mb, 3 * n);
        INDArray daR = col(dA, n, R);
        INDArray daZ = col(dA, n, Z);
        INDArray daC = col(dA, n, C);
        char o = scratchOrder(hPrev);
        INDArray t = scratch.get(5, type, o, mb, n);
        // da_c = dh ∘ z ∘ (1 − c²)
        daC.assign(c).muli(c).rsubi(1.0).muli(z).muli(dHNew);
        // da_z = dh ∘ (c − h) ∘ z ∘ (1 − z)
        daZ.assign(z).rsubi(1.0).muli(z).muli(t.assign(c).subi(hPrev).muli(dHNew));
        // direct path: dh_{t-1} += dh ∘ (1 − z)
        dHPrev.addi(t.assign(z).rsubi(1.0).muli(dHNew));
        if (!resetAfter) {
            // d(r ∘ h) = da_c RW_cᵀ                                     // [mb, n] x [n, n]
            INDArray dRh = scratch.get(6, type, o, mb, n);
            Nd4j.gemm(daC, col(rw, n, C), dRh, false, true, 1.0, 0.0);
            // da_r = d(r∘h) ∘ h ∘ r ∘ (1 − r)
            daR.assign(t.assign(r).rsubi(1.0).muli(r).muli(hPrev).muli(dRh));
            // dh_{t-1} += d(r∘h) ∘ r + [da_r, da_z] RW_rzᵀ
            dHPrev.addi(dRh.muli(r));
            Nd4j.gemm(cols(dA, n, R, 2), cols(rw, n, R, 2), dHPrev, false, true, 1.0, 1.0);
            dXProj.assign(dA);
        } else {
            INDArray hc = col(cache, n, 3);
            // da_r = da_c ∘ hc ∘ r ∘ (1 − r)
            daR.assign(t.assign(r).rsubi(1.0).muli(r).muli(hc).muli(daC));
            dXProj.assign(dA);
            // gradient at the recurrent pre-activations: [da_r, da_z, da_c ∘ r]
            daC.muli(r);
            dRec.assign(dA);
            // dh_{t-1} += dRec RWᵀ                                      // [mb, 3n] x [3n, n]
            Nd4j.gemm(dA, rw, dHPrev, false, true, 1.0, 1.0);
        }
    }

    @Override
    public void recurrentWeightGradients(CellParams p, INDArray hPrevAll, INDArray cacheAll, INDArray dXProjAll,
                                         INDArray dRecAll, CellGradients grads) {
        INDArray dRw = grads.recurrentWeights();
        if (!resetAfter) {
            // dRW_rz = Hprevᵀ dA_rz                                     // [n, N] x [N, 2n]
            Nd4j.gemm(hPrevAll, gemmOperand(cols(dXProjAll, n, R, 2)), cols(dRw, n, R, 2), true, false, 1.0, 0.0);
            // dRW_c = (R ∘ Hprev)ᵀ dA_c                                 // [n, N] x [N, n]
            INDArray r = col(cacheAll, n, R);
            INDArray rh = scratch.get(7, r.dataType(), r.ordering(), r.size(0), n).assign(r).muli(hPrevAll);
            Nd4j.gemm(rh, gemmOperand(col(dXProjAll, n, C)), col(dRw, n, C), true, false, 1.0, 0.0);
        } else {
            // dRW = Hprevᵀ dRec; dRB = Σ_rows dRec                     // [n, N] x [N, 3n]
            Nd4j.gemm(hPrevAll, dRecAll, dRw, true, false, 1.0, 0.0);
            grads.recurrentBias().assign(dRecAll.sum(true, 0));
        }
    }

    /**
     * @return the order of the step's scratch arrays: that of the caller's state when it is contiguous. Element-wise
     *     ND4J ops on arrays of one order and contiguous run 2–8× faster than on mixed orders or strided views
     *     (measured on [64, 512] floats, one thread: 40–60 µs against 100–400 µs), so a caller that keeps its per-step
     *     arrays in one order (the attention decoder: 'f', where the gate blocks of [mb, k·n] are contiguous) gets
     *     scratch arrays in that order too.
     */
    private static char scratchOrder(INDArray hPrev) {
        return hPrev.elementWiseStride() == 1 ? hPrev.ordering() : 'c';
    }

    /**
     * @return the matrix itself when a GEMM can read it in place (unit stride along rows or columns: a column block of
     *     a 'c' or 'f' matrix), else an 'f' copy
     */
    private static INDArray gemmOperand(INDArray a) {
        return a.stride(0) == 1 || a.stride(1) == 1 ? a : a.dup('f');
    }
}
