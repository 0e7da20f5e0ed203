package org.recurrent4j.nn.graph;

import java.util.Arrays;
import java.util.Map;
import org.deeplearning4j.nn.api.TrainingConfig;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.recurrent4j.nn.decoder.AttentionDecoder;
import org.recurrent4j.nn.decoder.TiedEmbeddings;
import org.recurrent4j.nn.params.TiedDecoderLayout;

/**
 * The implementation of {@code conf.graph.TiedEmbeddingDecoderVertex}: an {@link AttentionDecoderGraphVertex} that
 * owns the target embeddings E [Vy, e] and uses them twice ({@link TiedEmbeddings}): inputs {@code targetIds}
 * [mb, 1, Ty] (or [mb, Ty]; the previous target words, as {@code EmbeddingSequenceLayer} reads them) and
 * {@code annotations} [mb, dh, Tx] with their masks; the decoder runs on {@code x_t = E[y_{t−1}]} and the vertex
 * outputs the logits {@code z_t = o_t Eᵀ + bo} [mb, Vy, Ty] (a parameter-free loss layer applies the softmax), with
 * the target mask. E's gradient is the sum of the projection's and the lookup's.
 *
 * <p>Step-wise decoding uses {@link #encode}, {@link #step} (on {@link #embeddings()} rows) and the same
 * {@link #embeddings()} and {@link #outputBias()} for the output distribution.
 */
public class TiedEmbeddingDecoderGraphVertex extends AttentionDecoderGraphVertex {
    private final TiedEmbeddings tied = new TiedEmbeddings();
    private final long vocabularySize;

    public TiedEmbeddingDecoderGraphVertex(TrainingConfig config, TiedDecoderLayout layout, AttentionDecoder decoder,
                                           long maxTargetLength, ComputationGraph graph, String name, int index,
                                           INDArray paramsView, boolean initializeParams, DataType dataType) {
        super(config, layout, decoder, maxTargetLength, graph, name, index, paramsView, initializeParams, dataType);
        this.vocabularySize = layout.vocabularySize();
    }

    /** @return E [Vy, e], the target embeddings and output weights (a view of the graph's parameters) */
    public INDArray embeddings() {
        return paramTable(false).get(TiedDecoderLayout.EMBEDDINGS);
    }

    /** @return bo [1, Vy], the output bias (a view of the graph's parameters) */
    public INDArray outputBias() {
        return paramTable(false).get(TiedDecoderLayout.OUTPUT_BIAS);
    }

    /** @return the embeddings of the target ids [mb, e, Ty], zero at masked steps */
    @Override
    protected INDArray decoderInput() {
        return tied.embed(embeddings(), rowIds(), inputs[0].size(0));
    }

    @Override
    protected INDArray forwardOutsideWorkspaces(boolean training) {
        INDArray outputs = super.forwardOutsideWorkspaces(training);                     // [mb, e, Ty]
        return tied.logits(embeddings(), outputBias(), outputs);                         // [mb, Vy, Ty]
    }

    @Override
    protected INDArray[] backwardOutsideWorkspaces(Map<String, INDArray> grads) {
        AttentionDecoder.Forward f = trainingForward();
        long[] ids = rowIds();
        INDArray y = inputs[0];
        VertexChecks.epsilon(epsilon, describe(), y.size(0), vocabularySize, f.outputs.size(2));
        INDArray dEmbeddings = grads.get(TiedDecoderLayout.EMBEDDINGS);
        INDArray dLogits = epsilon.castTo(dataType);
        INDArray dOutputs = tied.projectionBackward(embeddings(), f.outputs, dLogits,
                dEmbeddings, grads.get(TiedDecoderLayout.OUTPUT_BIAS));                  // [mb, e, Ty]
        java.lang.ref.Reference.reachabilityFence(dLogits);
        AttentionDecoder.InputGradients d = decoderBackward(f, dOutputs, TiedDecoderLayout.decoderParams(grads));
        tied.lookupBackward(ids, d.embeddings(), dEmbeddings);
        return new INDArray[] {Nd4j.zeros(dataType, y.shape()), d.annotations()};      // word ids have no gradient
    }

    /**
     * @return per time-major row {@code t·mb + i} the word id example i reads at step t, −1 at masked steps
     * @throws IllegalArgumentException naming the vertex, example and step of an id that is not a word of [0, Vy)
     */
    private long[] rowIds() {
        String id = describe();
        INDArray y = inputs[0];
        boolean rank3 = y.rank() == 3 && y.size(1) == 1;
        if (!rank3 && y.rank() != 2) {
            throw new IllegalArgumentException(id + ": input 'targetIds' must be word ids [minibatch, 1, time] or "
                    + "[minibatch, time]; got shape " + Arrays.toString(y.shape()));
        }
        long mb = y.size(0);
        long steps = rank3 ? y.size(2) : y.size(1);
        VertexChecks.mask(mask(0), id, "targetIds", mb, steps);
        double[][] words = y.reshape('c', mb, steps).toDoubleMatrix();                    // [mb, Ty]
        double[][] mask = mask(0) == null ? null : mask(0).toDoubleMatrix();              // [mb, Ty]
        long[] rows = new long[(int) (mb * steps)];
        for (int t = 0; t < steps; t++) {
            for (int i = 0; i < mb; i++) {
                double w = words[i][t];
                boolean real = mask == null || mask[i][t] != 0;
                if (real && (w != Math.rint(w) || w < 0 || w >= vocabularySize)) {
                    throw new IllegalArgumentException(id + ": input 'targetIds' example " + i + " step " + t
                            + " holds " + w + ", expected a word id in [0, " + vocabularySize + ")");
                }
                rows[(int) (t * mb + i)] = real ? (long) w : -1;
            }
        }
        return rows;
    }
}
