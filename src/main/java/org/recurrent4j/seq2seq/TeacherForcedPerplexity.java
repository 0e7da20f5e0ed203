package org.recurrent4j.seq2seq;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.recurrent4j.data.parallel.EncodedPair;
import org.recurrent4j.data.parallel.Seq2SeqIterator;

/**
 * Teacher-forced cross-entropy of a translation model on held-out pairs: the sum over every real target position
 * (each target word and the closing {@code </s>}) of {@code −ln p(y_t | y_<t, x)}, divided by the number of those
 * positions; perplexity is its exponential. Inference mode (no dropout). Pairs are batched in order of length to
 * keep padding small; the result does not depend on the batching.
 *
 * @param crossEntropy mean negative log-likelihood per target token, in nats
 * @param tokens       the number of target tokens it averages over
 */
public record TeacherForcedPerplexity(double crossEntropy, long tokens) {

    /** @return {@code exp(crossEntropy)} */
    public double perplexity() {
        return Math.exp(crossEntropy);
    }

    /**
     * @param graph     a graph with the layout of {@link Seq2SeqBuilder}
     * @param pairs     the held-out pairs (ids of the graph's vocabularies), non-empty
     * @param batchSize rows per forward pass
     */
    public static TeacherForcedPerplexity evaluate(ComputationGraph graph, List<EncodedPair> pairs, int batchSize) {
        if (pairs == null || pairs.isEmpty()) {
            throw new IllegalArgumentException("TeacherForcedPerplexity: pairs must be non-empty");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("TeacherForcedPerplexity: batchSize must be >= 1, got " + batchSize);
        }
        List<EncodedPair> sorted = new ArrayList<>(pairs);
        sorted.sort(Comparator.<EncodedPair>comparingInt(p -> p.target().length).thenComparingInt(p -> p.source().length));
        double sum = 0;
        long tokens = 0;
        for (int start = 0; start < sorted.size(); start += batchSize) {
            MultiDataSet batch = Seq2SeqIterator.toMultiDataSet(sorted.subList(start, Math.min(sorted.size(), start + batchSize)));
            INDArray probabilities = graph.output(false, batch.getFeatures(), batch.getFeaturesMaskArrays(),
                    batch.getLabelsMaskArrays())[0];                                      // [mb, Vy, Ty]
            float[][] labels = batch.getLabels(0).reshape(probabilities.size(0), probabilities.size(2)).toFloatMatrix();
            float[][] mask = batch.getLabelsMaskArray(0).toFloatMatrix();                 // [mb, Ty]
            for (int b = 0; b < labels.length; b++) {
                for (int t = 0; t < labels[b].length; t++) {
                    if (mask[b][t] != 0) {
                        sum -= Math.log(probabilities.getDouble(b, (long) labels[b][t], t));
                        tokens++;
                    }
                }
            }
        }
        return new TeacherForcedPerplexity(sum / tokens, tokens);
    }
}
