package org.recurrent4j.compute.decoder;

import org.recurrent4j.compute.Buffers;
import org.recurrent4j.compute.CellKernel;
import org.recurrent4j.compute.ComputeEngine;
import org.recurrent4j.compute.Matrix;
import org.recurrent4j.compute.Nonlinearity;
import org.recurrent4j.compute.Precision;
import org.recurrent4j.compute.attention.Attention;
import org.recurrent4j.compute.attention.Memory;

/**
 * The attention decoder on a {@link ComputeEngine}: the time loop of whole teacher-forced passes, forward and
 * backward, the encoding of a batch of sources, and single steps for step-wise decoding. What a step computes is its
 * ordering's ({@link BahdanauStep}, {@link LuongStep}); the memory of a pass lives here, in {@link Buffers} reused
 * from pass to pass (nothing is allocated once the shapes have been seen).
 *
 * <p>Sequences are time-major matrices, row {@code t·mb + i} for step t of example i; annotations batch-major,
 * row {@code b·Tx + j}. A full pass projects the inputs of all steps with one GEMM ({@code Y W + b}), and backward
 * computes every weight gradient that does not depend on the recurrence with one GEMM at the end, and the values'
 * gradient {@code Σ_t α_t dc_t} with one batched GEMM. Not thread-safe: one instance per decoder vertex.
 */
public final class DecoderSequence {
    private final ComputeEngine engine;
    private final DecoderShape shape;
    private final CellKernel cell;
    private final Attention attention;
    private final DecoderStep step;
    private final boolean keepHidden;
    private final Buffers trainingBuffers;
    private final Buffers inferenceBuffers;
    private final Buffers backwardBuffers;
    private long generation;

    /** Slots of a pass's memory. */
    private enum Kept { X_BASE, STATES, FEEDS, OUTPUTS, ALPHAS, CONTEXTS, HIDDEN, CACHES, CELL_STATES, ATTENTIONAL,
        DEEP_PRE, PROJECTED_KEYS, FIXED_PRE, FIXED, LAST, FIRST_BACKWARD, INITIAL_PRE, INITIAL_STATE, INITIAL_FEED }

    /** Slots of the backward pass's memory. */
    private enum Grad { D_X_PROJ, D_REC, D_CONTEXTS, D_Y_DEEP, D_DEEP_PRE, D_ATTENTIONAL, D_STATE_0, D_STATE_1,
        D_FEED_0, D_FEED_1, D_PROJECTED_KEYS, D_FIXED, D_PRE, D_ROWS }

    /**
     * @param cell       the decoder's cell
     * @param attention  the attention, or null for the fixed context
     * @param keepHidden whether a training pass keeps the additive score's hidden layer of every step (memory
     *                   mb·Ty·Tx·a) instead of recomputing it in the backward pass
     */
    public DecoderSequence(ComputeEngine engine, DecoderShape shape, CellKernel cell, Attention attention,
                           boolean keepHidden) {
        this.engine = engine;
        this.shape = shape;
        this.cell = cell;
        this.attention = attention;
        this.keepHidden = keepHidden;
        this.step = shape.ordering() == DecoderShape.Ordering.LUONG
                ? new LuongStep(engine, shape, cell, attention) : new BahdanauStep(engine, shape, cell, attention);
        this.trainingBuffers = new Buffers(engine);
        this.inferenceBuffers = new Buffers(engine);
        this.backwardBuffers = new Buffers(engine);
    }

    /** @return the shape */
    public DecoderShape shape() {
        return shape;
    }

    /** @return the cell */
    public CellKernel cell() {
        return cell;
    }

    /** @return the attention, or null (fixed context) */
    public Attention attention() {
        return attention;
    }

    // ------------------------------------------------------------------------------------------------
    // Encoding and single steps

