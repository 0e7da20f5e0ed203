package org.recurrent4j.nn.graph;

import java.util.Map;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.deeplearning4j.nn.api.TrainingConfig;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.recurrent4j.compute.decoder.DecoderShape;
import org.recurrent4j.nn.decoder.AttentionDecoder;
import org.recurrent4j.nn.decoder.DecoderState;
import org.recurrent4j.nn.decoder.Encoded;
import org.recurrent4j.nn.decoder.StepResult;
import org.recurrent4j.nn.params.ParamLayout;

/**
 * The implementation of {@code conf.graph.AttentionDecoderVertex} in a {@code ComputationGraph}: inputs
 * {@code embeddings} [mb, e, Ty] and {@code annotations} [mb, dh, Tx] with their masks; output [mb, outputSize, Ty]
 * with the target mask.
 *
 * <p>Step-wise decoding (greedy or beam search) uses the same math through {@link #encode}, {@link #initialState}
 * and {@link #step}, with this vertex's current parameters.
 */
public class AttentionDecoderGraphVertex extends ParameterizedGraphVertex {
    private final AttentionDecoder decoder;
    private final DecoderShape shape;
    private final long maxTargetLength;
    private AttentionDecoder.Forward last;
    private INDArray[] lastInputs;
    private INDArray alignments;

    /**
     * @param config          the vertex configuration, as the training settings of its parameters
     * @param decoder         the decoder math (its layout gives the parameters, sizes and switches)
     * @param maxTargetLength the longest target sequence a full forward pass accepts, 0 for no limit
     */
    public AttentionDecoderGraphVertex(TrainingConfig config, AttentionDecoder decoder, long maxTargetLength,
                                       ComputationGraph graph, String name, int index, INDArray paramsView,
                                       boolean initializeParams, DataType dataType) {
        this(config, decoder.layout(), decoder, maxTargetLength, graph, name, index, paramsView, initializeParams,
                dataType);
    }

    /**
     * @param layout the vertex's parameters: the decoder's ({@code decoder.layout()}) and any a subclass adds
     */
    protected AttentionDecoderGraphVertex(TrainingConfig config, ParamLayout layout, AttentionDecoder decoder,
                                          long maxTargetLength, ComputationGraph graph, String name, int index,
                                          INDArray paramsView, boolean initializeParams, DataType dataType) {
        super(config, layout, graph, name, index, paramsView, initializeParams, dataType);
        this.decoder = decoder;
        this.shape = decoder.layout().shape();
        this.maxTargetLength = maxTargetLength;
    }

    /** @return the decoder math (no model state; reusable scratch arrays only) */
    public AttentionDecoder decoder() {
        return decoder;
    }

    /** @return the attention weights of the last forward pass [mb, Ty, Tx] (null before one, or for NONE) */
    public INDArray alignments() {
        return alignments;
    }

