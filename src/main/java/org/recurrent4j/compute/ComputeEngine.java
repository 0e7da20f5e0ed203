package org.recurrent4j.compute;

/**
 * The operations the recurrent layers, the truncated-BPTT hooks and the attention decoder spend their time in, on
 * {@link Matrix} views of the engine's memory (no ND4J types: the ND4J glue lives in {@code org.recurrent4j.nn}).
 * One engine serves every layer of a process; implementations are thread-safe (layers on different threads call it
 * at once), while the objects built on it ({@link RecurrentSequence}, {@link CellKernel}) belong to one layer each.
 *
 * <p>Conventions: a matrix argument named {@code out}, {@code state}, {@code cache} … is written; arguments whose
 * documentation says "added to" accumulate. Unless a method says otherwise, outputs must not overlap inputs. Gate
 * blocks of a GRU are ordered r, z, c (reset, update, candidate); an LSTM's a, f, o, i (block input, forget, output,
 * input), as DL4J's {@code LSTM}. Shapes: {@code mb} rows (examples), {@code n} the state size.
 */
public interface ComputeEngine {

    /** @return e.g. {@code cpu: OpenBLAS 0.3.19, 1 thread} */
    String describe();

    /** @return whether matrices may point at host memory (arrays of the caller) directly, without a copy */
    boolean sharesHostMemory();

    /** @return new engine memory of {@code elements} elements, contents undefined */
    EngineBuffer allocate(Precision precision, long elements);

    // ------------------------------------------------------------------------------------------------
    // Products

    /** {@code c = α op(a) op(b) + β c}; a matrix may have either layout; c must not overlap a or b */
    void gemm(double alpha, Matrix a, boolean transA, Matrix b, boolean transB, double beta, Matrix c);

    /**
     * {@code batch} independent products {@code c_k = α op(a_k) op(b_k) + β c_k}, where {@code a_k} is {@code a}
     * moved by {@code k·strideA} elements (likewise b, c).
     */
    void gemmBatched(long batch, double alpha, Matrix a, long strideA, boolean transA, Matrix b, long strideB,
                     boolean transB, double beta, Matrix c, long strideC);

    // ------------------------------------------------------------------------------------------------
    // Moves and reductions

    /** {@code dst = src}, same shape, any layouts */
    void copy(Matrix src, Matrix dst);

    /** every element of {@code dst} = value */
    void fill(Matrix dst, double value);

    /** {@code out = a + b}; out may be a or b */
    void add(Matrix a, Matrix b, Matrix out);

    /** {@code out = a ∘ b}; out may be a or b */
    void multiply(Matrix a, Matrix b, Matrix out);

    /** {@code m ∘= s} */
    void scale(Matrix m, double s);

    /** {@code y += α x} */
    void axpy(double alpha, Matrix x, Matrix y);

    /** {@code m[i, :] += row} for every row i; row [1, cols] */
    void addRowVector(Matrix row, Matrix m);

    /** {@code out = Σ_i m[i, :] + β out}, out [1, cols] */
    void columnSums(Matrix m, double beta, Matrix out);

    /** {@code m[i, :] *= factors[i]}; factors [rows, 1] (e.g. a mask column) */
    void scaleRows(Matrix factors, Matrix m);

    /** @return {@code Σ a ∘ b} over all elements (same shapes) */
    double dot(Matrix a, Matrix b);

    /** @return {@code max |a|} over all elements (0 for an empty matrix) */
    double maxAbs(Matrix a);

    /** @return {@code Σ a} over all elements */
    double sum(Matrix a);

    /** {@code dst[i, :] = src[rows[i], :]}, or zeros where {@code rows[i] < 0} */
    void gatherRows(Matrix src, long[] rows, Matrix dst);

    /** {@code dst[rows[i], :] += src[i, :]} for every i with {@code rows[i] ≥ 0} */
    void scatterAddRows(Matrix src, long[] rows, Matrix dst);

    /** Copies a matrix into host memory, row by row: {@code dst[i·cols + j] = src(i, j)} (dst holds rows·cols values) */
    void read(Matrix src, double[] dst);