    /**
     * Encodes a batch of sources: projects the attention keys (or computes the fixed context {@code tanh(h_T V)}),
     * and the initial state. Fills the computed matrices of {@code enc}.
     *
     * @return {@code enc} with its attention memory
     */
    public Encoding encode(DecoderWeights p, Encoding enc) {
        long n = shape.nOut();
        long dh = shape.annotationSize();
        Memory memory = null;
        if (attention != null) {
            memory = attention.memory(p.score(), enc.values(), null, enc.mask(), enc.projectedKeys(), enc.size());
        } else {
            // c = tanh(h_T V), h_T the last real annotation             // [mb, dh] x [dh, dh]
            engine.gatherRows(enc.values(), enc.lastRows(), enc.lastAnnotations());
            engine.gemm(1, enc.lastAnnotations(), false, p.fixedContextWeights(), false, 0, enc.fixedPre());
            engine.activation(Nonlinearity.TANH, enc.fixedPre(), enc.fixedContext());
        }
        engine.fill(enc.initialState(), 0);
        Matrix s0 = enc.initialState().cols(0, n);
        switch (shape.initialState()) {
            case ZERO -> { }
            case LEARNED -> engine.addRowVector(p.learnedInitial(), s0);
            case BACKWARD_FIRST_ANNOTATION -> {
                // s_0 = tanh(h←_1 W_s + b_s)                            // [mb, dh/2] x [dh/2, n]
                engine.gatherRows(enc.values().cols(dh / 2, dh / 2), enc.firstRows(), enc.firstBackward());
                engine.gemm(1, enc.firstBackward(), false, p.initialWeights(), false, 0, enc.initialPre());
                engine.addRowVector(p.initialBias(), enc.initialPre());
                engine.activation(Nonlinearity.TANH, enc.initialPre(), s0);
            }
        }
        if (enc.initialFeed() != null) {
            engine.fill(enc.initialFeed(), 0);
        }
        return enc.withMemory(memory);
    }

    /** {@code out = y W + b} for [rows, e] inputs: the cell's input projection of one step or of a whole pass */
    public void inputProjection(DecoderWeights p, Matrix y, Matrix out) {
        engine.gemm(1, y, false, p.inputWeights(), false, 0, out);                     // [rows, e] x [e, G·n]
        engine.addRowVector(p.bias(), out);
    }

    /** One step (step-wise decoding, or a step of a full pass): fills the outputs of {@code s}. */
    public void step(DecoderWeights p, Encoding enc, StepMatrices s) {
        step.forward(p, enc, s);
    }

    // ------------------------------------------------------------------------------------------------
    // Full passes

    /** What a full forward pass computed, and kept for the backward pass when training. */
    public static final class Pass {
        final long generation;
        final boolean training;
        final long mb;
        final long steps;
        final Precision precision;
        final Encoding encoding;
        final Matrix y;             // [Ty·mb, e], the caller's
        final Matrix mask;          // [mb, Ty] or null, the caller's
        final Matrix xBase;         // [Ty·mb, G·n]
        final Matrix states;        // [(Ty+1)·mb, S] s_0 … s_Ty
        final Matrix feeds;         // [(Ty+1)·mb, n] h̃_0 … h̃_Ty, or null
        final Matrix outputs;       // [Ty·mb, out]
        final Matrix alphas;        // [mb·Ty, Tx] batch-major (row b·Ty + t), or null
        final Matrix contexts;      // [Ty·mb, dh]
        final Matrix hidden;        // [Ty·mb·Tx, a] (step t: rows t·mb·Tx …), or null
        final Matrix caches;        // [Ty·mb, C]
        final Matrix cellStates;    // [Ty·mb, S] the cell's new states before masking
        final Matrix attentional;   // [Ty·mb, n] the pre-activations [c; h] W_c of h̃ (Luong), or null
        final Matrix deepPre;       // [Ty·mb, 2l], or null

