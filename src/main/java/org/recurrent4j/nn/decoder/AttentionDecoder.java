package org.recurrent4j.nn.decoder;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.recurrent4j.conf.graph.AttentionDecoderVertex;
import org.recurrent4j.nn.attention.Attention;
import org.recurrent4j.nn.attention.AttentionMemory;
import org.recurrent4j.nn.attention.AttentionScore;
import org.recurrent4j.nn.attention.BahdanauScore;
import org.recurrent4j.nn.attention.LuongScore;
import org.recurrent4j.nn.cell.CellGradients;
import org.recurrent4j.nn.cell.CellParams;
import org.recurrent4j.nn.cell.ElmanCell;
import org.recurrent4j.nn.cell.GruCell;
import org.recurrent4j.nn.cell.LstmCell;
import org.recurrent4j.nn.cell.RecurrentCell;
import org.recurrent4j.nn.cell.Scratch;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.memory.enums.MirroringPolicy;
import org.nd4j.linalg.api.memory.enums.ResetPolicy;
import org.nd4j.linalg.api.memory.enums.SpillPolicy;
import static org.nd4j.linalg.indexing.NDArrayIndex.point;

/**
 * The math of {@link AttentionDecoderVertex}: a {@link RecurrentCell} (the same cell math as the Gru and ElmanRnn
 * layers) driven step by step, with {@link Attention} inside the recurrence. Parameters and gradients are maps of
 * views the caller owns (keys of {@link #paramShapes}); the object itself keeps only reusable scratch arrays (the
 * cell's, the score's, the saved attention hidden layers of the latest training pass), so it is not thread-safe: one
 * instance per vertex, as DL4J uses layers.
 *
 * <p>One step, Bahdanau ordering (BAHDANAU, NONE):
 * <ol>
 *   <li>{@code α_t, c_t = attend(query s_{t−1})} (NONE: the fixed {@code c})</li>
 *   <li>{@code s_t = cell(x_t W + b + c_t C, s_{t−1})}</li>
 *   <li>output {@code s_t}, or {@code maxout([s_{t−1}; x_t; c_t] U + b_u)}</li>
 * </ol>
 * Luong ordering (LUONG_*):
 * <ol>
 *   <li>{@code h_t = cell(x_t W + b [+ h̃_{t−1} F], h_{t−1})}</li>
 *   <li>{@code α_t, c_t = attend(query h_t)}</li>
 *   <li>output {@code h̃_t = tanh([c_t; h_t] W_c)}</li>
 * </ol>
 * A masked target step (mask 0) outputs zero and passes state (and h̃) on unchanged.
 *
 * <p>Full sequences ({@link #forward}, {@link #backward}) and step-wise decoding ({@link #encode},
 * {@link #step}) run the same {@code stepProjected} method. Full passes project the inputs of all steps with one GEMM
 * and, backward, compute every weight gradient that does not depend on the recurrence with one GEMM at the end.
 */
public final class AttentionDecoder {
    public static final String W = "W";
    public static final String B = "b";
    public static final String RW = "RW";
    public static final String RB = "RB";
    public static final String CONTEXT_WEIGHTS = "C";
    public static final String RNNENC_V = "V";
    public static final String FEED_WEIGHTS = "F";
    public static final String LUONG_OUT = "Wc";
    public static final String INIT_WEIGHTS = "Ws";
    public static final String INIT_BIAS = "bs";
    public static final String LEARNED_INIT = "s0";
    public static final String DEEP_WEIGHTS = "U";
    public static final String DEEP_BIAS = "bu";
    /** Prefix of the attention score's parameter keys. */
    public static final String ATTENTION_PREFIX = "att";   // no "_": DL4J splits gradient keys at the last "_"

    private final AttentionDecoderVertex conf;
    private final long e;
    private final long dh;
    private final long n;
    private final long l;
    private final long gn;
    private final boolean luong;
    private final boolean feeding;
    private final RecurrentCell cell;
    private final Attention attention;
    /**
     * The arrays a training forward pass keeps for its backward pass (states, contexts, cell caches, the score's hidden
     * layers [Ty, mb, Tx, a], …), reused from pass to pass while their shapes stay (allocating them cost about 0.5 ms
     * per MB in page faults, 8% of the benchmark). They belong to the latest training pass, {@link #bufferOwner}; a
     * backward pass through an older {@link Forward} runs that forward pass again first.
     */
    private final Scratch passBuffers = new Scratch();
    private Forward bufferOwner;
    /** The backward pass's per-pass arrays (gradients at the step inputs, state gradients), reused likewise. */
    private final Scratch backwardBuffers = new Scratch();
    /** Per-step temporaries of training passes live in this thread-local workspace, reset at every step. */
    private final String stepWorkspaceId = "R4J_DECODER_STEP_" + INSTANCES.incrementAndGet();
    private static final java.util.concurrent.atomic.AtomicLong INSTANCES = new java.util.concurrent.atomic.AtomicLong();
    private static final WorkspaceConfiguration STEP_WORKSPACE = WorkspaceConfiguration.builder()
            .initialSize(0).overallocationLimit(0.2).policyAllocation(AllocationPolicy.OVERALLOCATE)
            .policyLearning(LearningPolicy.FIRST_LOOP).policyReset(ResetPolicy.BLOCK_LEFT)
            .policySpill(SpillPolicy.REALLOCATE).policyMirroring(MirroringPolicy.FULL).build();

    public AttentionDecoder(AttentionDecoderVertex conf) {
        this.conf = conf;
        this.e = conf.getEmbeddingSize();
        this.dh = conf.getAnnotationSize();
        this.n = conf.getNOut();
        this.l = conf.getMaxoutSize();
        this.luong = conf.getAttention().luong();
        this.feeding = luong && conf.isInputFeeding();
        this.cell = createCell(conf);
        this.gn = (long) cell.gates() * n;
        AttentionScore score = createScore(conf);
        this.attention = score == null ? null : new Attention(score);
    }