    /** {@code dst[t·mb + i, j] = src(i, j, t)}: a sequence [mb, size, T] (any strides) to time-major rows */
    void toTimeMajor(Tensor3 src, Matrix dst);

    /** {@code dst(i, j, t) = src[t·mb + i, j]}: time-major rows back to a sequence [mb, size, T] (any strides) */
    void fromTimeMajor(Matrix src, Tensor3 dst);

    // ------------------------------------------------------------------------------------------------
    // Element-wise functions

    /** {@code y = f(x)}; y may be x */
    void activation(Nonlinearity f, Matrix x, Matrix y);

    /** {@code dx = f'(x) ∘ dy}; dx may be dy */
    void activationBackward(Nonlinearity f, Matrix x, Matrix dy, Matrix dx);

    // ------------------------------------------------------------------------------------------------
    // Recurrent steps (the element-wise part; the caller runs the GEMMs in between)

    /**
     * A GRU step in the reset-after form (cuDNN, PyTorch), given {@code rec = h RW + RB} [mb, 3n]:
     * {@code r = σ(x_r + rec_r)}, {@code z = σ(x_z + rec_z)}, {@code c = tanh(x_c + r ∘ rec_c)},
     * {@code h' = h + z ∘ (c − h)}.
     *
     * @param xProj [mb, 3n] the step's input projection {@code x W + b}
     * @param rec   [mb, 3n] {@code h RW + RB}
     * @param hPrev [mb, n]
     * @param cache [mb, 4n] receives {@code [r, z, c, rec_c]}
     * @param hNew  [mb, n] receives h'
     */
    void gruForwardResetAfter(Matrix xProj, Matrix rec, Matrix hPrev, Matrix cache, Matrix hNew);

    /**
     * First half of a GRU step in the papers' form: {@code r = σ(x_r + rec_r)}, {@code z = σ(x_z + rec_z)} into the
     * cache's first two blocks, and {@code r ∘ h} (the operand of the candidate's recurrent GEMM).
     *
     * @param xProj      [mb, 3n]
     * @param recRz      [mb, 2n] {@code h RW_rz}
     * @param hPrev      [mb, n]
     * @param cache      [mb, 3n] receives r and z in its first two blocks
     * @param resetState [mb, n] receives {@code r ∘ h}
     */
    void gruResetGates(Matrix xProj, Matrix recRz, Matrix hPrev, Matrix cache, Matrix resetState);

    /**
     * Second half of a GRU step in the papers' form: {@code c = tanh(x_c + (r ∘ h) RW_c)} into the cache's third
     * block, {@code h' = h + z ∘ (c − h)}.
     *
     * @param xProj [mb, 3n]
     * @param recC  [mb, n] {@code (r ∘ h) RW_c}
     * @param hPrev [mb, n]
     * @param cache [mb, 3n] holding r, z; receives c
     * @param hNew  [mb, n]
     */
    void gruCandidate(Matrix xProj, Matrix recC, Matrix hPrev, Matrix cache, Matrix hNew);

    /**
     * Backward through a GRU step's update and candidate, either form: {@code da_c = dh ∘ z ∘ (1 − c²)},
     * {@code da_z = dh ∘ (c − h) ∘ z ∘ (1 − z)}, and the direct path {@code dh_{t−1} += dh ∘ (1 − z)}.
     *
     * @param dHNew  [mb, n] dL/dh'
     * @param hPrev  [mb, n]
     * @param cache  the step's cache (r, z, c in its first three blocks)
     * @param dGates [mb, 3n] receives da_z and da_c in blocks 1 and 2
     * @param dHPrev [mb, n] added to
     */
    void gruUpdateBackward(Matrix dHNew, Matrix hPrev, Matrix cache, Matrix dGates, Matrix dHPrev);

    /**
     * Backward through the reset gate, papers' form: {@code da_r = d(r∘h) ∘ h ∘ r ∘ (1 − r)},
     * {@code dh_{t−1} += d(r∘h) ∘ r}.
     *
     * @param dResetState [mb, n] {@code d(r∘h) = da_c RW_cᵀ}
     * @param hPrev       [mb, n]
     * @param cache       the step's cache
     * @param dGates      [mb, 3n] receives da_r in block 0
     * @param dHPrev      [mb, n] added to
     */
    void gruResetBackward(Matrix dResetState, Matrix hPrev, Matrix cache, Matrix dGates, Matrix dHPrev);

