package org.recurrent4j.compute;

/**
 * GRU cell, gate blocks in the order r (reset), z (update), c (candidate):
 * <pre>
 *   r = σ(x W_r + b_r + h RW_r [+ RB_r])        z = σ(x W_z + b_z + h RW_z [+ RB_z])
 *   resetAfter = false (Cho et al. 2014):   c = tanh(x W_c + b_c + (r ∘ h) RW_c)
 *   resetAfter = true  (cuDNN, PyTorch):    c = tanh(x W_c + b_c + r ∘ (h RW_c + RB_c))
 *   h' = (1 − z) ∘ h + z ∘ c
 * </pre>
 * Cache per step: {@code [r, z, c]} [mb, 3n], plus {@code hc = h RW_c + RB_c} [mb, n] when resetAfter.
 *
 * <p>Backward, with {@code da_c = dh ∘ z ∘ (1 − c²)} and {@code da_z = dh ∘ (c − h) ∘ z(1 − z)}:
 * the papers' form {@code d(r∘h) = da_c RW_cᵀ}, {@code da_r = d(r∘h) ∘ h ∘ r(1 − r)},
 * {@code dh_{t−1} = dh ∘ (1 − z) + d(r∘h) ∘ r + [da_r, da_z] RW_rzᵀ}; the reset-after form
 * {@code da_r = da_c ∘ hc ∘ r(1 − r)}, recurrent gradient {@code [da_r, da_z, da_c ∘ r]} =: dRec,
 * {@code dh_{t−1} = dh ∘ (1 − z) + dRec RWᵀ}.
 */
public final class GruKernel implements CellKernel {
    private static final int R = 0;
    private static final int Z = 1;
    private static final int C = 2;

    private final ComputeEngine engine;
    private final long n;
    private final boolean resetAfter;
    private final Buffers scratch;

    public GruKernel(ComputeEngine engine, long nOut, boolean resetAfter) {
        this.engine = engine;
        this.n = nOut;
        this.resetAfter = resetAfter;
        this.scratch = new Buffers(engine);
    }

    @Override public long nOut() { return n; }
    @Override public int gates() { return 3; }
    @Override public long cacheWidth() { return resetAfter ? 4 * n : 3 * n; }
    @Override public boolean hasRecurrentBias() { return resetAfter; }
    @Override public boolean separateRecurrentGradient() { return resetAfter; }

    /** @return whether this is the reset-after form */
    public boolean resetAfter() {
        return resetAfter;
    }

    @Override
    public void forwardStep(CellWeights w, Matrix xProj, Matrix hPrev, Matrix cache, Matrix hNew) {
        long mb = hPrev.rows();
        Precision p = hPrev.precision();
        Matrix rw = w.recurrentWeights();
        Matrix c = cache != null ? cache : scratch.matrix(1, p, mb, cacheWidth());
        if (resetAfter) {
            // rec = h RW + RB                                           // [mb, n] x [n, 3n]
            Matrix rec = scratch.matrix(0, p, mb, 3 * n);
            engine.gemm(1, hPrev, false, rw, false, 0, rec);
            engine.addRowVector(w.recurrentBias(), rec);
            engine.gruForwardResetAfter(xProj, rec, hPrev, c, hNew);
        } else {
            // [r, z] = σ(xProj_rz + h RW_rz)                            // [mb, n] x [n, 2n]
            Matrix recRz = scratch.matrix(0, p, mb, 2 * n);
            engine.gemm(1, hPrev, false, rw.cols(0, 2 * n), false, 0, recRz);
            Matrix resetState = scratch.matrix(2, p, mb, n);
            engine.gruResetGates(xProj, recRz, hPrev, c, resetState);
            // c = tanh(xProj_c + (r ∘ h) RW_c)                          // [mb, n] x [n, n]
            Matrix recC = scratch.matrix(3, p, mb, n);
            engine.gemm(1, resetState, false, rw.block(C, n), false, 0, recC);
            engine.gruCandidate(xProj, recC, hPrev, c, hNew);
        }
    }

    @Override
    public void backwardStep(CellWeights w, Matrix dHNew, Matrix hPrev, Matrix cache, Matrix dXProj, Matrix dRec,
                             Matrix dHPrev) {
        Matrix rw = w.recurrentWeights();
        // da_z, da_c into dXProj's blocks 1, 2; dh_{t−1} += dh ∘ (1 − z)
        engine.gruUpdateBackward(dHNew, hPrev, cache, dXProj, dHPrev);
        if (!resetAfter) {
            // d(r ∘ h) = da_c RW_cᵀ                                     // [mb, n] x [n, n]
            Matrix dResetState = scratch.matrix(4, hPrev.precision(), hPrev.rows(), n);
            engine.gemm(1, dXProj.block(C, n), false, rw.block(C, n), true, 0, dResetState);
            engine.gruResetBackward(dResetState, hPrev, cache, dXProj, dHPrev);
            // dh_{t−1} += [da_r, da_z] RW_rzᵀ                            // [mb, 2n] x [2n, n]
            engine.gemm(1, dXProj.cols(0, 2 * n), false, rw.cols(0, 2 * n), true, 1, dHPrev);
        } else {
            engine.gruResetAfterBackward(cache, dXProj, dRec);
            // dh_{t−1} += dRec RWᵀ                                      // [mb, 3n] x [3n, n]
            engine.gemm(1, dRec, false, rw, true, 1, dHPrev);
        }
    }

    @Override
    public void recurrentWeightGradients(CellWeights w, Matrix hPrevAll, Matrix cacheAll, Matrix dXProjAll,
                                         Matrix dRecAll, CellWeights grads) {
        Matrix dRw = grads.recurrentWeights();
        if (!resetAfter) {
            // dRW_rz = Hprevᵀ dA_rz                                     // [n, N] x [N, 2n]
            engine.gemm(1, hPrevAll, true, dXProjAll.cols(0, 2 * n), false, 0, dRw.cols(0, 2 * n));
            // dRW_c = (R ∘ Hprev)ᵀ dA_c                                 // [n, N] x [N, n]
            Matrix resetStates = scratch.matrix(5, hPrevAll.precision(), hPrevAll.rows(), n);
            engine.multiply(cacheAll.block(R, n), hPrevAll, resetStates);
            engine.gemm(1, resetStates, true, dXProjAll.block(C, n), false, 0, dRw.block(C, n));
        } else {
            // dRW = Hprevᵀ dRec; dRB = Σ_rows dRec                     // [n, N] x [N, 3n]
            engine.gemm(1, hPrevAll, true, dRecAll, false, 0, dRw);
            engine.columnSums(dRecAll, 0, grads.recurrentBias());
        }
    }
}