    private static RecurrentCell createCell(AttentionDecoderVertex c) {
        return switch (c.getCell()) {
            case GRU -> new GruCell(c.getNOut(), c.isResetAfter());
            case ELMAN -> new ElmanCell(c.getNOut(), Activation.TANH.getActivationFunction());
            case LSTM -> new LstmCell(c.getNOut());
        };
    }

    private static AttentionScore createScore(AttentionDecoderVertex c) {
        long n = c.getNOut();
        long dh = c.getAnnotationSize();
        return switch (c.getAttention()) {
            case BAHDANAU -> new BahdanauScore(n, dh, c.getAttentionSize(), true, c.isWeightNorm());
            case LUONG_DOT -> new LuongScore(LuongScore.Type.DOT, n, dh, 0, c.isScaled());
            case LUONG_GENERAL -> new LuongScore(LuongScore.Type.GENERAL, n, dh, 0, c.isScaled());
            case LUONG_CONCAT -> new LuongScore(LuongScore.Type.CONCAT, n, dh, c.getAttentionSize(), c.isScaled());
            case NONE -> null;
        };
    }

    /** @return the parameter keys and shapes of a configuration, in flat-view order */
    public static LinkedHashMap<String, long[]> paramShapes(AttentionDecoderVertex c) {
        RecurrentCell cell = createCell(c);
        long e = c.getEmbeddingSize();
        long dh = c.getAnnotationSize();
        long n = c.getNOut();
        long gn = (long) cell.gates() * n;
        boolean luong = c.getAttention().luong();
        LinkedHashMap<String, long[]> m = new LinkedHashMap<>();
        m.put(W, new long[] {e, gn});
        m.put(B, new long[] {1, gn});
        m.put(RW, new long[] {n, gn});
        if (cell.hasRecurrentBias()) {
            m.put(RB, new long[] {1, gn});
        }
        if (!luong) {
            m.put(CONTEXT_WEIGHTS, new long[] {dh, gn});
        }
        if (c.getAttention() == AttentionDecoderVertex.Attention.NONE) {
            m.put(RNNENC_V, new long[] {dh, dh});
        }
        if (luong && c.isInputFeeding()) {
            m.put(FEED_WEIGHTS, new long[] {n, gn});
        }
        if (luong) {
            m.put(LUONG_OUT, new long[] {dh + n, n});
        }
        AttentionScore score = createScore(c);
        if (score != null) {
            score.paramShapes().forEach((k, s) -> m.put(ATTENTION_PREFIX + k, s));
        }
        switch (c.getInitialState()) {
            case LEARNED -> m.put(LEARNED_INIT, new long[] {1, n});
            case BACKWARD_FIRST_ANNOTATION -> {
                m.put(INIT_WEIGHTS, new long[] {dh / 2, n});
                m.put(INIT_BIAS, new long[] {1, n});
            }
            case ZERO -> { }
        }
        if (c.getMaxoutSize() > 0) {
            m.put(DEEP_WEIGHTS, new long[] {n + e + dh, 2 * c.getMaxoutSize()});
            m.put(DEEP_BIAS, new long[] {1, 2 * c.getMaxoutSize()});
        }
        return m;
    }

    /** @return whether a parameter key is a bias */
    public static boolean isBias(String key) {
        return key.equals(B) || key.equals(RB) || key.equals(INIT_BIAS) || key.equals(DEEP_BIAS)
                || key.equals(ATTENTION_PREFIX + BahdanauScore.BIAS);
    }

    /**
     * Initialises parameter views: Xavier-uniform weights (per gate block for W, C, F), biases 0 except the LSTM's
     * forget-gate bias, 1 (as DL4J's {@code LSTM} default {@code forgetGateBiasInit}).
     */
    public void initParams(Map<String, INDArray> p) {
        for (Map.Entry<String, INDArray> en : p.entrySet()) {
            String k = en.getKey();
            INDArray v = en.getValue();
            if (k.startsWith(ATTENTION_PREFIX)) {
                continue;
            }
            if (isBias(k)) {
                v.assign(0);
            } else if (k.equals(LEARNED_INIT)) {
                v.assign(0);
            } else if (v.size(1) == gn) {
                for (int g = 0; g < cell.gates(); g++) {
                    xavier(v.get(all(), interval(g * n, (g + 1) * n)), v.size(0), n);
                }
            } else {
                xavier(v, v.size(0), v.size(1));
            }
        }
        if (cell instanceof LstmCell) {
            p.get(B).get(all(), interval(LstmCell.forgetGateBlock() * n, (LstmCell.forgetGateBlock() + 1) * n)).assign(1.0);
        }
        if (attention != null) {
            attention.score().initParams(attentionParams(p));
        }
    }

    private static void xavier(INDArray view, long fanIn, long fanOut) {
        view.assign(WeightInit.XAVIER_UNIFORM.getWeightInitFunction().init(fanIn, fanOut, view.shape(), 'c',
                view.ulike()));
    }

    /** @return the score's parameters (or gradients) under their local keys; the same views */
    private static Map<String, INDArray> attentionParams(Map<String, INDArray> p) {
        Map<String, INDArray> m = new LinkedHashMap<>();
        p.forEach((k, v) -> {
            if (k.startsWith(ATTENTION_PREFIX)) {
                m.put(k.substring(ATTENTION_PREFIX.length()), v);
            }
        });
        return m;
    }

    /** @return the size of a step's output: l with a deep output, else n */
    public long outputSize() {
        return conf.outputSize();
    }

