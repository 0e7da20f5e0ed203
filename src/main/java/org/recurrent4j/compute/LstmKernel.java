package org.recurrent4j.compute;

/**
 * LSTM cell without peepholes, gate blocks in DL4J's {@code LSTM} order a (block input), f (forget), o (output),
 * i (input gate), so that the {@code W}, {@code RW}, {@code b} of a DL4J {@code LSTM} layer load unchanged:
 * <pre>
 *   a = tanh(x W_a + b_a + h RW_a)     f = σ(x W_f + b_f + h RW_f)
 *   o = σ(x W_o + b_o + h RW_o)        i = σ(x W_i + b_i + h RW_i)
 *   c' = f ∘ c + i ∘ a                 h' = o ∘ tanh(c')
 * </pre>
 * The state passed between steps is {@code [h, c]} [mb, 2n] ({@link #stateWidth()} = 2n); its first n columns, h, are
 * the cell's output. Cache per step: {@code [a, f, o, i, tanh(c')]} [mb, 5n].
 */
public final class LstmKernel implements CellKernel {
    /** Block index of the forget gate (e.g. to initialise its bias). */
    public static final int FORGET_GATE = 1;

    private final ComputeEngine engine;
    private final long n;
    private final Buffers scratch;

    public LstmKernel(ComputeEngine engine, long nOut) {
        this.engine = engine;
        this.n = nOut;
        this.scratch = new Buffers(engine);
    }

    @Override public long nOut() { return n; }
    @Override public long stateWidth() { return 2 * n; }
    @Override public int gates() { return 4; }
    @Override public long cacheWidth() { return 5 * n; }
    @Override public boolean hasRecurrentBias() { return false; }
    @Override public boolean separateRecurrentGradient() { return false; }

    @Override
    public void forwardStep(CellWeights w, Matrix xProj, Matrix hPrev, Matrix cache, Matrix hNew) {
        long mb = hPrev.rows();
        Precision p = hPrev.precision();
        // pre = x W + b + h RW                                          // [mb, n] x [n, 4n]
        Matrix pre = scratch.matrix(0, p, mb, 4 * n);
        engine.copy(xProj, pre);
        engine.gemm(1, hPrev.cols(0, n), false, w.recurrentWeights(), false, 1, pre);
        Matrix c = cache != null ? cache : scratch.matrix(1, p, mb, 5 * n);
        engine.lstmForward(pre, hPrev.cols(n, n), c, hNew.cols(0, n), hNew.cols(n, n));
    }

    @Override
    public void backwardStep(CellWeights w, Matrix dHNew, Matrix hPrev, Matrix cache, Matrix dXProj, Matrix dRec,
                             Matrix dHPrev) {
        engine.lstmBackward(dHNew.cols(0, n), dHNew.cols(n, n), hPrev.cols(n, n), cache, dXProj, dHPrev.cols(n, n));
        // dh_{t−1} += dA RWᵀ                                            // [mb, 4n] x [4n, n]
        engine.gemm(1, dXProj, false, w.recurrentWeights(), true, 1, dHPrev.cols(0, n));
    }

    @Override
    public void recurrentWeightGradients(CellWeights w, Matrix hPrevAll, Matrix cacheAll, Matrix dXProjAll,
                                         Matrix dRecAll, CellWeights grads) {
        // dRW = Hprevᵀ dA                                               // [n, N] x [N, 4n]
        engine.gemm(1, hPrevAll, true, dXProjAll, false, 0, grads.recurrentWeights());
    }
}