        private Pass(long generation, boolean training, long mb, long steps, Encoding encoding, Matrix y, Matrix mask,
                     Buffers b, DecoderShape shape, CellKernel cell, long savedWidth, boolean keepHidden) {
            this.generation = generation;
            this.training = training;
            this.mb = mb;
            this.steps = steps;
            this.precision = y.precision();
            this.encoding = encoding;
            this.y = y;
            this.mask = mask;
            long rows = steps * mb;
            long n = shape.nOut();
            long tx = encoding.length();
            this.xBase = b.matrix(Kept.X_BASE.ordinal(), precision, rows, cell.gates() * n);
            this.states = b.matrix(Kept.STATES.ordinal(), precision, rows + mb, cell.stateWidth());
            this.feeds = shape.feeding() ? b.matrix(Kept.FEEDS.ordinal(), precision, rows + mb, n) : null;
            this.outputs = b.matrix(Kept.OUTPUTS.ordinal(), precision, rows, shape.outputSize());
            this.alphas = encoding.memory() == null ? null : b.matrix(Kept.ALPHAS.ordinal(), precision, rows, tx);
            this.contexts = b.matrix(Kept.CONTEXTS.ordinal(), precision, rows, shape.annotationSize());
            this.hidden = training && keepHidden && savedWidth > 0
                    ? b.matrix(Kept.HIDDEN.ordinal(), precision, rows * tx, savedWidth) : null;
            this.caches = b.matrix(Kept.CACHES.ordinal(), precision, rows, cell.cacheWidth());
            this.cellStates = b.matrix(Kept.CELL_STATES.ordinal(), precision, rows, cell.stateWidth());
            this.attentional = shape.ordering() == DecoderShape.Ordering.LUONG
                    ? b.matrix(Kept.ATTENTIONAL.ordinal(), precision, rows, n) : null;
            this.deepPre = shape.maxoutSize() > 0
                    ? b.matrix(Kept.DEEP_PRE.ordinal(), precision, rows, 2 * shape.maxoutSize()) : null;
        }

        /** @return the matrices of step t */
        StepMatrices step(long t) {
            long tx = encoding.length();
            return new StepMatrices(block(xBase, t, mb), block(y, t, mb), mask == null ? null : mask.cols(t, 1),
                    block(states, t, mb), feeds == null ? null : block(feeds, t, mb), block(states, t + 1, mb),
                    feeds == null ? null : block(feeds, t + 1, mb), block(outputs, t, mb),
                    alphas == null ? null : stepOfBatchMajor(alphas, t, mb, steps), block(contexts, t, mb),
                    hidden == null ? null : hidden.rows(t * mb * tx, mb * tx), block(caches, t, mb),
                    block(cellStates, t, mb), attentional == null ? null : block(attentional, t, mb),
                    deepPre == null ? null : block(deepPre, t, mb));
        }

        /** @return the output parts h of s_0 … s_{Ty−1} [Ty·mb, n] */
        Matrix previousOutputs(long n) {
            return states.rows(0, steps * mb).cols(0, n);
        }

        /** @return h̃_0 … h̃_{Ty−1} [Ty·mb, n] */
        Matrix previousFeeds() {
            return feeds.rows(0, steps * mb);
        }

        /** @return the outputs of all steps, time-major [Ty·mb, outputSize] */
        public Matrix outputs() {
            return outputs;
        }

        /** @return the attention weights, batch-major [mb·Ty, Tx] (row b·Ty + t), or null (fixed context) */
        public Matrix alignments() {
            return alphas;
        }

        /** @return the state after the last step [mb, S] */
        public Matrix finalState() {
            return block(states, steps, mb);
        }

        /** @return the fed h̃ after the last step [mb, n], or null */
        public Matrix finalFeed() {
            return feeds == null ? null : block(feeds, steps, mb);
        }

        /** @return the number of steps Ty */
        public long steps() {
            return steps;
        }

        /** @return whether this pass kept what the backward pass needs */
        public boolean isTraining() {
            return training;
        }
    }

    /** @return whether {@code f} is this sequence's latest training pass (whose memory a backward pass can read) */
    public boolean isLatest(Pass f) {
        return f.training && f.generation == generation;
    }

    /** The backward pass's per-pass memory. */
    static final class PassGradients {
        final Matrix dXProj;        // [Ty·mb, G·n]
        final Matrix dRec;          // [Ty·mb, G·n], or null
        final Matrix dContexts;     // [mb·Ty, dh] batch-major
        final Matrix dYDeep;        // [Ty·mb, e], or null
        final Matrix dDeepPre;      // [Ty·mb, 2l], or null
        final Matrix dAttentional;  // [Ty·mb, n], or null

