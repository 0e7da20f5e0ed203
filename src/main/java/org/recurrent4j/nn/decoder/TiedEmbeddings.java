package org.recurrent4j.nn.decoder;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.recurrent4j.compute.Buffers;
import org.recurrent4j.compute.ComputeEngine;
import org.recurrent4j.compute.Matrix;
import org.recurrent4j.nn.engine.Engines;
import org.recurrent4j.nn.engine.Nd4jViews;
import org.recurrent4j.nn.layers.CellSequence;

/**
 * The two uses of one target-embedding matrix E [Vy, e] around a decoder (Press &amp; Wolf 2017): the lookup of the
 * previous word's embedding that a step reads, {@code x_t = E[y_{t−1}]}, and the output projection of the step's
 * output o_t (size e), {@code z_t = o_t Eᵀ + bo}. Backward, E's gradient is the sum of both uses' gradients,
 * <pre>
 *   dE = Σ_t dz_tᵀ o_t  +  Σ_t onehot(y_{t−1})ᵀ dx_t
 * </pre>
 * the first from the projection, the second the lookup's scatter-add of the decoder's input gradient into the rows
 * of the words read. Sequences are NCW [mb, size, T]; the math works on their time-major rows ({@code t·mb + i}) on
 * the compute engine. Masked steps read no row (their embedding is zero, as DL4J's {@code EmbeddingSequenceLayer}
 * makes it) and add nothing to dE through the lookup. Not thread-safe (reused copy memory), one per vertex.
 */
public final class TiedEmbeddings {
    private final ComputeEngine engine = Engines.current();
    private final Buffers copies = new Buffers(engine);

    private enum Copy { OUTPUTS, LOGIT_GRADIENTS, EMBEDDING_GRADIENTS }

    /**
     * @param ids  per time-major row {@code t·mb + i} the word id that example i reads at step t, or −1 (masked)
     * @param mb   the minibatch size
     * @return the embeddings of the ids [mb, e, T] (zero where the id is −1)
     */
    public INDArray embed(INDArray embeddings, long[] ids, long mb) {
        long steps = ids.length / mb;
        INDArray x = CellSequence.newSequence(embeddings.dataType(), mb, embeddings.size(1), steps);   // [mb, e, T]
        engine.gatherRows(Nd4jViews.matrix(embeddings), ids, Nd4jViews.timeMajor(x));
        Nd4jViews.written(x);
        return x;
    }

    /**
     * @param outputs the decoder's outputs o [mb, e, T]
     * @return the logits {@code z = o Eᵀ + bo} [mb, Vy, T]
     */
    public INDArray logits(INDArray embeddings, INDArray bias, INDArray outputs) {
        DataType type = embeddings.dataType();
        long mb = outputs.size(0);
        long steps = outputs.size(2);
        INDArray z = CellSequence.newSequence(type, mb, embeddings.size(0), steps);        // [mb, Vy, T]
        Matrix zRows = Nd4jViews.timeMajor(z);                                            // [T·mb, Vy]
        Matrix o = Nd4jViews.timeMajorOrCopy(outputs, copies, Copy.OUTPUTS.ordinal());    // [T·mb, e]
        engine.gemm(1, o, false, Nd4jViews.matrix(embeddings), true, 0, zRows);
        engine.addRowVector(Nd4jViews.matrix(bias), zRows);
        java.lang.ref.Reference.reachabilityFence(outputs);
        Nd4jViews.written(z);
        return z;
    }

    /**
     * The projection's backward pass: {@code dE = Σ dzᵀ o} and {@code dbo = Σ dz} are written (overwritten) into the
     * gradient views.
     *
     * @param outputs   the decoder's outputs o [mb, e, T] of the forward pass
     * @param dLogits   dL/dz [mb, Vy, T], of E's data type
     * @param dEmbeddings E's gradient view [Vy, e]
     * @param dBias     bo's gradient view [1, Vy]
     * @return dL/do [mb, e, T], the gradient the decoder's backward pass starts from
     */
    public INDArray projectionBackward(INDArray embeddings, INDArray outputs, INDArray dLogits, INDArray dEmbeddings,
                                       INDArray dBias) {
        long mb = outputs.size(0);
        long steps = outputs.size(2);
        Matrix dz = Nd4jViews.timeMajorOrCopy(dLogits, copies, Copy.LOGIT_GRADIENTS.ordinal());     // [T·mb, Vy]
        Matrix o = Nd4jViews.timeMajorOrCopy(outputs, copies, Copy.OUTPUTS.ordinal());    // [T·mb, e]
        engine.gemm(1, dz, true, o, false, 0, Nd4jViews.matrix(dEmbeddings));             // [Vy, e]
        engine.columnSums(dz, 0, Nd4jViews.matrix(dBias));                                // [1, Vy]
        INDArray dOutputs = CellSequence.newSequence(embeddings.dataType(), mb, embeddings.size(1), steps);
        engine.gemm(1, dz, false, Nd4jViews.matrix(embeddings), false, 0, Nd4jViews.timeMajor(dOutputs));  // [T·mb, e]
        java.lang.ref.Reference.reachabilityFence(outputs);
        java.lang.ref.Reference.reachabilityFence(dLogits);
        Nd4jViews.written(dOutputs, dEmbeddings, dBias);
        return dOutputs;
    }

    /**
     * The lookup's backward pass: adds row r of dL/dx to row {@code ids[r]} of E's gradient.
     *
     * @param ids         as given to {@link #embed}
     * @param dInputs     dL/dx [mb, e, T], the decoder's gradient at its inputs
     * @param dEmbeddings E's gradient view [Vy, e], added to
     */
    public void lookupBackward(long[] ids, INDArray dInputs, INDArray dEmbeddings) {
        Matrix dx = Nd4jViews.timeMajorOrCopy(dInputs, copies, Copy.EMBEDDING_GRADIENTS.ordinal());    // [T·mb, e]
        engine.scatterAddRows(dx, ids, Nd4jViews.matrix(dEmbeddings));
        java.lang.ref.Reference.reachabilityFence(dInputs);
        Nd4jViews.written(dEmbeddings);
    }
}