    /**
     * Backward through the reset gate, reset-after form: {@code da_r = da_c ∘ rec_c ∘ r ∘ (1 − r)}; the gradient at
     * the recurrent pre-activations is {@code [da_r, da_z, da_c ∘ r]}.
     *
     * @param cache  [mb, 4n] the step's cache
     * @param dGates [mb, 3n] holding da_z, da_c (from {@link #gruUpdateBackward}); receives da_r in block 0
     * @param dRec   [mb, 3n] receives {@code [da_r, da_z, da_c ∘ r]}
     */
    void gruResetAfterBackward(Matrix cache, Matrix dGates, Matrix dRec);

    /**
     * An LSTM step's element-wise part: {@code a = tanh(pre_a)}, {@code f, o, i = σ(pre_f, pre_o, pre_i)},
     * {@code c' = f ∘ c + i ∘ a}, {@code h' = o ∘ tanh(c')}.
     *
     * @param pre   [mb, 4n] {@code x W + b + h RW}
     * @param cPrev [mb, n]
     * @param cache [mb, 5n] receives {@code [a, f, o, i, tanh(c')]}
     * @param hNew  [mb, n]
     * @param cNew  [mb, n]
     */
    void lstmForward(Matrix pre, Matrix cPrev, Matrix cache, Matrix hNew, Matrix cNew);

    /**
     * Backward of {@link #lstmForward}: with {@code dc = dC + dh ∘ o ∘ (1 − tanh²(c'))}: {@code da_o = dh ∘ tanh(c')
     * ∘ o(1 − o)}, {@code da_i = dc ∘ a ∘ i(1 − i)}, {@code da_f = dc ∘ c ∘ f(1 − f)}, {@code da_a = dc ∘ i ∘ (1 − a²)},
     * {@code dc_{t−1} += dc ∘ f}.
     *
     * @param dH     [mb, n] dL/dh'
     * @param dC     [mb, n] dL/dc' from later steps
     * @param cPrev  [mb, n]
     * @param cache  [mb, 5n]
     * @param dGates [mb, 4n] receives the gradients at the gate pre-activations
     * @param dCPrev [mb, n] added to
     */
    void lstmBackward(Matrix dH, Matrix dC, Matrix cPrev, Matrix cache, Matrix dGates, Matrix dCPrev);

    /**
     * Applies a step's mask: {@code state = m ? candidate : previous} ({@link MaskedSteps#KEEP_STATE}) or
     * {@code m ? candidate : 0} (ZERO_STATE); {@code output = m ? candidate : 0} when given.
     *
     * @param mask   [mb, 1] of 0/1
     * @param output [mb, n] or null
     */
    void maskedStep(Matrix candidate, Matrix previous, Matrix mask, MaskedSteps mode, Matrix state, Matrix output);

    /**
     * The gradient side of {@link #maskedStep}: {@code dHPrev = dH ∘ (1 − m)} (KEEP_STATE: masked steps pass the
     * gradient on) or 0 (ZERO_STATE), then {@code dHNew ∘= m}.
     *
     * @param dH     [mb, n] dL/dh_t from later steps
     * @param mask   [mb, 1]
     * @param dHNew  [mb, n] the gradient at the step's candidate state, multiplied by m here
     * @param dHPrev [mb, n] overwritten
     */
    void maskedStepBackward(Matrix dH, Matrix mask, MaskedSteps mode, Matrix dHNew, Matrix dHPrev);

    // ------------------------------------------------------------------------------------------------
    // Attention

    /**
     * The hidden layer of an additive score: {@code hidden[b·Tk + j, :] = tanh(keys[b·Tk + j, :] + query[b, :])}.
     *
     * @param keys   [mb·Tk, a] projected keys
     * @param query  [mb, a] projected query (bias included)
     * @param hidden [mb·Tk, a]
     */
    void additiveHidden(Matrix keys, Matrix query, Matrix hidden);

