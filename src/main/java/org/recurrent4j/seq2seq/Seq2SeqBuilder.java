package org.recurrent4j.seq2seq;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.RnnLossLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.AdaDelta;
import org.nd4j.linalg.learning.config.IUpdater;
import org.recurrent4j.conf.Gru;
import org.recurrent4j.conf.RnnSoftmaxOutput;
import org.recurrent4j.conf.graph.AttentionDecoderVertex;
import org.recurrent4j.conf.graph.AttentionDecoderVertex.Attention;
import org.recurrent4j.conf.graph.AttentionDecoderVertex.Cell;
import org.recurrent4j.conf.graph.AttentionDecoderVertex.InitialState;
import org.recurrent4j.conf.graph.TiedEmbeddingDecoderVertex;
import org.recurrent4j.data.vocab.Vocabulary;
import org.recurrent4j.nn.loss.SoftmaxCrossEntropy;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds the encoder-decoder {@link ComputationGraph} of Bahdanau, Cho &amp; Bengio (2014): source embedding →
 * bidirectional GRU encoder (annotations {@code [h→; h←]}, optionally stacked) → {@link AttentionDecoderVertex} →
 * softmax over the target vocabulary. The same graph trains (teacher forcing, DL4J {@code fit}) and decodes
 * ({@link Seq2SeqModel} exposes the pieces a step-wise decoder needs).
 *
 * <p>Graph layout (names are the constants of this class; ids as laid out by
 * {@link org.recurrent4j.data.parallel.Seq2SeqIterator}):
 * <pre>
 * SOURCE   [mb, 1, Tx] ids ─► SOURCE_EMBEDDING [mb, e, Tx] ─► encoder0 … ─► ENCODER [mb, 2·encoderSize, Tx]
 * TARGET_IN [mb, 1, Ty] ids (&lt;s&gt; y1 … yn) ─► TARGET_EMBEDDING [mb, e, Ty] ─┐
 *                                               ENCODER ────────────────────┴► DECODER [mb, l or n, Ty]
 *                                                                              ─► OUTPUT softmax [mb, Vy, Ty]
 * </pre>
 * With {@link #tieTargetEmbeddings tieTargetEmbeddings(true)} there is no TARGET_EMBEDDING layer: TARGET_IN's ids go
 * to the DECODER ({@link TiedEmbeddingDecoderVertex}), which owns the one matrix E [Vy, e], embeds them with it and
 * outputs the logits {@code o Eᵀ + b} [mb, Vy, Ty]; OUTPUT is then a parameter-free {@link RnnLossLayer} (softmax
 * and the same loss).
 * With {@code encoderLayers(k)} the bidirectional layers are {@code encoder0 … encoder(k−2)} and the last is
 * {@link #ENCODER}. Labels are class indices {@code [mb, 1, Ty]} (sparse cross-entropy, {@link SoftmaxCrossEntropy#sparse()}:
 * DL4J's {@code LossSparseMCXENT} computed in one fused pass on the compute engine).
 *
 * <p>Presets: {@link #rnnSearch()} (Bahdanau attention) and {@link #rnnEnc()} (the same decoder with the fixed
 * context {@code c = tanh(h_T V)}, attention {@code NONE}), both with the paper's sizes as defaults: 620-dim
 * embeddings, 1000 hidden units, maxout 500, attention size 1000, and the paper's optimiser Adadelta (ε = 1e-6,
 * ρ = 0.95); clip the global gradient norm at 1 with {@link org.recurrent4j.train.GlobalNormClipping} during
 * training. Every size is settable; {@link #luong(Attention)} gives Luong et al. (2015)'s decoder (input feeding,
 * attentional output {@code tanh(W_c[c; h])}).
 */
public final class Seq2SeqBuilder {
    /** graph input: source ids [mb, 1, Tx] */
    public static final String SOURCE = "source";
    /** graph input: target-input ids [mb, 1, Ty] (&lt;s&gt; y1 … yn) */
    public static final String TARGET_IN = "targetIn";
    /** source embedding layer, output [mb, e, Tx] */
    public static final String SOURCE_EMBEDDING = "sourceEmbedding";
    /** target embedding layer, output [mb, e, Ty] */
    public static final String TARGET_EMBEDDING = "targetEmbedding";
    /** last (top) encoder layer, output annotations [mb, 2·encoderSize, Tx] */
    public static final String ENCODER = "encoder";
    /** the {@link AttentionDecoderVertex} */
    public static final String DECODER = "decoder";
    /** the softmax output layer [mb, Vy, Ty] */
    public static final String OUTPUT = "output";

    private int sourceVocabularySize;
    private int targetVocabularySize;
    private long embeddingSize = 620;
    private long encoderSize = 1000;
    private long decoderSize = 1000;
    private long maxoutSize = 500;
    private long attentionSize = 1000;
    private Attention attention = Attention.BAHDANAU;
    private Cell cell = Cell.GRU;
    private boolean resetAfter = false;
    private InitialState initialState = InitialState.BACKWARD_FIRST_ANNOTATION;
    private boolean inputFeeding = true;
    private int encoderLayers = 1;
    private boolean reverseSource = false;
    private double dropout = 0;
    private double labelSmoothing = 0;
    private boolean tieTargetEmbeddings = false;
    private IUpdater updater = new AdaDelta.Builder().rho(0.95).epsilon(1e-6).build();
    private long seed = 1234;
    private DataType dataType = DataType.FLOAT;

    private Seq2SeqBuilder() {
    }

    /** RNNsearch (Bahdanau et al. 2014): additive attention, Bahdanau ordering, deep maxout output. */
    public static Seq2SeqBuilder rnnSearch() {
        return new Seq2SeqBuilder();
    }

    /** RNNenc (Cho et al. 2014 as in Bahdanau et al. 2014): the same decoder with a fixed context, no attention. */
    public static Seq2SeqBuilder rnnEnc() {
        return new Seq2SeqBuilder().attention(Attention.NONE);
    }

    /**
     * Luong et al. (2015): score {@code LUONG_DOT}, {@code LUONG_GENERAL} or {@code LUONG_CONCAT}, input feeding,
     * attentional output (no maxout), zero initial state as in their paper.
     */
    public static Seq2SeqBuilder luong(Attention score) {
        if (!score.luong()) {
            throw new IllegalArgumentException("Seq2SeqBuilder.luong: score must be LUONG_DOT, LUONG_GENERAL or "
                    + "LUONG_CONCAT, got " + score);
        }
        return new Seq2SeqBuilder().attention(score).maxoutSize(0).initialState(InitialState.ZERO);
    }

    /** number of source words (ids 0 … n−1), required */
    public Seq2SeqBuilder sourceVocabularySize(int n) { sourceVocabularySize = n; return this; }
    /** number of target words (ids 0 … n−1), required */
    public Seq2SeqBuilder targetVocabularySize(int n) { targetVocabularySize = n; return this; }
    /** both vocabulary sizes from the vocabularies */
    public Seq2SeqBuilder vocabularies(Vocabulary source, Vocabulary target) {
        return sourceVocabularySize(source.size()).targetVocabularySize(target.size());
    }
    /** e, the word-embedding size of both sides (paper: 620) */
    public Seq2SeqBuilder embeddingSize(long e) { embeddingSize = e; return this; }
    /** hidden size of each direction of the encoder (paper: 1000); annotations have twice this size */
    public Seq2SeqBuilder encoderSize(long n) { encoderSize = n; return this; }
    /** n, the decoder state size (paper: 1000) */
    public Seq2SeqBuilder decoderSize(long n) { decoderSize = n; return this; }
    /** l, the deep-output maxout size (paper: 500); 0 = the decoder state feeds the softmax directly */
    public Seq2SeqBuilder maxoutSize(long l) { maxoutSize = l; return this; }
    /** hidden size of the additive scores (BAHDANAU, LUONG_CONCAT; paper: 1000) */
    public Seq2SeqBuilder attentionSize(long a) { attentionSize = a; return this; }
    /** the attention; NONE makes RNNenc */
    public Seq2SeqBuilder attention(Attention a) { attention = a; return this; }
    /** the decoder's recurrent cell (the encoder is always GRU) */
    public Seq2SeqBuilder cell(Cell c) { cell = c; return this; }
    /** GRU variant of encoder and decoder (see {@link Gru.Builder#resetAfter}); default false (the papers' form) */
    public Seq2SeqBuilder resetAfter(boolean r) { resetAfter = r; return this; }
    /** the decoder's first state (default: {@code tanh(W_s h←_1)}) */
    public Seq2SeqBuilder initialState(InitialState s) { initialState = s; return this; }
    /** Luong input feeding (ignored in the Bahdanau ordering) */
    public Seq2SeqBuilder inputFeeding(boolean f) { inputFeeding = f; return this; }
    /** number of stacked bidirectional encoder layers (default 1) */
    public Seq2SeqBuilder encoderLayers(int k) { encoderLayers = k; return this; }
    /** feed the source reversed (Sutskever et al. 2014); recorded in the {@link Seq2SeqModel} for decoding */
    public Seq2SeqBuilder reverseSource(boolean r) { reverseSource = r; return this; }
    /** drop probability (0 = none) on the embeddings, between encoder layers and before the softmax */
    public Seq2SeqBuilder dropout(double p) { dropout = p; return this; }
    /**
     * s, label smoothing of the loss (Szegedy et al. 2016): targets {@code (1 − s) onehot + s / Vy}, s spread over all
     * target words as PyTorch's {@code label_smoothing}; default 0 = none (see {@link SoftmaxCrossEntropy})
     */
    public Seq2SeqBuilder labelSmoothing(double s) { labelSmoothing = s; return this; }
    /**
     * One matrix E [Vy, e] for the target embeddings and the output weights (Press &amp; Wolf 2017; OpenNMT-py's
     * {@code -share_decoder_embeddings}): the decoder vertex ({@link TiedEmbeddingDecoderVertex}) reads the target
     * ids, embeds them with E and outputs the logits {@code o Eᵀ + b}; a parameter-free {@link RnnLossLayer} applies
     * the softmax and the loss. Needs the decoder's output size (maxoutSize, or decoderSize without maxout) equal to
     * embeddingSize; saves Vy·e parameters. Not with dropout. Default false.
     */
    public Seq2SeqBuilder tieTargetEmbeddings(boolean t) { tieTargetEmbeddings = t; return this; }
    /** the optimiser (default Adadelta ρ = 0.95, ε = 1e-6, as the paper) */
    public Seq2SeqBuilder updater(IUpdater u) { updater = u; return this; }
    /** the seed of parameter initialisation (and of DL4J's dropout) */
    public Seq2SeqBuilder seed(long s) { seed = s; return this; }
    /** FLOAT (default) or DOUBLE (gradient checks) */
    public Seq2SeqBuilder dataType(DataType d) { dataType = d; return this; }

    /** @return whether the source is fed reversed */
    public boolean isReverseSource() { return reverseSource; }

    /** @return the graph configuration (JSON-serialisable) */
    public ComputationGraphConfiguration buildConfiguration() {
        validate();
        ComputationGraphConfiguration.GraphBuilder g = new NeuralNetConfiguration.Builder()
                .seed(seed).dataType(dataType).updater(updater).weightInit(WeightInit.XAVIER)
                .graphBuilder()
                .addInputs(SOURCE, TARGET_IN)
                .addLayer(SOURCE_EMBEDDING, embedding(sourceVocabularySize), SOURCE);
        if (!tieTargetEmbeddings) {
            g.addLayer(TARGET_EMBEDDING, embedding(targetVocabularySize), TARGET_IN);
        }
        String below = SOURCE_EMBEDDING;
        for (int k = 0; k < encoderLayers; k++) {
            String name = k == encoderLayers - 1 ? ENCODER : ENCODER + k;
            long nIn = k == 0 ? embeddingSize : 2 * encoderSize;
            Gru.Builder gru = new Gru.Builder().nIn(nIn).nOut(encoderSize).resetAfter(resetAfter);
            if (dropout > 0) {
                gru.dropOut(1 - dropout);                    // DL4J's dropOut takes the retain probability
            }
            g.addLayer(name, new Bidirectional(Bidirectional.Mode.CONCAT, gru.build()), below);
            below = name;
        }
        AttentionDecoderVertex.Builder decoderBuilder = tieTargetEmbeddings
                ? new TiedEmbeddingDecoderVertex.Builder().vocabularySize(targetVocabularySize)
                : new AttentionDecoderVertex.Builder();
        AttentionDecoderVertex decoder = decoderBuilder
                .embeddingSize(embeddingSize).annotationSize(2 * encoderSize).nOut(decoderSize)
                .cell(cell).resetAfter(resetAfter).attention(attention).attentionSize(attentionSize)
                .inputFeeding(inputFeeding).initialState(initialState).maxoutSize(maxoutSize).build();
        if (tieTargetEmbeddings) {
            g.addVertex(DECODER, decoder, TARGET_IN, ENCODER);
            RnnLossLayer loss = new RnnLossLayer.Builder(SoftmaxCrossEntropy.sparse().labelSmoothing(labelSmoothing))
                    .activation(Activation.SOFTMAX).dataFormat(RNNFormat.NCW).build();
            return g.addLayer(OUTPUT, loss, DECODER).setOutputs(OUTPUT).build();
        }
        g.addVertex(DECODER, decoder, TARGET_EMBEDDING, ENCODER);
        RnnOutputLayer.Builder out = new RnnSoftmaxOutput.Builder(SoftmaxCrossEntropy.sparse().labelSmoothing(labelSmoothing))
                .nIn(decoder.outputSize()).nOut(targetVocabularySize).dataFormat(RNNFormat.NCW);
        if (dropout > 0) {
            out.dropOut(1 - dropout);
        }
        g.addLayer(OUTPUT, out.build(), DECODER).setOutputs(OUTPUT);
        return g.build();
    }

    /** @return a new, initialised model for these vocabularies (their sizes override the configured ones) */
    public Seq2SeqModel build(Vocabulary source, Vocabulary target) {
        vocabularies(source, target);
        ComputationGraph graph = new ComputationGraph(buildConfiguration());
        graph.init();
        return new Seq2SeqModel(graph, source, target, reverseSource, describe());
    }

    /** @return the settings as text properties (kept in the saved model, printed in results) */
    public Map<String, String> describe() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("attention", attention.name());
        m.put("cell", cell.name());
        m.put("resetAfter", Boolean.toString(resetAfter));
        m.put("embeddingSize", Long.toString(embeddingSize));
        m.put("encoderSize", Long.toString(encoderSize));
        m.put("encoderLayers", Integer.toString(encoderLayers));
        m.put("decoderSize", Long.toString(decoderSize));
        m.put("maxoutSize", Long.toString(maxoutSize));
        m.put("attentionSize", Long.toString(attentionSize));
        m.put("initialState", initialState.name());
        m.put("inputFeeding", Boolean.toString(inputFeeding));
        m.put("reverseSource", Boolean.toString(reverseSource));
        m.put("dropout", Double.toString(dropout));
        if (labelSmoothing != 0) {
            m.put("labelSmoothing", Double.toString(labelSmoothing));
        }
        if (tieTargetEmbeddings) {
            m.put("tieTargetEmbeddings", "true");
        }
        m.put("updater", updater.getClass().getSimpleName());
        m.put("seed", Long.toString(seed));
        return m;
    }

    private EmbeddingSequenceLayer embedding(int vocabularySize) {
        EmbeddingSequenceLayer.Builder b = new EmbeddingSequenceLayer.Builder().nIn(vocabularySize).nOut(embeddingSize)
                .hasBias(false).outputDataFormat(RNNFormat.NCW);
        if (dropout > 0) {
            b.dropOut(1 - dropout);
        }
        return b.build();
    }

    private void validate() {
        require(sourceVocabularySize > Vocabulary.SPECIALS.size(), "sourceVocabularySize",
                "> " + Vocabulary.SPECIALS.size() + " (the special tokens plus at least one word)", sourceVocabularySize);
        require(targetVocabularySize > Vocabulary.SPECIALS.size(), "targetVocabularySize",
                "> " + Vocabulary.SPECIALS.size() + " (the special tokens plus at least one word)", targetVocabularySize);
        require(embeddingSize > 0, "embeddingSize", "> 0", embeddingSize);
        require(encoderSize > 0, "encoderSize", "> 0", encoderSize);
        require(decoderSize > 0, "decoderSize", "> 0", decoderSize);
        require(maxoutSize >= 0, "maxoutSize", ">= 0", maxoutSize);
        require(encoderLayers >= 1, "encoderLayers", ">= 1", encoderLayers);
        require(dropout >= 0 && dropout < 1, "dropout", "in [0, 1)", dropout);
        require(labelSmoothing >= 0 && labelSmoothing <= 1, "labelSmoothing", "in [0, 1]", labelSmoothing);
        if (tieTargetEmbeddings) {
            long outputSize = maxoutSize > 0 ? maxoutSize : decoderSize;
            require(outputSize == embeddingSize, "the decoder's output size (" + (maxoutSize > 0 ? "maxoutSize"
                    : "decoderSize, without maxout") + ") with tieTargetEmbeddings", "embeddingSize = " + embeddingSize
                    + " (the output weights are the target embeddings)", outputSize);
            require(dropout == 0, "dropout with tieTargetEmbeddings", "0 (the tied decoder has no dropout)", dropout);
        }
        if (updater == null) {
            throw new IllegalArgumentException("Seq2SeqBuilder: updater must not be null");
        }
    }

    private static void require(boolean ok, String option, String expected, Object actual) {
        if (!ok) {
            throw new IllegalArgumentException("Seq2SeqBuilder: " + option + " must be " + expected + ", got " + actual);
        }
    }
}
