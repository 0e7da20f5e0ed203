package org.recurrent4j.conf.graph;

import java.util.Map;
import java.util.Objects;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.inputs.InvalidInputTypeException;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.recurrent4j.compute.decoder.DecoderShape;
import org.recurrent4j.nn.attention.LuongScore;
import org.recurrent4j.nn.decoder.AttentionDecoder;
import org.recurrent4j.nn.graph.AttentionDecoderGraphVertex;
import org.recurrent4j.nn.params.CellLayout;
import org.recurrent4j.nn.params.DecoderLayout;
import org.recurrent4j.nn.params.ParamLayout;
import org.recurrent4j.nn.params.ScoreLayout;

/**
 * The recurrent decoder of an encoder-decoder with attention inside the recurrence (RNNsearch, Bahdanau et al. 2014;
 * Luong et al. 2015), or with a fixed context (RNNenc, Cho et al. 2014).
 *
 * <p>Inputs: {@code embeddings} [mb, e, Ty] — the target-side input of every step, i.e. the embedding of the previous
 * target word (teacher forcing) — and {@code annotations} [mb, dh, Tx] from the encoder; the masks of both are
 * respected (a masked target step outputs zero and passes its state on; padded source positions get zero weight).
 * Output [mb, {@link #outputSize()}, Ty], with the target mask passed on.
 *
 * <ul>
 *   <li>{@code attention = BAHDANAU} (Bahdanau ordering): {@code α_t = softmax(score(s_{t−1}, h))},
 *       {@code c_t = Σ α_tj h_j}, {@code s_t = cell(x_t W + c_t C + b, s_{t−1})}; output {@code s_t}, or with
 *       {@code maxoutSize l > 0} the deep output {@code maxout([s_{t−1}; x_t; c_t] U + b_u)} of size l.</li>
 *   <li>{@code NONE} (RNNenc): as BAHDANAU with the fixed context {@code c = tanh(h_T V)} at every step, h_T the last
 *       real annotation of each example.</li>
 *   <li>{@code LUONG_DOT / LUONG_GENERAL / LUONG_CONCAT} (Luong ordering): {@code h_t = cell(x_t W + h̃_{t−1} F + b,
 *       h_{t−1})} (the F term with input feeding only), {@code c_t} attends with query {@code h_t}, output
 *       {@code h̃_t = tanh([c_t; h_t] W_c)}.</li>
 * </ul>
 * Initial state: {@code ZERO}, {@code LEARNED} ({@code s0}), or {@code BACKWARD_FIRST_ANNOTATION}
 * ({@code s_0 = tanh(h←_1 W_s + b_s)}, h←_1 the second half of the first annotation, i.e. the backward encoder's
 * state of a {@code Bidirectional(CONCAT)} encoder).
 *
 * <p>Parameters: cell {@code W} [e, G·n], {@code b} [1, G·n], {@code RW} [n, G·n], ({@code RB}); {@code C} [dh, G·n]
 * (Bahdanau ordering); {@code V} [dh, dh] (NONE); {@code F} [n, G·n] (input feeding); {@code Wc} [dh+n, n] (Luong);
 * {@code att*} (e.g. {@code attWq}) the score's parameters; {@code Ws}, {@code bs} or {@code s0}; {@code U}, {@code bu} (deep output).
 *
 * <p>Training: backpropagation through the whole target sequence (DL4J's {@code BackpropType.Standard}, i.e.
 * {@code ComputationGraph.fit}). Truncated BPTT is refused with an exception, both DL4J's {@code TruncatedBPTT}
 * (when the graph is initialised) and {@code org.recurrent4j.train.TruncatedBptt} (at its first update): both slice
 * every sequence input, the source included, into the target's time windows, which breaks attention over the whole
 * source sentence; an encoder-decoder's sentences are short enough for full BPTT, and {@link Builder#maxTargetLength}
 * bounds the length a full pass accepts.
 */
public class AttentionDecoderVertex extends ParameterizedVertex {
    /** The recurrent cell. */
    public enum Cell {
        /** GRU, {@link org.recurrent4j.conf.Gru}'s math (r, z, c blocks; {@link Builder#resetAfter} picks the variant) */
        GRU,
        /** Elman (tanh), {@link org.recurrent4j.conf.ElmanRnn}'s math */
        ELMAN,
        /**
         * LSTM without peepholes, DL4J {@code LSTM}'s math and gate-block order a, f, o, i; the state carries
         * {@code [h, c]}, h is the output s_t (attention query, deep-output input); the initial state sets h_0,
         * {@code c_0 = 0}; the forget-gate bias starts at 1
         */
        LSTM
    }

