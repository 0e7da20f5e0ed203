package org.recurrent4j.nn.decoder;

import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.recurrent4j.compute.Buffers;
import org.recurrent4j.compute.CellKernel;
import org.recurrent4j.compute.CellWeights;
import org.recurrent4j.compute.ComputeEngine;
import org.recurrent4j.compute.Matrix;
import org.recurrent4j.compute.Precision;
import org.recurrent4j.compute.attention.Attention;
import org.recurrent4j.compute.attention.Memory;
import org.recurrent4j.compute.decoder.DecoderSequence;
import org.recurrent4j.compute.decoder.DecoderShape;
import org.recurrent4j.compute.decoder.DecoderWeights;
import org.recurrent4j.compute.decoder.Encoding;
import org.recurrent4j.compute.decoder.StepMatrices;
import org.recurrent4j.nn.engine.Engines;
import org.recurrent4j.nn.engine.Nd4jViews;
import org.recurrent4j.nn.layers.CellSequence;
import org.recurrent4j.nn.params.DecoderLayout;

/**
 * The ND4J side of the attention decoder (configured by {@code conf.graph.AttentionDecoderVertex}, described to this
 * class by a {@link DecoderLayout}): its parameters as maps of ND4J views (keys of {@link DecoderLayout}), its inputs
 * and outputs as ND4J arrays, its math a {@link DecoderSequence} on the compute engine (the same cell math as the Gru and ElmanRnn layers, attention inside the recurrence). Full teacher-forced
 * passes ({@link #forward}, {@link #backward}) and step-wise decoding ({@link #encode}, {@link #step}) run the same
 * step code. The object keeps reusable memory (the latest training pass's, scratch), so it is not thread-safe: one
 * instance per vertex, as DL4J uses layers.
 */
public final class AttentionDecoder {
    public static final String W = DecoderLayout.W;
    public static final String B = DecoderLayout.B;
    public static final String RW = DecoderLayout.RW;
    public static final String RB = DecoderLayout.RB;
    public static final String CONTEXT_WEIGHTS = DecoderLayout.CONTEXT_WEIGHTS;
    public static final String RNNENC_V = DecoderLayout.RNNENC_V;
    public static final String FEED_WEIGHTS = DecoderLayout.FEED_WEIGHTS;
    public static final String LUONG_OUT = DecoderLayout.LUONG_OUT;
    public static final String INIT_WEIGHTS = DecoderLayout.INIT_WEIGHTS;
    public static final String INIT_BIAS = DecoderLayout.INIT_BIAS;
    public static final String LEARNED_INIT = DecoderLayout.LEARNED_INIT;
    public static final String DEEP_WEIGHTS = DecoderLayout.DEEP_WEIGHTS;
    public static final String DEEP_BIAS = DecoderLayout.DEEP_BIAS;
    /** Prefix of the attention score's parameter keys. */
    public static final String ATTENTION_PREFIX = DecoderLayout.ATTENTION_PREFIX;

    private final DecoderLayout layout;
    private final ComputeEngine engine;
    private final CellKernel cell;
    private final DecoderShape shape;
    private final DecoderSequence sequence;
    /** Copies of inputs whose strides the engine cannot use in place, and the step-wise API's scratch. */
    private final Buffers copies;
    private final Buffers stepScratch;

    private enum Copy { TRAINING_Y, INFERENCE_Y, TRAINING_VALUES, INFERENCE_VALUES, D_OUTPUTS }

    private enum StepSlot { X_BASE, CONTEXT, CACHE, CELL_STATE, ATTENTIONAL, DEEP_PRE }

    /**
     * @param layout              the decoder's sizes, switches, cell and score
     * @param keepAttentionHidden whether a training pass keeps the additive score's hidden layer for the backward
     *                            pass instead of recomputing it
     */
    public AttentionDecoder(DecoderLayout layout, boolean keepAttentionHidden) {
        this.layout = layout;
        this.engine = Engines.current();
        this.cell = layout.cell().create(engine);
        this.shape = layout.shape();
        Attention attention = layout.score() == null ? null : new Attention(engine, layout.score().create(engine));
        this.sequence = new DecoderSequence(engine, shape, cell, attention, keepAttentionHidden);
        this.copies = new Buffers(engine);
        this.stepScratch = new Buffers(engine);
    }

