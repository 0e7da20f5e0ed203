package org.recurrent4j.nn.cell;

import static org.recurrent4j.nn.cell.Blocks.col;
import static org.recurrent4j.nn.cell.Blocks.cols;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

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
public final class LstmCell implements RecurrentCell {
    private static final int A = 0;
    private static final int F = 1;
    private static final int O = 2;
    private static final int I = 3;
    private static final int TANH_C = 4;
    /** Block index of c in the state [h, c]. */
    private static final int MEMORY = 1;

    private final long n;
    private final Scratch scratch = new Scratch();

    public LstmCell(long nOut) {
        this.n = nOut;
    }

    @Override public long nOut() { return n; }
    @Override public long stateWidth() { return 2 * n; }
    @Override public int gates() { return 4; }
    @Override public long cacheWidth() { return 5 * n; }
    @Override public boolean hasRecurrentBias() { return false; }
    @Override public boolean separateRecurrentGradient() { return false; }

    /** @return the gate block of the forget gate (e.g. to initialise its bias) */
    public static int forgetGateBlock() {
        return F;
    }

    @Override
    public void forwardStep(CellParams p, INDArray xProj, INDArray hPrev, INDArray cache, INDArray hNew, boolean training) {
        long mb = hPrev.size(0);
        DataType type = hPrev.dataType();
        INDArray h = contiguous(col(hPrev, n, 0));                                   // [mb, n]
        INDArray c = col(hPrev, n, MEMORY);                                           // [mb, n]
        // pre = x W + b + h RW                                        // [mb, n] x [n, 4n]
        INDArray pre = scratch.get(0, type, 'f', mb, 4 * n);
        Nd4j.gemm(h, p.recurrentWeights(), pre, false, false, 1.0, 0.0);
        pre.addi(xProj);
        INDArray gates = cache != null ? cols(cache, n, A, 4) : scratch.get(1, type, 'f', mb, 4 * n);
        gates.assign(pre);
        Transforms.tanh(col(gates, n, A), false);
        Transforms.sigmoid(cols(gates, n, F, 3), false);
        // c' = f ∘ c + i ∘ a                                           // [mb, n]
        INDArray cNew = col(hNew, n, MEMORY);
        cNew.assign(col(gates, n, F)).muli(c);
        INDArray ia = scratch.get(2, type, 'f', mb, n).assign(col(gates, n, I)).muli(col(gates, n, A));
        cNew.addi(ia);
        // h' = o ∘ tanh(c')
        INDArray tanhC = cache != null ? col(cache, n, TANH_C) : scratch.get(3, type, 'f', mb, n);
        Transforms.tanh(tanhC.assign(cNew), false);
        col(hNew, n, 0).assign(tanhC).muli(col(gates, n, O));
    }

    @Override
    public void backwardStep(CellParams p, INDArray dHNew, INDArray hPrev, INDArray cache,
                             INDArray dXProj, INDArray dRec, INDArray dHPrev) {
        long mb = hPrev.size(0);
        DataType type = hPrev.dataType();
        INDArray a = col(cache, n, A);
        INDArray f = col(cache, n, F);
        INDArray o = col(cache, n, O);
        INDArray i = col(cache, n, I);
        INDArray tanhC = col(cache, n, TANH_C);
        INDArray dh = col(dHNew, n, 0);
        INDArray cPrev = col(hPrev, n, MEMORY);
        // dA = [da_a, da_f, da_o, da_i], gradients at the gate pre-activations    // [mb, 4n], 'f': blocks contiguous
        INDArray dA = scratch.get(4, type, 'f', mb, 4 * n);
        INDArray t = scratch.get(5, type, 'f', mb, n);
        // dc = dc' (from later steps) + dh ∘ o ∘ (1 − tanh²(c'))
        INDArray dc = scratch.get(6, type, 'f', mb, n).assign(tanhC).muli(tanhC).rsubi(1.0).muli(o).muli(dh)
                .addi(col(dHNew, n, MEMORY));
        // da_o = dh ∘ tanh(c') ∘ o ∘ (1 − o)
        col(dA, n, O).assign(o).rsubi(1.0).muli(o).muli(tanhC).muli(dh);
        // da_i = dc ∘ a ∘ i ∘ (1 − i)
        col(dA, n, I).assign(i).rsubi(1.0).muli(i).muli(a).muli(dc);
        // da_f = dc ∘ c ∘ f ∘ (1 − f)
        col(dA, n, F).assign(f).rsubi(1.0).muli(f).muli(cPrev).muli(dc);
        // da_a = dc ∘ i ∘ (1 − a²)
        col(dA, n, A).assign(a).muli(a).rsubi(1.0).muli(i).muli(dc);
        // dc_{t-1} += dc ∘ f
        col(dHPrev, n, MEMORY).addi(t.assign(dc).muli(f));
        // dh_{t-1} += dA RWᵀ                                          // [mb, 4n] x [4n, n]
        INDArray dhPrev = col(dHPrev, n, 0);
        if (dhPrev.elementWiseStride() == 1 && dhPrev.ordering() == dHPrev.ordering()) {
            Nd4j.gemm(dA, p.recurrentWeights(), dhPrev, false, true, 1.0, 1.0);
        } else {
            INDArray rec = scratch.get(7, type, 'f', mb, n);
            Nd4j.gemm(dA, p.recurrentWeights(), rec, false, true, 1.0, 0.0);
            dhPrev.addi(rec);
        }
        dXProj.assign(dA);
    }

    @Override
    public void recurrentWeightGradients(CellParams p, INDArray hPrevAll, INDArray cacheAll, INDArray dXProjAll,
                                         INDArray dRecAll, CellGradients grads) {
        // dRW = Hprevᵀ dA                                             // [n, N] x [N, 4n]
        Nd4j.gemm(hPrevAll, dXProjAll, grads.recurrentWeights(), true, false, 1.0, 0.0);
    }

    private static INDArray contiguous(INDArray a) {
        return a.elementWiseStride() == 1 ? a : a.dup('f');
    }
}
