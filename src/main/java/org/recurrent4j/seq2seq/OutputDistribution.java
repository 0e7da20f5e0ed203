package org.recurrent4j.seq2seq;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.recurrent4j.compute.Buffers;
import org.recurrent4j.compute.ComputeEngine;
import org.recurrent4j.compute.Matrix;
import org.recurrent4j.compute.Precision;
import org.recurrent4j.nn.engine.Engines;
import org.recurrent4j.nn.engine.Nd4jViews;
import org.recurrent4j.nn.graph.TiedEmbeddingDecoderGraphVertex;

/**
 * The target side of one decoder step outside the graph, with the graph's own parameters: the embedding of the
 * previous word (rows of {@link Seq2SeqBuilder#TARGET_EMBEDDING}'s {@code W} [Vy, e], no bias) and the output
 * distribution {@code log softmax(out W + b)} of {@link Seq2SeqBuilder#OUTPUT} (W [nIn, Vy], b [1, Vy]): the logits
 * on the compute engine, their log-sum-exp summed in double precision, and each log-probability
 * {@code z_w − logsumexp(z)} in double precision. With tied target embeddings both are the decoder's one matrix E:
 * the embedding is a row of E and {@code W = Eᵀ}. The step's logits live in memory this object reuses from step to
 * step (a beam search over a test set would otherwise leave gigabytes of arrays to the garbage collector).
 */
final class OutputDistribution {
    private final INDArray embeddings;
    private final INDArray outputWeights;
    private final INDArray outputBias;
    private final ComputeEngine engine = Engines.current();
    private final Buffers buffers;
    private double[] logits = new double[0];
    private double[] logSumExp = new double[0];

    /** With tied target embeddings ({@link Seq2SeqModel#tiedTargetEmbeddings()}) W is Eᵀ and b the decoder's bo. */
    OutputDistribution(Seq2SeqModel model) {
        ComputationGraph graph = model.graph();
        if (model.tiedTargetEmbeddings()) {
            TiedEmbeddingDecoderGraphVertex decoder = (TiedEmbeddingDecoderGraphVertex) model.decoder();
            this.embeddings = decoder.embeddings();                                         // [Vy, e]
            this.outputWeights = decoder.embeddings().transpose();                           // [e, Vy], a view
            this.outputBias = decoder.outputBias();                                          // [1, Vy]
        } else {
            this.embeddings = graph.getLayer(Seq2SeqBuilder.TARGET_EMBEDDING).getParam("W");   // [Vy, e]
            this.outputWeights = graph.getLayer(Seq2SeqBuilder.OUTPUT).getParam("W");          // [nIn, Vy]
            this.outputBias = graph.getLayer(Seq2SeqBuilder.OUTPUT).getParam("b");             // [1, Vy]
        }
        this.buffers = new Buffers(engine);
    }

    /** @return the embeddings of the given target ids [rows, e] */
    INDArray embed(int[] ids) {
        long[] rows = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            rows[i] = ids[i];
        }
        return Nd4jViews.selectRows(embeddings, rows);
    }

    /** The log-probabilities of one step: {@code log p(w | row) = logit(row, w) − logSumExp(row)}. */
    final class Step {
        private final int vocabulary;

        private Step(int vocabulary) {
            this.vocabulary = vocabulary;
        }

        /** @return the natural-log probability of word w in row r */
        double logProbability(int r, int w) {
            return logits[r * vocabulary + w] - logSumExp[r];
        }
    }

    /**
     * @param decoderOutput [rows, nIn] the decoder vertex's step output
     * @return the log-probabilities of every target word in every row (valid until the next call)
     */
    Step logProbabilities(INDArray decoderOutput) {
        int rows = (int) decoderOutput.size(0);
        int v = vocabularySize();
        Precision p = Nd4jViews.precision(outputWeights.dataType(), "OutputDistribution");
        INDArray out = decoderOutput.castTo(outputWeights.dataType());
        Matrix z = buffers.matrix(0, p, rows, v);                                         // [rows, Vy]
        INDArray outRows = out.dup('c');                                                  // [rows, nIn]
        engine.gemm(1, Nd4jViews.matrix(outRows), false, Nd4jViews.matrix(outputWeights), false, 0, z);
        java.lang.ref.Reference.reachabilityFence(outRows);                                          // read through a view until here
        engine.addRowVector(Nd4jViews.matrix(outputBias), z);
        Matrix lse = buffers.matrix(1, p, rows, 1);
        engine.logSumExp(z, lse);
        if (logits.length < rows * v) {
            logits = new double[rows * v];
            logSumExp = new double[rows];
        }
        engine.read(z, logits);
        engine.read(lse, logSumExp);
        return new Step(v);
    }

    /** @return Vy, the target vocabulary size */
    int vocabularySize() {
        return (int) outputWeights.size(1);
    }
}