    /** The attention (and with it the ordering of one step). */
    public enum Attention {
        BAHDANAU, LUONG_DOT, LUONG_GENERAL, LUONG_CONCAT, NONE;

        /** @return whether the step follows Luong's ordering (attend after the cell, with h_t) */
        public boolean luong() {
            return this == LUONG_DOT || this == LUONG_GENERAL || this == LUONG_CONCAT;
        }
    }

    /** How the decoder's first state is made. */
    public enum InitialState { ZERO, LEARNED, BACKWARD_FIRST_ANNOTATION }

    private long embeddingSize;
    private long annotationSize;
    private long nOut;
    private Cell cell = Cell.GRU;
    private boolean resetAfter;
    private Attention attention = Attention.BAHDANAU;
    private long attentionSize;
    private boolean weightNorm;
    private boolean scaled;
    private boolean inputFeeding = true;
    private InitialState initialState = InitialState.ZERO;
    private long maxoutSize;
    private long maxTargetLength;
    private boolean keepAttentionHidden = true;

    /** For JSON deserialisation; use the {@link Builder}. */
    public AttentionDecoderVertex() {
    }

    /** @return the size of the output: l with a deep output, else n */
    public long outputSize() {
        return maxoutSize > 0 ? maxoutSize : nOut;
    }

    /** @return the math of this decoder (a new instance with its own scratch arrays; the same object serves full passes and step-wise decoding) */
    public AttentionDecoder createDecoder() {
        validate();
        return new AttentionDecoder(decoderLayout(), keepAttentionHidden);
    }

    /** Checks the combination of options; throws naming the option and the values. */
    public void validate() {
        String id = describe();
        if (embeddingSize <= 0 || annotationSize <= 0 || nOut <= 0) {
            throw new IllegalArgumentException(id + ": embeddingSize, annotationSize and nOut must be > 0; got "
                    + embeddingSize + ", " + annotationSize + ", " + nOut);
        }
        if ((attention == Attention.BAHDANAU || attention == Attention.LUONG_CONCAT) && attentionSize <= 0) {
            throw new IllegalArgumentException(id + ": attention " + attention + " needs attentionSize > 0; got "
                    + attentionSize);
        }
        if (attention == Attention.LUONG_DOT && annotationSize != nOut) {
            throw new IllegalArgumentException(id + ": attention LUONG_DOT needs annotationSize = nOut; got annotationSize "
                    + annotationSize + ", nOut " + nOut);
        }
        if (attention.luong() && maxoutSize > 0) {
            throw new IllegalArgumentException(id + ": the deep (maxout) output belongs to the Bahdanau ordering; "
                    + "attention " + attention + " outputs tanh(W_c[c; h]). Set maxoutSize(0).");
        }
        if (initialState == InitialState.BACKWARD_FIRST_ANNOTATION && annotationSize % 2 != 0) {
            throw new IllegalArgumentException(id + ": BACKWARD_FIRST_ANNOTATION needs an even annotationSize "
                    + "(forward and backward halves); got " + annotationSize);
        }
        if (maxTargetLength < 0) {
            throw new IllegalArgumentException(id + ": maxTargetLength must be ≥ 0 (0 = no limit); got " + maxTargetLength);
        }
        if (maxoutSize < 0) {
            throw new IllegalArgumentException(id + ": maxoutSize must be ≥ 0; got " + maxoutSize);
        }
    }

    /** @return the vertex's parameters: the decoder's ({@link #decoderLayout()}) */
    @Override
    public ParamLayout paramLayout() {
        return decoderLayout();
    }

    /** @return the decoder's parameters, sizes, switches, cell and score, as the decoder math receives them */
    public DecoderLayout decoderLayout() {
        return new DecoderLayout(shape(), cellLayout(), scoreLayout());
    }

    private DecoderShape shape() {
        DecoderShape.Ordering ordering = attention.luong() ? DecoderShape.Ordering.LUONG
                : attention == Attention.NONE ? DecoderShape.Ordering.FIXED_CONTEXT : DecoderShape.Ordering.BAHDANAU;
        return new DecoderShape(embeddingSize, annotationSize, nOut, maxoutSize, ordering, inputFeeding,
                DecoderShape.InitialState.valueOf(initialState.name()));
    }

    private CellLayout cellLayout() {
        return switch (cell) {
            case GRU -> CellLayout.gru(nOut, resetAfter);
            case ELMAN -> CellLayout.elman(nOut, Activation.TANH.getActivationFunction());
            case LSTM -> CellLayout.lstm(nOut);
        };
    }

