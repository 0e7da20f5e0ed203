package org.recurrent4j.seq2seq;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.indexing.SpecifiedIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The target side of one decoder step outside the graph, with the graph's own parameters: the embedding of the
 * previous word (rows of {@link Seq2SeqBuilder#TARGET_EMBEDDING}'s {@code W} [Vy, e], no bias) and the output
 * distribution {@code log softmax(out W + b)} of {@link Seq2SeqBuilder#OUTPUT} (W [nIn, Vy], b [1, Vy]), the
 * log-softmax in double precision.
 */
final class OutputDistribution {
    private final INDArray embeddings;
    private final INDArray outputWeights;
    private final INDArray outputBias;

    OutputDistribution(ComputationGraph graph) {
        this.embeddings = graph.getLayer(Seq2SeqBuilder.TARGET_EMBEDDING).getParam("W");   // [Vy, e]
        this.outputWeights = graph.getLayer(Seq2SeqBuilder.OUTPUT).getParam("W");          // [nIn, Vy]
        this.outputBias = graph.getLayer(Seq2SeqBuilder.OUTPUT).getParam("b");             // [1, Vy]
    }

    /** @return the embeddings of the given target ids [rows, e] */
    INDArray embed(int[] ids) {
        long[] rows = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            rows[i] = ids[i];
        }
        return embeddings.get(new SpecifiedIndex(rows), NDArrayIndex.all()).dup('c');
    }

    /**
     * @param decoderOutput [rows, nIn] the decoder vertex's step output
     * @return [rows, Vy] natural-log probabilities of every target word, in double precision
     */
    INDArray logProbabilities(INDArray decoderOutput) {
        INDArray logits = decoderOutput.mmul(outputWeights).addiRowVector(outputBias).castTo(DataType.DOUBLE);
        INDArray shifted = logits.subiColumnVector(logits.max(true, 1));                  // [rows, Vy]
        INDArray logSum = Transforms.log(Transforms.exp(shifted, true).sum(true, 1), false);  // [rows, 1]
        return shifted.subiColumnVector(logSum);
    }

    /** @return Vy, the target vocabulary size */
    int vocabularySize() {
        return (int) outputWeights.size(1);
    }
}