        PassGradients(Pass f, Buffers b, DecoderShape shape, CellKernel cell) {
            long rows = f.steps * f.mb;
            Precision t = f.precision;
            long gn = cell.gates() * shape.nOut();
            dXProj = b.matrix(Grad.D_X_PROJ.ordinal(), t, rows, gn);
            dRec = cell.separateRecurrentGradient() ? b.matrix(Grad.D_REC.ordinal(), t, rows, gn) : null;
            dContexts = b.matrix(Grad.D_CONTEXTS.ordinal(), t, rows, shape.annotationSize());
            dYDeep = shape.maxoutSize() > 0 ? b.matrix(Grad.D_Y_DEEP.ordinal(), t, rows, shape.embeddingSize()) : null;
            dDeepPre = shape.maxoutSize() > 0
                    ? b.matrix(Grad.D_DEEP_PRE.ordinal(), t, rows, 2 * shape.maxoutSize()) : null;
            dAttentional = shape.ordering() == DecoderShape.Ordering.LUONG
                    ? b.matrix(Grad.D_ATTENTIONAL.ordinal(), t, rows, shape.nOut()) : null;
        }
    }

    /**
     * Allocates the encoding of a full pass in this sequence's memory (training or inference).
     *
     * @param values    [mb·Tx, dh] the annotations, batch-major (the caller's)
     * @param mask      [mb, Tx] or null (the caller's)
     * @param firstRows per example the row of its first real annotation, or −1
     * @param lastRows  per example the row of its last real annotation, or −1
     */
    public Encoding newEncoding(Matrix values, Matrix mask, long[] firstRows, long[] lastRows, boolean training) {
        Buffers b = training ? trainingBuffers : inferenceBuffers;
        Precision t = values.precision();
        long mb = firstRows.length;
        long dh = shape.annotationSize();
        long n = shape.nOut();
        boolean fixed = shape.ordering() == DecoderShape.Ordering.FIXED_CONTEXT;
        boolean fromFirst = shape.initialState() == DecoderShape.InitialState.BACKWARD_FIRST_ANNOTATION;
        return new Encoding(values, mask, firstRows, lastRows,
                attention == null ? null : b.matrix(Kept.PROJECTED_KEYS.ordinal(), t, values.rows(),
                        attention.score().projectedKeySize()),
                fixed ? b.matrix(Kept.FIXED_PRE.ordinal(), t, mb, dh) : null,
                fixed ? b.matrix(Kept.FIXED.ordinal(), t, mb, dh) : null,
                fixed ? b.matrix(Kept.LAST.ordinal(), t, mb, dh) : null,
                fromFirst ? b.matrix(Kept.FIRST_BACKWARD.ordinal(), t, mb, dh / 2) : null,
                fromFirst ? b.matrix(Kept.INITIAL_PRE.ordinal(), t, mb, n) : null,
                b.matrix(Kept.INITIAL_STATE.ordinal(), t, mb, cell.stateWidth()),
                shape.feeding() ? b.matrix(Kept.INITIAL_FEED.ordinal(), t, mb, n) : null, null);
    }

    /**
     * A teacher-forced forward pass over whole sequences.
     *
     * @param y        [Ty·mb, e] time-major inputs (the embeddings of the previous target words); read again by the
     *                 backward pass, so its memory must stay unchanged until then
     * @param mask     [mb, Ty] target mask, or null; kept until the backward pass
     * @param encoding from {@link #newEncoding} with the same {@code training}, not yet encoded
     * @param training whether to keep what {@link #backward} needs
     */
    public Pass forward(DecoderWeights p, Matrix y, Matrix mask, Encoding encoding, boolean training) {
        Encoding enc = encode(p, encoding);
        long mb = enc.size();
        long steps = y.rows() / mb;
        Buffers b = training ? trainingBuffers : inferenceBuffers;
        if (training) {
            generation++;
        }
        Pass f = new Pass(generation, training, mb, steps, enc, y, mask, b, shape, cell,
                attention == null ? 0 : attention.score().savedWidth(), keepHidden);
        inputProjection(p, y, f.xBase);                                                 // [Ty·mb, G·n]
        engine.copy(enc.initialState(), block(f.states, 0, mb));
        if (f.feeds != null) {
            engine.copy(enc.initialFeed(), block(f.feeds, 0, mb));
        }
        for (long t = 0; t < steps; t++) {
            step.forward(p, enc, f.step(t));
        }
        return f;
    }