    /**
     * Encodes source sentences for step-wise decoding (keys projected once, initial state computed).
     *
     * @param annotations [mb, dh, Tx] the encoder's output
     * @param sourceMask  [mb, Tx] or null
     */
    public Encoded encode(INDArray annotations, INDArray sourceMask) {
        String id = describe();
        VertexChecks.sequence(annotations, id, "annotations", shape.annotationSize(), -1, -1);
        VertexChecks.mask(sourceMask, id, "annotations", annotations.size(0), annotations.size(2));
        VertexChecks.length(annotations, id, "annotations", 0, null);
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            return decoder.encode(paramTable(false), annotations.castTo(dataType),
                    sourceMask == null ? null : sourceMask.castTo(dataType));
        }
    }

    /** @return the state before the first step ({@code encoded.initialState()}) */
    public DecoderState initialState(Encoded encoded) {
        return encoded.initialState();
    }

    /**
     * One decoder step for any number of rows, e.g. sentences × beams (select rows of the {@link Encoded} and the
     * {@link DecoderState} with their {@code selectRows} to tile or reorder beams).
     *
     * @param embedding [rows, e] the embedding of each row's previous target word
     * @return the output [rows, outputSize] (the input of the output layer), the new state, the alignment [rows, Tx]
     */
    public StepResult step(Encoded encoded, DecoderState state, INDArray embedding) {
        if (embedding.rank() != 2 || embedding.size(1) != shape.embeddingSize()
                || embedding.size(0) != state.state().size(0) || encoded.size() != state.state().size(0)) {
            throw new IllegalArgumentException(describe() + ": step needs embedding [rows=" + state.state().size(0)
                    + ", e=" + shape.embeddingSize() + "] and an encoding of " + state.state().size(0)
                    + " rows; got embedding " + java.util.Arrays.toString(embedding.shape()) + ", encoding of "
                    + encoded.size() + " rows");
        }
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            return decoder.step(paramTable(false), encoded, state, embedding.castTo(dataType));
        }
    }

    @Override
    protected INDArray forwardOutsideWorkspaces(boolean training) {
        AttentionDecoder.Forward f = forward(training);
        alignments = f.alignments;
        last = training ? f : null;
        lastInputs = training ? inputs : null;
        return f.outputs;
    }

    /** @return the decoder's target-side input [mb, e, Ty]: the first vertex input */
    protected INDArray decoderInput() {
        return inputs[0];
    }

    private AttentionDecoder.Forward forward(boolean training) {
        String id = describe();
        INDArray y = decoderInput();
        INDArray h = inputs[1];
        VertexChecks.sequence(y, id, "embeddings", shape.embeddingSize(), -1, -1);
        long mb = y.size(0);
        VertexChecks.sequence(h, id, "annotations", shape.annotationSize(), mb, -1);
        VertexChecks.length(y, id, "embeddings", maxTargetLength, "maxTargetLength");
        VertexChecks.length(h, id, "annotations", 0, null);
        VertexChecks.mask(mask(0), id, "embeddings", mb, y.size(2));
        VertexChecks.mask(mask(1), id, "annotations", mb, h.size(2));
        return decoder.forward(paramTable(false), y.castTo(dataType), cast(mask(0)), h.castTo(dataType),
                cast(mask(1)), training);
    }

    private INDArray cast(INDArray mask) {
        return mask == null ? null : mask.castTo(dataType);
    }

    /** Refuses truncated backpropagation (DL4J's TruncatedBPTT, our TruncatedBptt); see AttentionDecoderVertex. */
    @Override
    public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
        if (tbptt) {
            throw new UnsupportedOperationException(describe() + ": truncated backpropagation through time (DL4J's "
                    + "BackpropType.TruncatedBPTT or org.recurrent4j.train.TruncatedBptt) is not supported: it slices every "
                    + "sequence input, the source sentence too, into the target's time windows, while the decoder attends "
                    + "over the whole source sentence and its backward pass cannot start from a carried state. Train with "
                    + "ComputationGraph.fit and BackpropType.Standard (full BPTT over the target sequence).");
        }
        return super.doBackward(false, workspaceMgr);
    }

    @Override
    protected INDArray[] backwardOutsideWorkspaces(Map<String, INDArray> grads) {
        AttentionDecoder.Forward f = trainingForward();
        VertexChecks.epsilon(epsilon, describe(), inputs[0].size(0), shape.outputSize(), inputs[0].size(2));
        AttentionDecoder.InputGradients d = decoderBackward(f, epsilon.castTo(dataType), grads);
        return new INDArray[] {d.embeddings(), d.annotations()};
    }

    /** @return the training forward pass of the current inputs: the last one, or a new one */
    protected AttentionDecoder.Forward trainingForward() {
        return last != null && lastInputs == inputs ? last : forward(true);
    }

    /**
     * @param dOutputs dL/d(decoder outputs) [mb, outputSize, Ty]
     * @param grads    the gradient views of the decoder's own parameters; overwritten
     * @return the gradients at the decoder's inputs
     */
    protected AttentionDecoder.InputGradients decoderBackward(AttentionDecoder.Forward f, INDArray dOutputs,
                                                              Map<String, INDArray> grads) {
        return decoder.backward(paramTable(false), f, dOutputs, grads);
    }

    @Override
    public void clear() {
        super.clear();
        last = null;
        lastInputs = null;
    }
}