    /** @return the cell the decoder runs */
    public RecurrentCell cell() {
        return cell;
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
        INDArray values = annotations.permute(0, 2, 1).dup('c');                        // [mb, Tx, dh]
        long mb = values.size(0);
        AttentionMemory memory = attention == null ? null
                : attention.memory(attentionParams(p), values, null, sourceMask);
        INDArray fixed = null;
        if (attention == null) {
            // c = tanh(h_T V), h_T the last real annotation                // [mb, dh] x [dh, dh]
            INDArray hLast = Attention.weightedSum(position(sourceMask, mb, values.size(1), true), values);
            fixed = Transforms.tanh(hLast.mmul(p.get(RNNENC_V)), false);
        }
        INDArray s0 = switch (conf.getInitialState()) {
            case ZERO -> Nd4j.zeros(values.dataType(), mb, n);
            case LEARNED -> Nd4j.zeros(values.dataType(), mb, n).addiRowVector(p.get(LEARNED_INIT));
            // s_0 = tanh(h←_1 W_s + b_s)                                     // [mb, dh/2] x [dh/2, n]
            case BACKWARD_FIRST_ANNOTATION -> Transforms.tanh(backwardFirst(values, sourceMask).mmul(p.get(INIT_WEIGHTS))
                    .addiRowVector(p.get(INIT_BIAS)), false);
        };
        INDArray feed0 = feeding ? Nd4j.zeros(values.dataType(), mb, n) : null;
        INDArray memory0 = hasMemoryCell() ? Nd4j.zeros(values.dataType(), mb, n) : null;      // LSTM: c_0 = 0
        return new Encoded(values, sourceMask, memory, fixed, new DecoderState(s0, feed0, memory0));
    }

    /** @return h←_1, the backward half of the first real annotation of every example [mb, dh/2] */
    private INDArray backwardFirst(INDArray values, INDArray mask) {
        INDArray h1 = Attention.weightedSum(position(mask, values.size(0), values.size(1), false), values);
        return h1.get(all(), interval(dh / 2, dh)).dup('c');
    }

    /**
     * @return one-hot rows [mb, Tx] marking each example's last (or first) real position; an example without real
     *     positions gets a zero row
     */
    static INDArray position(INDArray mask, long mb, long steps, boolean last) {
        INDArray oneHot = Nd4j.zeros(mask == null ? Nd4j.defaultFloatingPointType() : mask.dataType(), mb, steps);
        for (long i = 0; i < mb; i++) {
            long pos = -1;
            for (long j = 0; j < steps; j++) {
                if (mask == null || mask.getDouble(i, j) != 0) {
                    pos = j;
                    if (!last) {
                        break;
                    }
                }
            }
            if (pos >= 0) {
                oneHot.putScalar(i, pos, 1.0);
            }
        }
        return oneHot;
    }

    /**
     * One decoder step for any number of rows (sentences × beams), with the same math as the full pass.
     *
     * @param encoded   from {@link #encode} (rows selected to match {@code prev} if beams are tiled)
     * @param prev      the state before the step ({@code encoded.initialState()} at the first step)
     * @param embedding [mb, e] the embedding of the previous target word
     */
    public StepResult step(Map<String, INDArray> p, Encoded encoded, DecoderState prev, INDArray embedding) {
        INDArray y = embedding.dup('c');
        INDArray xBase = y.mmul(p.get(W)).addiRowVector(p.get(B));                     // [mb, G·n]
        return stepProjected(p, encoded, prev, xBase, y, null, null);
    }

    // ---------------------------------------------------------------------------------------------------
    // The step

    /** @return whether the cell carries a memory cell besides its output (LSTM) */
    private boolean hasMemoryCell() {
        return cell.stateWidth() > n;
    }

    /**
     * @param dest an 'f' [mb, 2n] array to write an LSTM's full state into, or null for a new one
     * @return the cell's full previous state [mb, S]: s itself, or [h, c] (LSTM, 'f' so that h is contiguous)
     */
    private INDArray cellState(DecoderState s, INDArray dest) {
        if (!hasMemoryCell()) {
            return s.state();
        }
        INDArray full = dest != null ? dest
                : Nd4j.create(s.state().dataType(), new long[] {s.state().size(0), 2 * n}, 'f');  // [mb, 2n]
        full.get(all(), interval(0, n)).assign(s.state());
        full.get(all(), interval(n, 2 * n)).assign(s.memory());
        return full;
    }

    /** @return the output part h [mb, n] of a full cell state or state gradient [mb, S] ('f': a contiguous view) */
    private INDArray outputPart(INDArray full) {
        return hasMemoryCell() ? full.get(all(), interval(0, n)) : full;
    }

    /**
     * What the backward pass needs from one step. A training pass sets the destinations (views of its kept arrays)
     * before the step; the step writes into them, so that nothing it keeps lives in the step's workspace.
     */
    static final class StepCache {
        DecoderState prev;
        INDArray prevCell;   // [mb, S] the cell's full previous state
        INDArray y;          // [mb, e]
        INDArray cellCache;  // [mb, C] destination
        INDArray attSaved;   // what the score saves for backward (e.g. [mb, Tx, a]) destination, or null
        INDArray alpha;      // [mb, Tx] destination, or null (NONE)
        INDArray context;    // [mb, dh] destination
        INDArray hNew;       // [mb, n] destination: the cell's output before masking (Luong only, else null)
        INDArray htil;       // [mb, n] destination: Luong output before masking, or null
        INDArray deepPre;    // [mb, 2l] destination, or null
        INDArray prevCellFull;   // [mb, 2n] 'f' destination for the LSTM's full previous state, or null
        DecoderState next;   // destinations of the state after the step
    }