    /**
     * Backward through the latest training pass.
     *
     * @param dOutputs [Ty·mb, outputSize] time-major dL/d(outputs), any layout
     * @param grads    the parameter gradients, added to (zero them first)
     * @param dY       [Ty·mb, e] time-major, receives dL/dy
     * @param dValues  [mb·Tx, dh] batch-major, receives dL/d(annotations)
     */
    public void backward(DecoderWeights p, Pass f, Matrix dOutputs, DecoderWeights grads, Matrix dY, Matrix dValues) {
        if (!isLatest(f)) {
            throw new IllegalStateException("DecoderSequence: backward needs the latest training pass (a later "
                    + "training pass reused its memory)");
        }
        Buffers b = backwardBuffers;
        Precision t = f.precision;
        long mb = f.mb;
        long n = shape.nOut();
        Encoding enc = f.encoding;
        PassGradients g = new PassGradients(f, b, shape, cell);
        Matrix dKeys = attention == null ? null
                : b.zeros(Grad.D_PROJECTED_KEYS.ordinal(), t, enc.values().rows(), attention.score().projectedKeySize());
        Matrix dFixed = attention == null ? b.zeros(Grad.D_FIXED.ordinal(), t, mb, shape.annotationSize()) : null;
        DecoderStep.Accumulators acc = new DecoderStep.Accumulators(grads.score(), dKeys, dFixed);
        Matrix[] dStates = {b.zeros(Grad.D_STATE_0.ordinal(), t, mb, cell.stateWidth()),
                b.zeros(Grad.D_STATE_1.ordinal(), t, mb, cell.stateWidth())};
        Matrix[] dFeeds = shape.feeding() ? new Matrix[] {b.zeros(Grad.D_FEED_0.ordinal(), t, mb, n),
                b.zeros(Grad.D_FEED_1.ordinal(), t, mb, n)} : new Matrix[2];
        for (long s = f.steps - 1; s >= 0; s--) {
            int later = (int) ((s + 1) % 2);                                             // dL/ds_s, written at s + 1
            int now = (int) (s % 2);
            StepGradients sg = new StepGradients(block(dOutputs, s, mb), dStates[later], dFeeds[later], dStates[now],
                    dFeeds[now], block(g.dXProj, s, mb), g.dRec == null ? null : block(g.dRec, s, mb),
                    stepOfBatchMajor(g.dContexts, s, mb, f.steps), g.dYDeep == null ? null : block(g.dYDeep, s, mb),
                    g.dDeepPre == null ? null : block(g.dDeepPre, s, mb),
                    g.dAttentional == null ? null : block(g.dAttentional, s, mb));
            step.backward(p, enc, f.step(s), sg, acc);
        }
        Matrix dS0 = dStates[0];                                                         // dL/ds_0

        // weight gradients of all steps, one GEMM each
        // dW = Yᵀ dXProj, db = Σ dXProj                                 // [e, Ty·mb] x [Ty·mb, G·n]
        engine.gemm(1, f.y, true, g.dXProj, false, 0, grads.inputWeights());
        engine.columnSums(g.dXProj, 0, grads.bias());
        cell.recurrentWeightGradients(p.cell(), f.previousOutputs(n), f.caches, g.dXProj, g.dRec, grads.cell());
        step.weightGradients(f, g, grads);

        // gradients at the annotations
        engine.fill(dValues, 0);
        initialStateBackward(p, enc, dS0.cols(0, n), grads, dValues);
        if (attention != null) {
            attention.backwardMemory(p.score(), enc.memory(), dKeys, grads.score(), dValues);   // keys = values
            // dV_b += A_bᵀ dC_b, all steps at once                      // [Tx, Ty] x [Ty, dh] per example
            long tx = enc.length();
            long steps = f.steps;
            engine.gemmBatched(mb, 1, f.alphas.rows(0, steps), steps * f.alphas.ld(), true,
                    g.dContexts.rows(0, steps), steps * g.dContexts.ld(), false, 1, dValues.rows(0, tx),
                    tx * dValues.ld());
        } else {
            fixedContextBackward(p, enc, dFixed, grads, dValues);
        }
        // dY = dXProj Wᵀ (+ the deep output's direct path)              // [Ty·mb, G·n] x [G·n, e]
        engine.gemm(1, g.dXProj, false, p.inputWeights(), true, 0, dY);
        if (g.dYDeep != null) {
            engine.axpy(1, g.dYDeep, dY);
        }
    }