    /** @return the score with query s (size n) over the annotations (size dh), or null for attention NONE */
    private ScoreLayout scoreLayout() {
        return switch (attention) {
            case BAHDANAU -> ScoreLayout.bahdanau(nOut, annotationSize, attentionSize, weightNorm);
            case LUONG_DOT -> ScoreLayout.luong(LuongScore.Type.DOT, nOut, annotationSize, 0, scaled);
            case LUONG_GENERAL -> ScoreLayout.luong(LuongScore.Type.GENERAL, nOut, annotationSize, 0, scaled);
            case LUONG_CONCAT -> ScoreLayout.luong(LuongScore.Type.CONCAT, nOut, annotationSize, attentionSize, scaled);
            case NONE -> null;
        };
    }

    @Override
    public String[] inputNames() {
        return new String[] {"embeddings", "annotations"};
    }

    /** Checks the options ({@link #validate}) and initialises the parameter views of a new network. */
    @Override
    public void initParams(Map<String, INDArray> params) {
        validate();
        super.initParams(params);
    }

    @Override
    public org.deeplearning4j.nn.graph.vertex.GraphVertex instantiate(ComputationGraph graph, String name, int idx,
                                                                      INDArray paramsView, boolean initializeParams,
                                                                      DataType dataType) {
        setName(name);
        validate();
        if (graph.getConfiguration() != null
                && graph.getConfiguration().getBackpropType() == org.deeplearning4j.nn.conf.BackpropType.TruncatedBPTT) {
            throw new IllegalArgumentException(describe() + ": BackpropType.TruncatedBPTT cannot train this vertex "
                    + "correctly. DL4J's ComputationGraph truncated BPTT cuts every 3-d network input into the same time "
                    + "segments, the source sentence too, so the decoder would attend over a segment of the source instead "
                    + "of the whole sentence (and with source and target of different lengths DL4J skips the minibatch with "
                    + "only a warning); and it carries state across segments only for its recurrent layers, not for graph "
                    + "vertices. Use BackpropType.Standard: the decoder backpropagates through the whole target sequence "
                    + "(bound its length with maxTargetLength).");
        }
        return newGraphVertex(graph, name, idx, paramsView, initializeParams, dataType);
    }

    /** @return the vertex implementation of this configuration (options checked) */
    protected org.deeplearning4j.nn.graph.vertex.GraphVertex newGraphVertex(ComputationGraph graph, String name,
                                                                             int idx, INDArray paramsView,
                                                                             boolean initializeParams,
                                                                             DataType dataType) {
        return new AttentionDecoderGraphVertex(this, createDecoder(), maxTargetLength, graph, name, idx, paramsView,
                initializeParams, dataType);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType... in) throws InvalidInputTypeException {
        if (in.length != 2) {
            throw new InvalidInputTypeException(describe() + ": expected 2 inputs (embeddings, annotations); got " + in.length);
        }
        long ty = in[0] instanceof InputType.InputTypeRecurrent r ? r.getTimeSeriesLength() : -1;
        return InputType.recurrent(outputSize(), ty);
    }

    // --- getters and setters (JSON) ---------------------------------------------------------------------

    public long getEmbeddingSize() { return embeddingSize; }
    public void setEmbeddingSize(long v) { embeddingSize = v; layoutChanged(); }
    public long getAnnotationSize() { return annotationSize; }
    public void setAnnotationSize(long v) { annotationSize = v; layoutChanged(); }
    public long getNOut() { return nOut; }
    public void setNOut(long v) { nOut = v; layoutChanged(); }
    public Cell getCell() { return cell; }
    public void setCell(Cell v) { cell = v; layoutChanged(); }
    public boolean isResetAfter() { return resetAfter; }
    public void setResetAfter(boolean v) { resetAfter = v; layoutChanged(); }
    public Attention getAttention() { return attention; }
    public void setAttention(Attention v) { attention = v; layoutChanged(); }
    public long getAttentionSize() { return attentionSize; }
    public void setAttentionSize(long v) { attentionSize = v; layoutChanged(); }
    public boolean isWeightNorm() { return weightNorm; }
    public void setWeightNorm(boolean v) { weightNorm = v; layoutChanged(); }
    public boolean isScaled() { return scaled; }
    public void setScaled(boolean v) { scaled = v; layoutChanged(); }
    public boolean isInputFeeding() { return inputFeeding; }
    public void setInputFeeding(boolean v) { inputFeeding = v; layoutChanged(); }
    public InitialState getInitialState() { return initialState; }
    public void setInitialState(InitialState v) { initialState = v; layoutChanged(); }
    public long getMaxoutSize() { return maxoutSize; }
    public void setMaxoutSize(long v) { maxoutSize = v; layoutChanged(); }
    public long getMaxTargetLength() { return maxTargetLength; }
    public void setMaxTargetLength(long v) { maxTargetLength = v; }
    public boolean isKeepAttentionHidden() { return keepAttentionHidden; }
    public void setKeepAttentionHidden(boolean v) { keepAttentionHidden = v; }

