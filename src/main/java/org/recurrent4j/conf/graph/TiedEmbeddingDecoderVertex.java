package org.recurrent4j.conf.graph;

import java.util.Objects;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.inputs.InvalidInputTypeException;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.recurrent4j.nn.graph.TiedEmbeddingDecoderGraphVertex;
import org.recurrent4j.nn.params.TiedDecoderLayout;

/**
 * An {@link AttentionDecoderVertex} whose target embeddings and output projection are one parameter (Press &amp; Wolf
 * 2017; OpenNMT-py's {@code -share_decoder_embeddings}, JoeyNMT's {@code tied_softmax}): the vertex owns
 * E [Vy, e] and reads the previous target words' ids itself.
 * <pre>
 *   x_t = E[y_{t−1}]                      the step's input (zero at masked steps)
 *   o_t = decoder step (x_t, annotations)  size outputSize() = l (maxout) or n; must equal e
 *   z_t = o_t Eᵀ + bo                      the logits [mb, Vy, Ty], to a parameter-free softmax loss layer
 * </pre>
 * Inputs {@code targetIds} [mb, 1, Ty] (word ids) and {@code annotations} [mb, dh, Tx]; parameters the decoder's
 * ({@link AttentionDecoderVertex}), then {@code E} [Vy, e] and {@code bo} [1, Vy] ({@link TiedDecoderLayout}).
 *
 * <p>Why one vertex: DL4J 1.0.0-M2.1 gives each layer and vertex its own slice of the graph's flat parameter and
 * gradient vectors, and its {@code EmbeddingSequenceLayer} overwrites its gradient slice, so an embedding layer and
 * an output layer cannot share a matrix. The lookup feeds the decoder and the decoder feeds the projection, so the
 * only place both uses can live is the decoder itself; then E is one array, updated once per step with the sum of
 * both uses' gradients, and the model has Vy·e parameters fewer than with an embedding layer and an output layer.
 */
public class TiedEmbeddingDecoderVertex extends AttentionDecoderVertex {
    private long vocabularySize;

    /** For JSON deserialisation; use the {@link Builder}. */
    public TiedEmbeddingDecoderVertex() {
    }

    /** Checks the options: the decoder's, Vy &gt; 0, and that the decoder's output size equals the embedding size. */
    @Override
    public void validate() {
        super.validate();
        if (vocabularySize <= 0) {
            throw new IllegalArgumentException(describe() + ": vocabularySize must be > 0; got " + vocabularySize);
        }
        if (outputSize() != getEmbeddingSize()) {
            throw new IllegalArgumentException(describe() + ": tied target embeddings need the decoder's output size "
                    + "(" + (getMaxoutSize() > 0 ? "maxoutSize " : "nOut ") + outputSize() + ") to equal embeddingSize ("
                    + getEmbeddingSize() + "): the output projection is the embedding matrix E [Vy, e]");
        }
    }

    /** @return the decoder's parameters, then E [Vy, e] and bo [1, Vy] */
    @Override
    public TiedDecoderLayout paramLayout() {
        return new TiedDecoderLayout(decoderLayout(), vocabularySize);
    }

    @Override
    public String[] inputNames() {
        return new String[] {"targetIds", "annotations"};
    }

    @Override
    protected org.deeplearning4j.nn.graph.vertex.GraphVertex newGraphVertex(ComputationGraph graph, String name,
                                                                             int idx, INDArray paramsView,
                                                                             boolean initializeParams,
                                                                             DataType dataType) {
        return new TiedEmbeddingDecoderGraphVertex(this, paramLayout(), createDecoder(), getMaxTargetLength(), graph,
                name, idx, paramsView, initializeParams, dataType);
    }

    /** @return logits [mb, Vy, Ty] */
    @Override
    public InputType getOutputType(int layerIndex, InputType... in) throws InvalidInputTypeException {
        if (in.length != 2) {
            throw new InvalidInputTypeException(describe() + ": expected 2 inputs (targetIds, annotations); got "
                    + in.length);
        }
        long ty = in[0] instanceof InputType.InputTypeRecurrent r ? r.getTimeSeriesLength() : -1;
        return InputType.recurrent(vocabularySize, ty);
    }

    public long getVocabularySize() { return vocabularySize; }
    public void setVocabularySize(long v) { vocabularySize = v; layoutChanged(); }

    @Override
    public boolean equals(Object o) {
        return o instanceof TiedEmbeddingDecoderVertex d && vocabularySize == d.vocabularySize && super.equals(o);
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), vocabularySize);
    }

    /** DL4J-style builder: the decoder's options, and Vy. */
    public static class Builder extends AttentionDecoderVertex.Builder {
        private final TiedEmbeddingDecoderVertex tied;

        public Builder() {
            this(new TiedEmbeddingDecoderVertex());
        }

        private Builder(TiedEmbeddingDecoderVertex tied) {
            super(tied);
            this.tied = tied;
        }

        /** Vy, the number of target words (rows of E) */
        public Builder vocabularySize(long v) { tied.vocabularySize = v; return this; }

        @Override
        public TiedEmbeddingDecoderVertex build() {
            return (TiedEmbeddingDecoderVertex) super.build();
        }
    }
}