    /** The initial state's gradients, from dL/ds_0 (its output part) [mb, n]. */
    private void initialStateBackward(DecoderWeights p, Encoding enc, Matrix dS0, DecoderWeights grads,
                                      Matrix dValues) {
        switch (shape.initialState()) {
            case ZERO -> { }
            case LEARNED -> engine.columnSums(dS0, 1, grads.learnedInitial());
            case BACKWARD_FIRST_ANNOTATION -> {
                // s_0 = tanh(h←_1 W_s + b_s): dPre = ds_0 ∘ (1 − s_0²)
                long dh = shape.annotationSize();
                Matrix dPre = backwardBuffers.matrix(Grad.D_PRE.ordinal(), dS0.precision(), dS0.rows(), dS0.cols());
                engine.activationBackward(Nonlinearity.TANH, enc.initialPre(), dS0, dPre);
                engine.gemm(1, enc.firstBackward(), true, dPre, false, 1, grads.initialWeights());  // [dh/2, mb] x [mb, n]
                engine.columnSums(dPre, 1, grads.initialBias());
                // dh←_1 = dPre W_sᵀ, into the first real annotation's second half
                Matrix dFirst = backwardBuffers.matrix(Grad.D_ROWS.ordinal(), dS0.precision(), dS0.rows(), dh / 2);
                engine.gemm(1, dPre, false, p.initialWeights(), true, 0, dFirst);        // [mb, n] x [n, dh/2]
                engine.scatterAddRows(dFirst, enc.firstRows(), dValues.cols(dh / 2, dh / 2));
            }
        }
    }

    /** The fixed context's gradients: {@code c = tanh(h_T V)}. */
    private void fixedContextBackward(DecoderWeights p, Encoding enc, Matrix dFixed, DecoderWeights grads,
                                      Matrix dValues) {
        Matrix dPre = backwardBuffers.matrix(Grad.D_PRE.ordinal(), dFixed.precision(), dFixed.rows(), dFixed.cols());
        engine.activationBackward(Nonlinearity.TANH, enc.fixedPre(), dFixed, dPre);     // dc ∘ (1 − c²)
        engine.gemm(1, enc.lastAnnotations(), true, dPre, false, 1, grads.fixedContextWeights());   // dV += h_Tᵀ dPre
        Matrix dLast = backwardBuffers.matrix(Grad.D_ROWS.ordinal(), dFixed.precision(), dFixed.rows(), dFixed.cols());
        engine.gemm(1, dPre, false, p.fixedContextWeights(), true, 0, dLast);           // dh_T = dPre Vᵀ
        engine.scatterAddRows(dLast, enc.lastRows(), dValues);
    }

    /** Rows [t·mb, (t+1)·mb) of a time-major matrix: step t of every example. */
    static Matrix block(Matrix timeMajor, long t, long mb) {
        return timeMajor.rows(t * mb, mb);
    }

    /** Step t of every example in a batch-major [mb·Ty, cols] matrix: rows b·Ty + t, as an [mb, cols] matrix. */
    static Matrix stepOfBatchMajor(Matrix batchMajor, long t, long mb, long steps) {
        Matrix row = batchMajor.rows(t, 1);
        return new Matrix(row.address(), row.precision(), mb, row.cols(), steps * batchMajor.ld(), false);
    }
}
