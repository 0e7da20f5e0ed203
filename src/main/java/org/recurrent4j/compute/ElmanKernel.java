package org.recurrent4j.compute;

/**
 * Elman cell: {@code h_t = f(x_t W + b + h_{t−1} RW)}. One gate block; the cache holds the pre-activation
 * {@code a_t} [mb, n]. Backward: {@code da = f'(a) ∘ dh}, {@code dh_{t−1} += da RWᵀ}, {@code dRW = Σ_t h_{t−1}ᵀ da_t}.
 */
public final class ElmanKernel implements CellKernel {
    private final ComputeEngine engine;
    private final long n;
    private final ActivationFunction activation;
    private final Buffers scratch;

    /**
     * @param engine     where to compute
     * @param nOut       n
     * @param activation f
     */
    public ElmanKernel(ComputeEngine engine, long nOut, ActivationFunction activation) {
        this.engine = engine;
        this.n = nOut;
        this.activation = activation;
        this.scratch = new Buffers(engine);
    }

    @Override public long nOut() { return n; }
    @Override public int gates() { return 1; }
    @Override public long cacheWidth() { return n; }
    @Override public boolean hasRecurrentBias() { return false; }
    @Override public boolean separateRecurrentGradient() { return false; }
    @Override public boolean cacheIsInputProjection() { return true; }

    @Override
    public void forwardStep(CellWeights w, Matrix xProj, Matrix hPrev, Matrix cache, Matrix hNew) {
        Matrix a = cache != null ? cache : scratch.matrix(0, hPrev.precision(), hPrev.rows(), n);
        // a = x W + b + h RW                                            // [mb, n] x [n, n]
        if (!a.equals(xProj)) {
            engine.copy(xProj, a);                                   // else accumulated in place
        }
        engine.gemm(1, hPrev, false, w.recurrentWeights(), false, 1, a);
        activation.forward(a, hNew);
    }

    @Override
    public void backwardStep(CellWeights w, Matrix dHNew, Matrix hPrev, Matrix cache, Matrix dXProj, Matrix dRec,
                             Matrix dHPrev) {
        // da = f'(a) ∘ dh                                               // [mb, n]
        activation.backward(cache, dHNew, dXProj);
        // dh_{t−1} += da RWᵀ                                            // [mb, n] x [n, n]
        engine.gemm(1, dXProj, false, w.recurrentWeights(), true, 1, dHPrev);
    }

    @Override
    public void recurrentWeightGradients(CellWeights w, Matrix hPrevAll, Matrix cacheAll, Matrix dXProjAll,
                                         Matrix dRecAll, CellWeights grads) {
        // dRW = Hprevᵀ dA                                               // [n, N] x [N, n]
        engine.gemm(1, hPrevAll, true, dXProjAll, false, 0, grads.recurrentWeights());
    }
}