    /** @return the decoder's parameter layout */
    public DecoderLayout layout() {
        return layout;
    }

    /** Initialises parameter views ({@link DecoderLayout#initParams}). */
    public void initParams(Map<String, INDArray> p) {
        layout.initParams(p);
    }

    /** @return the size of a step's output: l with a deep output, else n */
    public long outputSize() {
        return shape.outputSize();
    }

    /** @return the cell the decoder runs */
    public CellKernel cell() {
        return cell;
    }

    // ---------------------------------------------------------------------------------------------------
    // Parameters as engine matrices

    private static Matrix view(Map<String, INDArray> p, String key) {
        INDArray a = p.get(key);
        return a == null ? null : Nd4jViews.matrix(a);
    }

    /** @return the parameters (or gradients) of the map as engine matrices (views) */
    private DecoderWeights weights(Map<String, INDArray> p) {
        Map<String, Matrix> score = new LinkedHashMap<>();
        DecoderLayout.scoreParams(p).forEach((k, v) -> score.put(k, Nd4jViews.matrix(v)));
        return new DecoderWeights(view(p, W), view(p, B), new CellWeights(view(p, RW), view(p, RB)),
                view(p, CONTEXT_WEIGHTS), view(p, RNNENC_V), view(p, FEED_WEIGHTS), view(p, LUONG_OUT),
                view(p, INIT_WEIGHTS), view(p, INIT_BIAS), view(p, LEARNED_INIT), view(p, DEEP_WEIGHTS),
                view(p, DEEP_BIAS), score);
    }

    // ---------------------------------------------------------------------------------------------------
    // Step-wise API

    /**
     * Encodes a batch of source sentences once: the attention keys are projected, NONE's fixed context and the
     * initial state are computed.
     *
     * @param annotations [mb, dh, Tx] (NCW) encoder outputs
     * @param sourceMask  [mb, Tx] or null
     */
    public Encoded encode(Map<String, INDArray> p, INDArray annotations, INDArray sourceMask) {
        DataType type = annotations.dataType();
        INDArray values = annotations.permute(0, 2, 1).dup('c');                        // [mb, Tx, dh]
        long mb = values.size(0);
        long tx = values.size(1);
        INDArray mask = sourceMask == null ? null : sourceMask.castTo(type).dup('c');
        long[][] ends = realEnds(mask, mb, tx);
        Encoding target = newStepEncoding(batchMajor(values), mask, ends, type);
        Encoding enc = sequence.encode(weights(p), target);
        INDArray s0 = wrapCopy(enc.initialState().cols(0, shape.nOut()), type);
        INDArray c0 = cell.stateWidth() > shape.nOut() ? Nd4j.zeros(type, mb, shape.nOut()) : null;
        INDArray feed0 = enc.initialFeed() == null ? null : Nd4j.zeros(type, mb, shape.nOut());
        INDArray projected = enc.memory() == null || enc.memory().projectedKeys().equals(enc.values()) ? null
                : wrapCopy(enc.memory().projectedKeys(), type).reshape('c', mb, tx, enc.memory().projectedKeys().cols());
        INDArray fixed = enc.fixedContext() == null ? null : wrapCopy(enc.fixedContext(), type);
        return new Encoded(values, mask, projected, fixed, new DecoderState(s0, feed0, c0));
    }

    /** An encoding whose computed parts are new ND4J-free engine buffers of the step scratch (copied out after). */
    private Encoding newStepEncoding(Matrix values, INDArray mask, long[][] ends, DataType type) {
        // the step-wise encoding is small: the sequence's inference memory serves it
        return sequence.newEncoding(values, mask == null ? null : Nd4jViews.matrix(mask), ends[0], ends[1], false);
    }

    /** @return a new ND4J array holding a copy of an engine matrix */
    private INDArray wrapCopy(Matrix m, DataType type) {
        INDArray a = Nd4j.createUninitialized(type, new long[] {m.rows(), m.cols()}, 'c');
        engine.copy(m, Nd4jViews.matrix(a));
        Nd4jViews.written(a);
        return a;
    }