    @Override
    public boolean equals(Object o) {
        return o instanceof AttentionDecoderVertex d && o.getClass() == getClass() && embeddingSize == d.embeddingSize
                && annotationSize == d.annotationSize && nOut == d.nOut && cell == d.cell && resetAfter == d.resetAfter
                && attention == d.attention && attentionSize == d.attentionSize && weightNorm == d.weightNorm
                && scaled == d.scaled && inputFeeding == d.inputFeeding && initialState == d.initialState
                && maxoutSize == d.maxoutSize && maxTargetLength == d.maxTargetLength
                && keepAttentionHidden == d.keepAttentionHidden && trainingSettingsEqual(d);
    }

    @Override
    public int hashCode() {
        return Objects.hash(embeddingSize, annotationSize, nOut, cell, resetAfter, attention, attentionSize, weightNorm,
                scaled, inputFeeding, initialState, maxoutSize, maxTargetLength, keepAttentionHidden);
    }

    /** DL4J-style builder. Required: embeddingSize, annotationSize, nOut (and attentionSize for additive scores). */
    public static class Builder {
        private final AttentionDecoderVertex v;

        public Builder() {
            this(new AttentionDecoderVertex());
        }

        /** A builder that sets the decoder options of {@code v} (a subclass's configuration). */
        protected Builder(AttentionDecoderVertex v) {
            this.v = v;
        }

        /** e, the size of the target-side input (embedding) of a step */
        public Builder embeddingSize(long e) { v.embeddingSize = e; return this; }
        /** dh, the size of an encoder annotation (2·encoder size for a bidirectional encoder) */
        public Builder annotationSize(long dh) { v.annotationSize = dh; return this; }
        /** n, the size of the decoder state */
        public Builder nOut(long n) { v.nOut = n; return this; }
        /** GRU (default), ELMAN (tanh) or LSTM */
        public Builder cell(Cell c) { v.cell = c; return this; }
        /** GRU variant, as {@link org.recurrent4j.conf.Gru.Builder#resetAfter} (default false) */
        public Builder resetAfter(boolean r) { v.resetAfter = r; return this; }
        /** BAHDANAU (default), LUONG_DOT, LUONG_GENERAL, LUONG_CONCAT or NONE (RNNenc) */
        public Builder attention(Attention a) { v.attention = a; return this; }
        /** a, the hidden size of the additive scores (BAHDANAU, LUONG_CONCAT) */
        public Builder attentionSize(long a) { v.attentionSize = a; return this; }
        /** weight-normalised v in the BAHDANAU score (default false) */
        public Builder weightNorm(boolean w) { v.weightNorm = w; return this; }
        /** learned scale of the Luong scores (default false) */
        public Builder scaled(boolean s) { v.scaled = s; return this; }
        /** Luong input feeding of h̃_{t−1} (default true; ignored in the Bahdanau ordering) */
        public Builder inputFeeding(boolean f) { v.inputFeeding = f; return this; }
        /** ZERO (default), LEARNED or BACKWARD_FIRST_ANNOTATION */
        public Builder initialState(InitialState s) { v.initialState = s; return this; }
        /** l > 0: Bahdanau's deep output maxout([s_{t−1}; x_t; c_t] U + b_u) of size l; 0 (default): the state */
        public Builder maxoutSize(long l) { v.maxoutSize = l; return this; }

        /**
         * The longest target sequence (Ty, the time length of {@code embeddings}) a full forward pass accepts; a
         * longer one is refused with an exception naming the vertex, the limit and the length. The full pass keeps
         * per-step caches, so its memory grows with Ty·mb; the limit turns a runaway input (e.g. an unfiltered
         * corpus line) into a clear error instead. 0 (default): no limit. Step-wise decoding is not limited here
         * (its caller decides how many steps to run).
         */
        public Builder maxTargetLength(long max) { v.maxTargetLength = max; return this; }

        /**
         * Whether a training forward pass keeps the BAHDANAU score's hidden layer {@code tanh(W_q q + W_k k_j + b)} of
         * every step for the backward pass, instead of recomputing it there (default true). Costs mb·Ty·Tx·a values
         * of memory (4 bytes each in float; e.g. 118 MB at mb 64, Ty = Tx = 30, a 512) and saves about a tenth of the
         * forward+backward time (BENCHMARKS.md). The results are the same either way.
         */
        public Builder keepAttentionHidden(boolean keep) { v.keepAttentionHidden = keep; return this; }

        public AttentionDecoderVertex build() {
            v.validate();
            return v;
        }
    }
}