    private StepResult stepProjected(Map<String, INDArray> p, Encoded enc, DecoderState prev, INDArray xBase,
                                     INDArray y, INDArray m, StepCache cache) {
        long mb = prev.state().size(0);
        INDArray sPrev = prev.state();                                                   // [mb, n]
        INDArray sPrevCell = cellState(prev, cache == null ? null : cache.prevCellFull);   // [mb, S]
        CellParams cp = new CellParams(p.get(RW), p.get(RB));
        // the cell runs on contiguous 'f' arrays (its gate blocks contiguous); a training pass copies the cache into
        // its kept rows after the cell step
        INDArray cellCache = Nd4j.createUninitialized(sPrev.dataType(), new long[] {mb, cell.cacheWidth()}, 'f');
        INDArray cellIn = fContiguous(sPrevCell);                                           // [mb, S]
        INDArray hNewCell = Nd4j.create(sPrev.dataType(), new long[] {mb, cell.stateWidth()}, 'f');   // [mb, S]
        INDArray hNew = outputPart(hNewCell);                                            // [mb, n]
        INDArray alpha = null;
        INDArray context;
        INDArray out;
        INDArray htil = null;
        INDArray deepPre = null;
        if (!luong) {
            if (attention != null) {
                Attention.Result r = attention.attend(attentionParams(p), enc.memory(), sPrev, cache == null ? null : cache.attSaved);
                alpha = keep(r.alpha(), cache == null ? null : cache.alpha);
                context = keep(r.context(), cache == null ? null : cache.context);       // [mb, dh]
            } else {
                context = keep(enc.fixedContext(), cache == null ? null : cache.context);
            }
            // xProj = x W + b + c C                                    // [mb, dh] x [dh, G·n]
            INDArray xProj = xBase.dup('f');
            Nd4j.gemm(context, p.get(CONTEXT_WEIGHTS), xProj, false, false, 1.0, 1.0);
            cell.forwardStep(cp, xProj, cellIn, cellCache, hNewCell, cache != null);
            if (l > 0) {
                deepPre = keep(deepInput(sPrev, y, context).mmul(p.get(DEEP_WEIGHTS)).addiRowVector(p.get(DEEP_BIAS)),
                        cache == null ? null : cache.deepPre);
                out = Transforms.max(deepPre.get(all(), interval(0, l)), deepPre.get(all(), interval(l, 2 * l)), true);
            } else {
                out = hNew;
            }
        } else {
            INDArray xProj = xBase.dup('f');                                             // [mb, G·n]
            if (feeding) {
                Nd4j.gemm(prev.feed(), p.get(FEED_WEIGHTS), xProj, false, false, 1.0, 1.0);   // + h̃_{t−1} F
            }
            cell.forwardStep(cp, xProj, cellIn, cellCache, hNewCell, cache != null);
            hNew = keep(hNew, cache == null ? null : cache.hNew);
            Attention.Result r = attention.attend(attentionParams(p), enc.memory(), hNew, cache == null ? null : cache.attSaved);
            alpha = keep(r.alpha(), cache == null ? null : cache.alpha);
            context = keep(r.context(), cache == null ? null : cache.context);
            // h̃ = tanh([c; h] W_c)                                         // [mb, dh+n] x [dh+n, n]
            htil = keep(Transforms.tanh(Nd4j.hstack(context, hNew).mmul(p.get(LUONG_OUT)), false),
                    cache == null ? null : cache.htil);
            out = htil;
        }
        INDArray cNew = hasMemoryCell() ? hNewCell.get(all(), interval(n, 2 * n)) : null;   // [mb, n] LSTM memory
        DecoderState next;
        if (m == null) {
            next = new DecoderState(hNew.dup('c'), feeding ? htil : null, cNew == null ? null : cNew.dup('c'));
        } else {
            // masked step: output 0, state and h̃ pass through: s_t = s_{t−1} + m ∘ (s' − s_{t−1})
            next = new DecoderState(passThrough(hNew, sPrev, m), feeding ? passThrough(htil, prev.feed(), m) : null,
                    cNew == null ? null : passThrough(cNew, prev.memory(), m));
            out = out.mulColumnVector(m);
        }
        if (cache != null) {
            cache.cellCache.assign(cellCache);
            next = new DecoderState(cache.next.state().assign(next.state()),
                    feeding ? cache.next.feed().assign(next.feed()) : null,
                    cNew == null ? null : cache.next.memory().assign(next.memory()));
            cache.prev = prev;
            cache.prevCell = sPrevCell;
            cache.y = y;
            cache.htil = htil;
            cache.deepPre = deepPre;
        }
        return new StepResult(out, next, alpha);
    }

    /**
     * @return {@code a} itself when it is a contiguous 'f' array, else an 'f' copy (in the step's workspace): the cell's
     *     element-wise math runs several times faster when all its operands share one contiguous order
     */
    private static INDArray fContiguous(INDArray a) {
        return a.ordering() == 'f' && a.elementWiseStride() == 1 ? a : a.dup('f');
    }

    /** @return {@code a} copied into {@code dest} when there is one (a kept array of a training pass), else a itself */
    private static INDArray keep(INDArray a, INDArray dest) {
        return dest == null ? a : dest.assign(a);
    }

    /** @return {@code old + m ∘ (updated − old)} [mb, n] c-order: the updated rows where m = 1, the old ones where 0 */
    private static INDArray passThrough(INDArray updated, INDArray old, INDArray m) {
        return updated.sub(old).muliColumnVector(m).addi(old).dup('c');
    }

    /** @return [s_{t−1}; x_t; c_t] [mb, n+e+dh] */
    private static INDArray deepInput(INDArray sPrev, INDArray y, INDArray context) {
        return Nd4j.hstack(sPrev, y, context);
    }

    // ---------------------------------------------------------------------------------------------------
    // Full sequences

    /** A full forward pass, kept for the backward pass. Time-major rows: t·mb + i. */
    public static final class Forward {
        INDArray[] inputs;              // embeddings, target mask, annotations, source mask: to run the pass again
        Encoded encoded;
        long mb;
        long steps;
        INDArray yFlat;                 // [Ty·mb, e]
        INDArray mask;                  // [mb, Ty] or null
        List<StepCache> caches;         // per step, or null when not training
        INDArray cellCaches;            // [Ty·mb, C] 'f' the cell caches of all steps (time-major rows), or null
        INDArray states;                // [(Ty+1)·mb, n] s_0 … s_Ty (training), or null
        INDArray feeds;                 // [(Ty+1)·mb, n] h̃_0 … h̃_Ty (training, input feeding), or null
        INDArray contexts;              // [Ty·mb, dh] (training), or null
        INDArray hNews;                 // [Ty·mb, n] the cell outputs (training, Luong), or null
        INDArray htils;                 // [Ty·mb, n] Luong outputs (training), or null
        INDArray memories;              // [(Ty+1)·mb, n] LSTM c_0 … c_Ty (training), or null
        INDArray deepPres;              // [Ty·mb, 2l] (training, deep output), or null
        INDArray prevCells;             // [Ty, 2n, mb] LSTM full previous states (training), or null
        DecoderState last;
        /** [mb, outputSize, Ty] */
        public INDArray outputs;
        /** [mb, Ty, Tx], or null for attention NONE */
        public INDArray alignments;
    }