    /**
     * Backward of the additive hidden layer and its reduction {@code e = hidden v}: with
     * {@code G[b·Tk + j, :] = dScores[b, j] · v ∘ (1 − hidden²)}: {@code dKeys += G},
     * {@code dQuery[b, :] = Σ_j G[b·Tk + j, :]}.
     *
     * @param hidden  [mb·Tk, a]
     * @param dScores [mb, Tk]
     * @param v       [1, a] the (effective) score vector
     * @param dKeys   [mb·Tk, a] added to
     * @param dQuery  [mb, a] overwritten
     */
    void additiveHiddenBackward(Matrix hidden, Matrix dScores, Matrix v, Matrix dKeys, Matrix dQuery);

    /**
     * Softmax over each row with a mask: {@code α_j = m_j e^{s_j − max} / Σ_k m_k e^{s_k − max}}, the max over real
     * positions. Padded positions get exactly 0; a row without real positions gets all zeros (never NaN).
     *
     * @param scores [mb, Tk]
     * @param mask   [mb, Tk] of 0/1, or null
     * @param alpha  [mb, Tk]; may be scores
     */
    void maskedSoftmax(Matrix scores, Matrix mask, Matrix alpha);

    /** {@code dScores = α ∘ (dα − Σ_k α_k dα_k)} per row; dScores may be dAlpha */
    void maskedSoftmaxBackward(Matrix alpha, Matrix dAlpha, Matrix dScores);

    /**
     * Softmax cross-entropy of every row, fused: {@code p = softmax(z)}, the row's loss
     * {@code −m Σ_c y_c log(clip(p_c))} (clip to [ε, 1 − ε], as DL4J's {@code LossMCXENT}) and its gradient
     * {@code dz = m (p − y)}, in one pass over the logits.
     *
     * @param logits   [R, C]
     * @param labels   [R, C] targets y (one-hot or distributions), or with {@code sparse} [R, 1] the class index of
     *                 each row (stored in the logits' precision)
     * @param sparse   whether labels are class indices
     * @param mask     [R, 1] row weights m (0/1 masks), or null
     * @param clip     ε
     * @param dLogits  [R, C] receives dz, or null
     * @param losses   [R, 1] receives each row's loss, or null
     * @return the sum of the rows' losses
     */
    default double softmaxCrossEntropy(Matrix logits, Matrix labels, boolean sparse, Matrix mask, double clip,
                                       Matrix dLogits, Matrix losses) {
        return softmaxCrossEntropy(logits, labels, sparse, mask, clip, 0, dLogits, losses);
    }

    /**
     * {@link #softmaxCrossEntropy(Matrix, Matrix, boolean, Matrix, double, Matrix, Matrix)} against label-smoothed
     * targets {@code q = (1 − s) y + s / C} (the uniform share spread over all C classes, the target's included, as
     * Szegedy et al. 2016 and PyTorch's {@code CrossEntropyLoss(label_smoothing = s)}): the row's loss
     * {@code −m Σ_c q_c log(clip(p_c))} and its gradient {@code dz = m (p − q)}. With {@code s = 0} it computes exactly
     * what the unsmoothed form computes.
     *
     * @param smoothing s, in [0, 1]
     */
    double softmaxCrossEntropy(Matrix logits, Matrix labels, boolean sparse, Matrix mask, double clip,
                               double smoothing, Matrix dLogits, Matrix losses);

    /**
     * {@code out[i] = log Σ_j e^{z[i, j]}} of every row, stably (the row's maximum taken out), summed in double
     * precision; the log-softmax of a row is then {@code z[i, j] − out[i]}.
     *
     * @param z   [R, C]
     * @param out [R, 1]
     */
    void logSumExp(Matrix z, Matrix out);

    /** {@code out = max(pre[:, :l], pre[:, l:])}; pre [mb, 2l], out [mb, l] */
    void maxout(Matrix pre, Matrix out);

    /** the gradient goes to the larger half (the first on ties): {@code dPre = [dOut ∘ s, dOut ∘ (1 − s)]} */
    void maxoutBackward(Matrix pre, Matrix dOut, Matrix dPre);
}