    /**
     * One decoder step for any number of rows (sentences × beams), with the same math as the full pass.
     *
     * @param encoded   from {@link #encode} (rows selected to match {@code prev} if beams are tiled)
     * @param prev      the state before the step ({@code encoded.initialState()} at the first step)
     * @param embedding [rows, e] the embedding of the previous target word
     */
    public StepResult step(Map<String, INDArray> p, Encoded encoded, DecoderState prev, INDArray embedding) {
        DataType type = encoded.values().dataType();
        Precision precision = Nd4jViews.precision(type, "AttentionDecoder");
        long rows = prev.state().size(0);
        long n = shape.nOut();
        long tx = encoded.sourceLength();
        DecoderWeights w = weights(p);
        INDArray y = embedding.castTo(type).dup('c');                                    // [rows, e]
        Matrix xBase = stepScratch.matrix(StepSlot.X_BASE.ordinal(), precision, rows, (long) cell.gates() * n);
        sequence.inputProjection(w, Nd4jViews.matrix(y), xBase);
        INDArray prevFull = cell.stateWidth() > n ? Nd4j.hstack(prev.state(), prev.memory()).dup('c')
                : prev.state().dup('c');                                                 // [rows, S]
        INDArray state = Nd4j.createUninitialized(type, new long[] {rows, cell.stateWidth()}, 'c');
        INDArray feed = shape.feeding() ? Nd4j.createUninitialized(type, new long[] {rows, n}, 'c') : null;
        INDArray output = Nd4j.createUninitialized(type, new long[] {rows, outputSize()}, 'c');
        INDArray alpha = shape.ordering() == DecoderShape.Ordering.FIXED_CONTEXT ? null
                : Nd4j.createUninitialized(type, new long[] {rows, tx}, 'c');
        INDArray prevFeed = shape.feeding() ? prev.feed().dup('c') : null;
        Encoding enc = stepEncoding(encoded, rows);
        sequence.step(w, enc, new StepMatrices(xBase, Nd4jViews.matrix(y), null, Nd4jViews.matrix(prevFull),
                prevFeed == null ? null : Nd4jViews.matrix(prevFeed), Nd4jViews.matrix(state),
                feed == null ? null : Nd4jViews.matrix(feed), Nd4jViews.matrix(output),
                alpha == null ? null : Nd4jViews.matrix(alpha),
                stepScratch.matrix(StepSlot.CONTEXT.ordinal(), precision, rows, shape.annotationSize()), null,
                stepScratch.matrix(StepSlot.CACHE.ordinal(), precision, rows, cell.cacheWidth()),
                stepScratch.matrix(StepSlot.CELL_STATE.ordinal(), precision, rows, cell.stateWidth()),
                stepScratch.matrix(StepSlot.ATTENTIONAL.ordinal(), precision, rows, n),
                shape.maxoutSize() > 0 ? stepScratch.matrix(StepSlot.DEEP_PRE.ordinal(), precision, rows,
                        2 * shape.maxoutSize()) : null));
        // the engine read these arrays' memory through views: keep them from being collected (and freed) until here
        java.lang.ref.Reference.reachabilityFence(encoded);
        java.lang.ref.Reference.reachabilityFence(y);
        java.lang.ref.Reference.reachabilityFence(prevFull);
        java.lang.ref.Reference.reachabilityFence(prevFeed);
        Nd4jViews.written(state, feed, output, alpha);
        INDArray h = cell.stateWidth() > n ? state.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.interval(0, n)).dup('c') : state;
        INDArray c = cell.stateWidth() > n ? state.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.interval(n, 2 * n)).dup('c') : null;
        return new StepResult(output, new DecoderState(h, feed, c), alpha);
    }

    /** @return engine views of a step-wise encoding of {@code rows} rows */
    private Encoding stepEncoding(Encoded e, long rows) {
        Matrix values = batchMajor(e.values());
        Matrix mask = e.mask() == null ? null : Nd4jViews.matrix(e.mask());
        Memory memory = sequence.attention() == null ? null : new Memory(values, values,
                e.projectedKeys() == null ? values : batchMajor(e.projectedKeys()), mask, rows, e.sourceLength());
        return new Encoding(values, mask, new long[(int) rows], new long[(int) rows], null, null,
                e.fixedContext() == null ? null : Nd4jViews.matrix(e.fixedContext()), null, null, null, null, null,
                memory);
    }

    /** @return a c-order [mb, Tk, d] array as the batch-major matrix [mb·Tk, d] of the same memory */
    private static Matrix batchMajor(INDArray c3) {
        Matrix m = Nd4jViews.matrix(c3.reshape('c', c3.size(0) * c3.size(1), c3.size(2)));
        if (m.columnMajor() || !m.dense()) {
            throw new IllegalStateException("AttentionDecoder: expected a c-order [mb, Tk, d] array");
        }
        return m;
    }

    /**
     * @return per example the batch-major row of its first and of its last real position ({@code b·Tx + j}), or −1
     *     where the example has none
     */
    static long[][] realEnds(INDArray mask, long mb, long tx) {
        long[] first = new long[(int) mb];
        long[] last = new long[(int) mb];
        for (int b = 0; b < mb; b++) {
            first[b] = -1;
            last[b] = -1;
            for (long j = 0; j < tx; j++) {
                if (mask == null || mask.getDouble(b, j) != 0) {
                    if (first[b] < 0) {
                        first[b] = b * tx + j;
                    }
                    last[b] = b * tx + j;
                }
            }
        }
        return new long[][] {first, last};
    }

    // ---------------------------------------------------------------------------------------------------
    // Full sequences

    /** A full forward pass, kept for the backward pass. */
    public static final class Forward {
        private final INDArray[] inputs;      // embeddings, target mask, annotations, source mask: to run it again
        private final DecoderSequence.Pass pass;
        private final INDArray[] keepAlive;   // arrays whose memory the pass refers to
        /** [mb, outputSize, Ty] */
        public final INDArray outputs;
        /** [mb, Ty, Tx], or null for attention NONE */
        public final INDArray alignments;

        private Forward(INDArray[] inputs, DecoderSequence.Pass pass, INDArray[] keepAlive, INDArray outputs,
                        INDArray alignments) {
            this.inputs = inputs;
            this.pass = pass;
            this.keepAlive = keepAlive;
            this.outputs = outputs;
            this.alignments = alignments;
        }
    }

    /**
     * Teacher-forced forward pass over whole sequences. A training pass keeps what {@link #backward} needs in memory
     * this decoder reuses from one training pass to the next.
     *
     * @param embeddings  [mb, e, Ty] (NCW)
     * @param targetMask  [mb, Ty] or null
     * @param annotations [mb, dh, Tx] (NCW)
     * @param sourceMask  [mb, Tx] or null
     * @param training    whether to keep what {@link #backward} needs
     */
    public Forward forward(Map<String, INDArray> p, INDArray embeddings, INDArray targetMask, INDArray annotations,
                           INDArray sourceMask, boolean training) {
        DataType type = embeddings.dataType();
        Precision precision = Nd4jViews.precision(type, "AttentionDecoder");
        long mb = embeddings.size(0);
        long steps = embeddings.size(2);
        long tx = annotations.size(2);
        Matrix y = timeMajor(embeddings, training ? Copy.TRAINING_Y : Copy.INFERENCE_Y, precision);
        Matrix values = batchMajorOf(annotations, training ? Copy.TRAINING_VALUES : Copy.INFERENCE_VALUES, precision);
        INDArray tMask = targetMask == null ? null : targetMask.castTo(type).dup('c');
        INDArray sMask = sourceMask == null ? null : sourceMask.castTo(type).dup('c');
        long[][] ends = realEnds(sMask, mb, tx);
        Encoding enc = sequence.newEncoding(values, sMask == null ? null : Nd4jViews.matrix(sMask), ends[0], ends[1],
                training);
        DecoderSequence.Pass pass = sequence.forward(weights(p), y, tMask == null ? null : Nd4jViews.matrix(tMask), enc,
                training);
        INDArray outputs = CellSequence.newSequence(type, mb, outputSize(), steps);        // [mb, out, Ty]
        engine.copy(pass.outputs(), Nd4jViews.timeMajor(outputs));
        INDArray alignments = null;
        if (pass.alignments() != null) {
            alignments = Nd4j.createUninitialized(type, new long[] {mb, steps, tx}, 'c');  // [mb, Ty, Tx]
            engine.copy(pass.alignments(), batchMajor(alignments));
        }
        Nd4jViews.written(outputs, alignments);
        return new Forward(new INDArray[] {embeddings, targetMask, annotations, sourceMask}, pass,
                new INDArray[] {embeddings, annotations, tMask, sMask}, outputs, alignments);
    }

    /** Gradients at the decoder's inputs: embeddings [mb, e, Ty] and annotations [mb, dh, Tx]. */
    public record InputGradients(INDArray embeddings, INDArray annotations) {
    }

    /**
     * Backward through a training {@link Forward} pass.
     *
     * @param dOut  [mb, outputSize, Ty] dL/d(outputs)
     * @param grads gradient views by parameter key; overwritten
     */
    public InputGradients backward(Map<String, INDArray> p, Forward f, INDArray dOut, Map<String, INDArray> grads) {
        if (!f.pass.isTraining()) {
            throw new IllegalStateException("AttentionDecoder: backward needs a forward pass with training = true");
        }
        if (!sequence.isLatest(f.pass)) {
            // a later training pass reused the kept memory: run this pass again (same inputs, same parameters)
            f = forward(p, f.inputs[0], f.inputs[1], f.inputs[2], f.inputs[3], true);
        }
        DataType type = dOut.dataType();
        Precision precision = Nd4jViews.precision(type, "AttentionDecoder");
        long mb = dOut.size(0);
        long steps = dOut.size(2);
        grads.values().forEach(a -> a.assign(0));
        INDArray dOutCast = dOut.castTo(f.outputs.dataType());
        Matrix dOutputs = timeMajor(dOutCast, Copy.D_OUTPUTS, precision);
        INDArray dEmb = CellSequence.newSequence(type, mb, shape.embeddingSize(), steps);  // [mb, e, Ty]
        long tx = f.inputs[2].size(2);
        INDArray dValues = Nd4j.createUninitialized(type, new long[] {mb, tx, shape.annotationSize()}, 'c');
        sequence.backward(weights(p), f.pass, dOutputs, weights(grads), Nd4jViews.timeMajor(dEmb), batchMajor(dValues));
        java.lang.ref.Reference.reachabilityFence(dOutCast);
        java.lang.ref.Reference.reachabilityFence(f.keepAlive);
        Nd4jViews.written(dEmb, dValues);
        grads.values().forEach(Nd4jViews::written);
        return new InputGradients(dEmb, dValues.permute(0, 2, 1));                       // [mb, dh, Tx]
    }

    /** @return a sequence [mb, size, T] as a time-major matrix: a view, or a copy in slot {@code copy} */
    private Matrix timeMajor(INDArray seq, Copy copy, Precision precision) {
        return Nd4jViews.timeMajorOrCopy(seq, copies, copy.ordinal());
    }

    /** @return annotations [mb, dh, Tx] as the batch-major matrix [mb·Tx, dh]: a view, or a copy in slot copy */
    private Matrix batchMajorOf(INDArray annotations, Copy copy, Precision precision) {
        INDArray nwc = annotations.permute(0, 2, 1);                                     // [mb, Tx, dh]
        if (nwc.ordering() == 'c' && org.nd4j.linalg.api.shape.Shape.hasDefaultStridesForShape(nwc)) {
            return batchMajor(nwc);
        }
        long mb = annotations.size(0);
        long tx = annotations.size(2);
        Matrix m = copies.matrix(copy.ordinal(), precision, mb * tx, annotations.size(1));
        // rows b·Tx + j: the time-major layout of [Tx, dh, mb]
        engine.toTimeMajor(Nd4jViews.tensor(annotations).permute(2, 1, 0), m);
        return m;
    }
}