    /**
     * Teacher-forced forward pass over whole sequences. A training pass keeps what {@link #backward} needs in arrays
     * this decoder reuses from one training pass to the next, and runs every step's temporaries in a workspace.
     *
     * @param embeddings  [mb, e, Ty] (NCW)
     * @param targetMask  [mb, Ty] or null
     * @param annotations [mb, dh, Tx] (NCW)
     * @param sourceMask  [mb, Tx] or null
     * @param training    whether to keep what {@link #backward} needs
     */
    public Forward forward(Map<String, INDArray> p, INDArray embeddings, INDArray targetMask, INDArray annotations,
                           INDArray sourceMask, boolean training) {
        Forward f = new Forward();
        f.inputs = new INDArray[] {embeddings, targetMask, annotations, sourceMask};
        f.encoded = encode(p, annotations, sourceMask);
        f.mb = embeddings.size(0);
        f.steps = embeddings.size(2);
        f.mask = targetMask;
        long mb = f.mb;
        long steps = f.steps;
        long tx = annotations.size(2);
        DataType type = embeddings.dataType();
        f.yFlat = (training ? passBuffers.get(Kept.Y.ordinal(), type, 'c', steps * mb, e)
                : Nd4j.createUninitialized(type, new long[] {steps * mb, e}, 'c'));               // [Ty·mb, e]
        f.yFlat.reshape('c', steps, mb, e).assign(embeddings.permute(2, 0, 1));
        // xBase = Y W + b, all steps in one GEMM (used during this pass only)    // [Ty·mb, e] x [e, G·n]
        INDArray xBase = passBuffers.get(Kept.X_BASE.ordinal(), type, 'c', steps * mb, gn);
        Nd4j.gemm(f.yFlat, p.get(W), xBase, false, false, 1.0, 0.0);
        xBase.addiRowVector(p.get(B));
        INDArray outputs = Nd4j.create(type, steps * mb, outputSize());
        INDArray alignments = attention == null ? null : Nd4j.create(type, steps, mb, tx);
        DecoderState state = f.encoded.initialState();
        if (training) {
            keepArrays(f, type, tx);
            bufferOwner = f;
            rows(f.states, 0, mb).assign(state.state());
            state = new DecoderState(rows(f.states, 0, mb), feeding ? rows(f.feeds, 0, mb).assign(state.feed()) : null,
                    hasMemoryCell() ? rows(f.memories, 0, mb).assign(state.memory()) : null);
        }
        INDArray attSaved = training && conf.isKeepAttentionHidden() && attention != null
                && attention.savedShape(mb, tx) != null                                       // [Ty, mb, Tx, a]
                ? passBuffers.get(Kept.SAVED.ordinal(), type, 'c', prepend(steps, attention.savedShape(mb, tx))) : null;
        for (long t = 0; t < steps; t++) {
            StepCache c = training ? stepCache(f, t, attSaved, alignments) : null;
            INDArray m = targetMask == null ? null : targetMask.getColumn(t, true);      // [mb, 1]
            try (MemoryWorkspace ws = training ? stepWorkspace() : null) {
                StepResult r = stepProjected(p, f.encoded, state, rows(xBase, t, mb), rows(f.yFlat, t, mb), m, c);
                rows(outputs, t, mb).assign(r.output());
                if (alignments != null && c == null) {
                    alignments.get(point(t), all(), all()).assign(r.alignment());
                }
                state = r.state();
            }
            if (c != null) {
                f.caches.add(c);
            }
        }
        f.last = training ? new DecoderState(state.state().dup('c'), feeding ? state.feed().dup('c') : null,
                hasMemoryCell() ? state.memory().dup('c') : null) : state;
        f.outputs = outputs.reshape('c', steps, mb, outputSize()).permute(1, 2, 0);     // [mb, out, Ty]
        f.alignments = alignments == null ? null : alignments.permute(1, 0, 2);         // [mb, Ty, Tx]
        return f;
    }

    /** The arrays a training pass keeps, by {@link #passBuffers} slot. */
    private enum Kept { Y, X_BASE, SAVED, CELL_CACHES, STATES, FEEDS, MEMORIES, CONTEXTS, H_NEWS, H_TILS, DEEP_PRES, PREV_CELLS }

    /** Takes this pass's kept arrays from {@link #passBuffers}. */
    private void keepArrays(Forward f, DataType type, long tx) {
        long rows = f.steps * f.mb;
        f.caches = new ArrayList<>();
        f.cellCaches = passBuffers.get(Kept.CELL_CACHES.ordinal(), type, 'f', rows, cell.cacheWidth());
        f.states = passBuffers.get(Kept.STATES.ordinal(), type, 'c', rows + f.mb, n);
        f.feeds = feeding ? passBuffers.get(Kept.FEEDS.ordinal(), type, 'c', rows + f.mb, n) : null;
        f.memories = hasMemoryCell() ? passBuffers.get(Kept.MEMORIES.ordinal(), type, 'c', rows + f.mb, n) : null;
        f.contexts = passBuffers.get(Kept.CONTEXTS.ordinal(), type, 'c', rows, dh);
        f.hNews = luong ? passBuffers.get(Kept.H_NEWS.ordinal(), type, 'c', rows, n) : null;
        f.htils = luong ? passBuffers.get(Kept.H_TILS.ordinal(), type, 'c', rows, n) : null;
        f.deepPres = l > 0 ? passBuffers.get(Kept.DEEP_PRES.ordinal(), type, 'c', rows, 2 * l) : null;
        // [Ty, 2n, mb] c: slice t transposed is an 'f' [mb, 2n] array (the LSTM's full state, h contiguous)
        f.prevCells = hasMemoryCell() ? passBuffers.get(Kept.PREV_CELLS.ordinal(), type, 'c', f.steps, 2 * n, f.mb) : null;
    }

    /** @return step t's cache: destinations in the pass's kept arrays */
    private StepCache stepCache(Forward f, long t, INDArray attSaved, INDArray alignments) {
        long mb = f.mb;
        StepCache c = new StepCache();
        c.cellCache = rows(f.cellCaches, t, mb);                                         // [mb, C] view
        c.attSaved = attSaved == null ? null : attSaved.get(point(t));
        c.alpha = alignments == null ? null : alignments.get(point(t), all(), all());   // [mb, Tx]
        c.context = rows(f.contexts, t, mb);
        c.hNew = f.hNews == null ? null : rows(f.hNews, t, mb);
        c.htil = f.htils == null ? null : rows(f.htils, t, mb);
        c.deepPre = f.deepPres == null ? null : rows(f.deepPres, t, mb);
        c.prevCellFull = f.prevCells == null ? null : f.prevCells.get(point(t), all(), all()).transpose();
        c.next = new DecoderState(rows(f.states, t + 1, mb), f.feeds == null ? null : rows(f.feeds, t + 1, mb),
                f.memories == null ? null : rows(f.memories, t + 1, mb));
        return c;
    }

    /** @return this decoder's step workspace, activated (temporaries of one training step; reset at every step) */
    private MemoryWorkspace stepWorkspace() {
        return Nd4j.getWorkspaceManager().getAndActivateWorkspace(STEP_WORKSPACE, stepWorkspaceId);
    }

    private static long[] prepend(long first, long[] shape) {
        long[] s = new long[shape.length + 1];
        s[0] = first;
        System.arraycopy(shape, 0, s, 1, shape.length);
        return s;
    }

    /** Rows [t·mb, (t+1)·mb) of a time-major matrix. */
    private static INDArray rows(INDArray timeMajor, long t, long mb) {
        return timeMajor.get(interval(t * mb, (t + 1) * mb), all());
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
        if (f.caches == null) {
            throw new IllegalStateException("AttentionDecoder: backward needs a forward pass with training = true");
        }
        if (bufferOwner != f) {
            // a later training pass reused the kept arrays: run this pass again (same inputs, same parameters)
            f = forward(p, f.inputs[0], f.inputs[1], f.inputs[2], f.inputs[3], true);
        }
        grads.values().forEach(a -> a.assign(0));
        long mb = f.mb;
        long steps = f.steps;
        Encoded enc = f.encoded;
        DataType type = dOut.dataType();
        Map<String, INDArray> attP = attentionParams(p);
        Map<String, INDArray> attG = attentionParams(grads);
        CellParams cp = new CellParams(p.get(RW), p.get(RB));
        INDArray dOutFlat = backwardBuffers.get(Grad.D_OUT.ordinal(), type, 'c', steps * mb, outputSize());  // [Ty·mb, out]
        dOutFlat.reshape('c', steps, mb, outputSize()).assign(dOut.permute(2, 0, 1));
        // the values' gradient Σ_t α_t dc_t is added for all steps at once after the loop, from dContexts
        Attention.MemoryGradients memGrads = enc.memory() == null ? null : new Attention.MemoryGradients(
                backwardBuffers.get(Grad.D_KEYS.ordinal(), type, 'c', enc.memory().projectedKeys().shape()).assign(0), null);
        // batch-major, as the values' gradient after the loop reads it
        INDArray dContexts = enc.memory() == null ? null
                : backwardBuffers.get(Grad.D_CONTEXTS.ordinal(), type, 'c', mb, steps, dh);    // [mb, Ty, dh]
        INDArray dFixed = attention == null ? Nd4j.zeros(type, mb, dh) : null;
        // 'c': each step's rows are one contiguous block (operands of the per-step GEMMs)
        INDArray dXProj = backwardBuffers.get(Grad.D_X_PROJ.ordinal(), type, 'c', steps * mb, gn);  // [Ty·mb, G·n]
        INDArray dRec = cell.separateRecurrentGradient()
                ? backwardBuffers.get(Grad.D_REC.ordinal(), type, 'c', steps * mb, gn) : null;
        INDArray dYDeep = l > 0 ? backwardBuffers.get(Grad.D_Y_DEEP.ordinal(), type, 'c', steps * mb, e) : null;
        INDArray dDeepPre = l > 0 ? backwardBuffers.get(Grad.D_DEEP_PRE.ordinal(), type, 'c', steps * mb, 2 * l) : null;
        INDArray dLuongPre = luong ? backwardBuffers.get(Grad.D_LUONG_PRE.ordinal(), type, 'c', steps * mb, n) : null;
        // dL/ds_t from later steps [mb, S] and dL/dh̃_t: two arrays each, written alternately (step t writes [t % 2])
        INDArray[] dStates = {backwardBuffers.get(Grad.D_STATE_0.ordinal(), type, 'f', mb, cell.stateWidth()),
                backwardBuffers.get(Grad.D_STATE_1.ordinal(), type, 'f', mb, cell.stateWidth())};
        INDArray[] dFeeds = feeding ? new INDArray[] {backwardBuffers.get(Grad.D_FEED_0.ordinal(), type, 'c', mb, n),
                backwardBuffers.get(Grad.D_FEED_1.ordinal(), type, 'c', mb, n)} : null;
        INDArray dState = dStates[(int) (steps % 2)].assign(0);
        INDArray dFeed = feeding ? dFeeds[(int) (steps % 2)].assign(0) : null;
        for (long t = steps - 1; t >= 0; t--) {
            StepCache c = f.caches.get((int) t);
            INDArray dSPrev = dStates[(int) (t % 2)];                                      // [mb, S] dL/ds_{t−1}
            INDArray dFeedPrev = feeding ? dFeeds[(int) (t % 2)] : null;
            try (MemoryWorkspace ws = stepWorkspace()) {
                backwardStep(p, cp, enc, c, t, mb, dOutFlat, f.mask, dState, dSPrev, dFeed, dFeedPrev, dXProj, dRec,
                        dYDeep, dDeepPre, dLuongPre, dContexts, dFixed, memGrads, attP, attG);
            }
            dState = dSPrev;
            dFeed = dFeedPrev;
        }
        INDArray dValues = Nd4j.zeros(type, enc.values().shape());                       // [mb, Tx, dh]
        weightGradients(p, f, dXProj, dRec, dDeepPre, dLuongPre, grads);
        initialStateBackward(p, enc, outputPart(dState), grads, dValues);   // c_0 = 0 is no parameter
        if (attention != null) {
            attention.backwardMemory(attP, enc.memory(), memGrads, attG, dValues);        // keys = values
            // dv_j += Σ_t α_tj dc_t, all steps in one batched GEMM        // [mb, Tx, Ty] x [mb, Ty, dh]
            Attention.addWeightedSumGradients(f.alignments, dContexts, dValues);
        } else {
            // c = tanh(h_T V): dPre = dc ∘ (1 − c²); dV = h_Tᵀ dPre; dh_T = dPre Vᵀ
            INDArray sel = position(enc.mask(), mb, enc.sourceLength(), true).castTo(type);
            INDArray hLast = Attention.weightedSum(sel, enc.values());
            INDArray dPre = dFixed.muli(enc.fixedContext().mul(enc.fixedContext()).rsubi(1.0));
            grads.get(RNNENC_V).addi(hLast.transpose().mmul(dPre));
            Attention.addWeightedSumGradient(sel, dPre.mmul(p.get(RNNENC_V).transpose()), dValues);
        }
        // dX = dXProj Wᵀ (+ the deep output's direct path)                 // [Ty·mb, G·n] x [G·n, e]
        INDArray dY = dXProj.mmul(p.get(W).transpose());
        if (dYDeep != null) {
            dY.addi(dYDeep);
        }
        INDArray dEmb = dY.reshape('c', steps, mb, e).permute(1, 2, 0);                  // [mb, e, Ty]
        return new InputGradients(dEmb, dValues.permute(0, 2, 1));                        // [mb, dh, Tx]
    }

    /** The backward pass's reused arrays, by {@link #backwardBuffers} slot. */
    private enum Grad { D_OUT, D_KEYS, D_CONTEXTS, D_X_PROJ, D_REC, D_Y_DEEP, D_DEEP_PRE, D_LUONG_PRE, D_STATE_0, D_STATE_1,
        D_FEED_0, D_FEED_1 }

    /**
     * Backward through step t: writes dL/ds_{t−1} into {@code dSPrev} (and dL/dh̃_{t−1} into {@code dFeedPrev}) and
     * the step's rows of the per-step gradients; adds to the attention's gradients. Temporaries only otherwise.
     */
    private void backwardStep(Map<String, INDArray> p, CellParams cp, Encoded enc, StepCache c, long t, long mb,
                              INDArray dOutFlat, INDArray mask, INDArray dState, INDArray dSPrev, INDArray dFeed,
                              INDArray dFeedPrev, INDArray dXProj, INDArray dRec, INDArray dYDeep, INDArray dDeepPre,
                              INDArray dLuongPre, INDArray dContexts, INDArray dFixed,
                              Attention.MemoryGradients memGrads, Map<String, INDArray> attP, Map<String, INDArray> attG) {
        DataType type = dOutFlat.dataType();
        INDArray m = mask == null ? null : mask.getColumn(t, true);                       // [mb, 1]
        INDArray dO = rows(dOutFlat, t, mb);
        INDArray sPrev = c.prev.state();
        // dL/d(the cell's new state) [mb, S]: from later steps where real; h part dHNewH gets this step's terms
        INDArray dHNew = stateGradient(dOutFlat, mb, dState, m);
        INDArray dHNewH = outputPart(dHNew);                                              // [mb, n]
        // dL/ds_{t−1} [mb, S]: a masked step passes dState through
        if (m == null) {
            dSPrev.assign(0);
        } else {
            dSPrev.assign(dState).muliColumnVector(m.rsub(1.0));
        }
        INDArray dSPrevH = outputPart(dSPrev);                                            // [mb, n]
        INDArray dContext;
        if (!luong) {
            if (l > 0) {
                INDArray dDeep = masked(dO, m);                                           // [mb, l]
                INDArray dT = rows(dDeepPre, t, mb);                                      // [mb, 2l]
                // maxout backward: the gradient goes to the larger half
                INDArray first = c.deepPre.get(all(), interval(0, l));
                INDArray second = c.deepPre.get(all(), interval(l, 2 * l));
                INDArray sel = Transforms.step(first.sub(second));                             // 1 where first > second
                dT.get(all(), interval(0, l)).assign(dDeep.mul(sel));
                dT.get(all(), interval(l, 2 * l)).assign(dDeep.mul(sel.rsub(1.0)));
                // d[s; x; c] = dT Uᵀ                                        // [mb, 2l] x [2l, n+e+dh]
                INDArray dIn = dT.mmul(p.get(DEEP_WEIGHTS).transpose());
                dSPrevH.addi(dIn.get(all(), interval(0, n)));
                rows(dYDeep, t, mb).assign(dIn.get(all(), interval(n, n + e)));
                dContext = dIn.get(all(), interval(n + e, n + e + dh)).dup('c');
            } else {
                dContext = Nd4j.zeros(type, mb, dh);
                dHNewH.addi(masked(dO, m));
            }
            INDArray dXP = rows(dXProj, t, mb);
            cell.backwardStep(cp, dHNew, fContiguous(c.prevCell), fContiguous(c.cellCache), dXP,
                    dRec == null ? null : rows(dRec, t, mb), dSPrev);
            // c_t entered the gates: dc += dXProj Cᵀ                    // [mb, G·n] x [G·n, dh]
            Nd4j.gemm(dXP, p.get(CONTEXT_WEIGHTS), dContext, false, true, 1.0, 1.0);
            if (attention != null) {
                dContexts.get(all(), point(t), all()).assign(dContext);
                attention.backward(attP, enc.memory(), sPrev, c.alpha, dContext, attG, dSPrevH, memGrads, c.attSaved);
            } else {
                dFixed.addi(dContext);
            }
        } else {
            INDArray dHtil = masked(feeding ? dO.add(dFeed) : dO.dup(), m);
            if (feeding) {
                if (m == null) {
                    dFeedPrev.assign(0);
                } else {
                    dFeedPrev.assign(dFeed).muliColumnVector(m.rsub(1.0));
                }
            }
            // h̃ = tanh(Z W_c): dA = dh̃ ∘ (1 − h̃²); dZ = dA W_cᵀ              // [mb, n] x [n, dh+n]
            INDArray dA = rows(dLuongPre, t, mb).assign(dHtil.mul(c.htil.mul(c.htil).rsubi(1.0)));
            INDArray dZ = dA.mmul(p.get(LUONG_OUT).transpose());
            dContext = dZ.get(all(), interval(0, dh)).dup('c');
            dHNewH.addi(dZ.get(all(), interval(dh, dh + n)));
            dContexts.get(all(), point(t), all()).assign(dContext);
            attention.backward(attP, enc.memory(), c.hNew, c.alpha, dContext, attG, dHNewH, memGrads, c.attSaved);
            INDArray dXP = rows(dXProj, t, mb);
            cell.backwardStep(cp, dHNew, fContiguous(c.prevCell), fContiguous(c.cellCache), dXP,
                    dRec == null ? null : rows(dRec, t, mb), dSPrev);
            if (feeding) {
                dFeedPrev.addi(dXP.mmul(p.get(FEED_WEIGHTS).transpose()));               // [mb, G·n] x [G·n, n]
            }
        }
    }

    /**
     * @return a new 'f' [mb, S] state gradient (column blocks contiguous): zero, or {@code from ∘ rowFactor} (from
     *     itself when rowFactor is null)
     */
    private INDArray stateGradient(INDArray like, long mb, INDArray from, INDArray rowFactor) {
        INDArray g = Nd4j.create(like.dataType(), new long[] {mb, cell.stateWidth()}, 'f');
        if (from != null) {
            g.assign(from);
            if (rowFactor != null) {
                g.muliColumnVector(rowFactor);
            }
        }
        return g;
    }

    private static INDArray masked(INDArray a, INDArray m) {
        return m == null ? a.dup() : a.mulColumnVector(m);
    }

    /** The weight gradients of all steps that do not depend on the recurrence, one GEMM each. */
    private void weightGradients(Map<String, INDArray> p, Forward f, INDArray dXProj, INDArray dRec,
                                 INDArray dDeepPre, INDArray dLuongPre, Map<String, INDArray> grads) {
        // dW = Yᵀ dXProj, db = Σ dXProj                                  // [e, Ty·mb] x [Ty·mb, G·n]
        org.nd4j.linalg.factory.Nd4j.gemm(f.yFlat, dXProj, grads.get(W), true, false, 1.0, 0.0);
        grads.get(B).assign(dXProj.sum(true, 0));
        long rows = f.steps * f.mb;
        INDArray sPrevAll = f.states.get(interval(0, rows), all());                     // [Ty·mb, n] s_0 … s_{Ty−1}
        INDArray cacheAll = f.cellCaches;                                                // [Ty·mb, C]
        cell.recurrentWeightGradients(new CellParams(p.get(RW), p.get(RB)), sPrevAll, cacheAll, dXProj, dRec,
                new CellGradients(grads.get(RW), grads.get(RB)));
        INDArray ctxAll = f.contexts;                                                    // [Ty·mb, dh]
        if (!luong) {
            Nd4j.gemm(ctxAll, dXProj, grads.get(CONTEXT_WEIGHTS), true, false, 1.0, 0.0);   // dC = Ctxᵀ dXProj
        }
        if (l > 0) {
            INDArray deepIn = deepInput(sPrevAll, f.yFlat, ctxAll);                       // [Ty·mb, n+e+dh]
            Nd4j.gemm(deepIn, dDeepPre, grads.get(DEEP_WEIGHTS), true, false, 1.0, 0.0);
            grads.get(DEEP_BIAS).assign(dDeepPre.sum(true, 0));
        }
        if (luong) {
            INDArray hAll = f.hNews;                                                     // [Ty·mb, n]
            Nd4j.gemm(Nd4j.hstack(ctxAll, hAll), dLuongPre, grads.get(LUONG_OUT), true, false, 1.0, 0.0);
        }
        if (feeding) {
            INDArray feedAll = f.feeds.get(interval(0, rows), all());                   // [Ty·mb, n] h̃_0 … h̃_{Ty−1}
            Nd4j.gemm(feedAll, dXProj, grads.get(FEED_WEIGHTS), true, false, 1.0, 0.0);  // dF = Feedᵀ dXProj
        }
    }

    private void initialStateBackward(Map<String, INDArray> p, Encoded enc, INDArray dS0, Map<String, INDArray> grads,
                                      INDArray dValues) {
        switch (conf.getInitialState()) {
            case ZERO -> { }
            case LEARNED -> grads.get(LEARNED_INIT).addi(dS0.sum(true, 0));
            case BACKWARD_FIRST_ANNOTATION -> {
                INDArray s0 = enc.initialState().state();
                INDArray dPre = dS0.mul(s0.mul(s0).rsubi(1.0));                            // [mb, n]
                INDArray hb = backwardFirst(enc.values(), enc.mask());                   // [mb, dh/2]
                grads.get(INIT_WEIGHTS).addi(hb.transpose().mmul(dPre));
                grads.get(INIT_BIAS).addi(dPre.sum(true, 0));
                INDArray dH1 = Nd4j.zeros(dS0.dataType(), dS0.size(0), dh);
                dH1.get(all(), interval(dh / 2, dh)).assign(dPre.mmul(p.get(INIT_WEIGHTS).transpose()));
                INDArray sel = position(enc.mask(), enc.size(), enc.sourceLength(), false).castTo(dS0.dataType());
                Attention.addWeightedSumGradient(sel, dH1, dValues);
            }
        }
    }
}
