package org.recurrent4j.data.parallel;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.graph.rnn.DuplicateToTimeSeriesVertex;
import org.deeplearning4j.nn.conf.graph.rnn.LastTimeStepVertex;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;
import org.nd4j.linalg.lossfunctions.impl.LossSparseMCXENT;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The batch layout of {@link Seq2SeqIterator} works with DL4J 1.0.0-M2.1 as documented: {@code [mb, 1, T]}
 * ids feed {@code EmbeddingSequenceLayer}, and {@code [mb, 1, T]} class-index labels with {@code LossSparseMCXENT}
 * give exactly the loss of one-hot labels with {@code LossMCXENT} (DL4J's dense loss as the reference),
 * masked steps excluded.
 */
class Seq2SeqDl4jCompatibilityTest {

    private static final int SOURCE_VOCAB = 9;
    private static final int TARGET_VOCAB = 7;

    private static ComputationGraph graph(ILossFunction loss) {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(7).dataType(DataType.DOUBLE).updater(new Adam(0.05))
                .graphBuilder()
                .addInputs("source", "targetIn")
                .addLayer("srcEmb", new EmbeddingSequenceLayer.Builder().nIn(SOURCE_VOCAB).nOut(5).build(), "source")
                .addLayer("encoder", new LSTM.Builder().nIn(5).nOut(6).activation(Activation.TANH).build(), "srcEmb")
                .addVertex("summary", new LastTimeStepVertex("source"), "encoder")
                .addLayer("tgtEmb", new EmbeddingSequenceLayer.Builder().nIn(TARGET_VOCAB).nOut(5).build(), "targetIn")
                .addVertex("context", new DuplicateToTimeSeriesVertex("targetIn"), "summary")
                .addVertex("decoderIn", new MergeVertex(), "tgtEmb", "context")
                .addLayer("decoder", new LSTM.Builder().nIn(11).nOut(6).activation(Activation.TANH).build(), "decoderIn")
                .addLayer("out", new RnnOutputLayer.Builder(loss).nIn(6).nOut(TARGET_VOCAB)
                        // without setInputTypes DL4J leaves the format null and backprop then reads labels as NWC
                        .dataFormat(RNNFormat.NCW)
                        .activation(Activation.SOFTMAX).build(), "decoder")
                .setOutputs("out")
                .build();
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        return g;
    }

    private static MultiDataSet batch() {
        List<EncodedPair> pairs = List.of(
                new EncodedPair(0, new int[]{4, 5, 6}, new int[]{4, 5}),
                new EncodedPair(1, new int[]{7}, new int[]{6, 4, 5, 6}),
                new EncodedPair(2, new int[]{8, 4, 1, 5, 6}, new int[]{1}));
        MultiDataSet mds = Seq2SeqIterator.toMultiDataSet(pairs);
        for (int i = 0; i < mds.getFeatures().length; i++) {
            mds.getFeatures()[i] = mds.getFeatures(i).castTo(DataType.DOUBLE);
            mds.getFeaturesMaskArrays()[i] = mds.getFeaturesMaskArray(i).castTo(DataType.DOUBLE);
        }
        mds.setLabels(0, mds.getLabels(0).castTo(DataType.DOUBLE));
        mds.setLabelsMaskArray(0, mds.getLabelsMaskArray(0).castTo(DataType.DOUBLE));
        return mds;
    }

    /** One-hot [mb, V, T] from class indices [mb, 1, T], by a plain loop. */
    private static INDArray oneHot(INDArray indices, int classes) {
        long mb = indices.size(0);
        long t = indices.size(2);
        INDArray out = Nd4j.zeros(DataType.DOUBLE, mb, classes, t);
        for (int r = 0; r < mb; r++) {
            for (int s = 0; s < t; s++) {
                out.putScalar(new long[]{r, indices.getInt(r, 0, s), s}, 1.0);
            }
        }
        return out;
    }

    @Test
    void sparseLabelsScoreLikeOneHotLabelsWithMasks() {
        MultiDataSet sparse = batch();
        ComputationGraph sparseNet = graph(new LossSparseMCXENT());
        ComputationGraph denseNet = graph(new LossMCXENT());
        denseNet.setParams(sparseNet.params().dup());

        MultiDataSet dense = batch();
        dense.setLabels(0, oneHot(sparse.getLabels(0), TARGET_VOCAB));

        double sparseScore = sparseNet.score(sparse);
        double denseScore = denseNet.score(dense);
        assertTrue(sparseScore > 0);
        assertEquals(denseScore, sparseScore, 1e-10);

        // a padded step's label does not count: change it, the score stays
        MultiDataSet changed = batch();
        assertEquals(0.0, changed.getLabelsMaskArray(0).getDouble(2, 3));
        changed.getLabels(0).putScalar(new long[]{2, 0, 3}, 5.0);
        assertEquals(sparseScore, sparseNet.score(changed), 1e-12);
        // a real step's label does
        changed.getLabels(0).putScalar(new long[]{2, 0, 1}, 5.0);
        assertTrue(Math.abs(sparseScore - sparseNet.score(changed)) > 1e-6);
    }

    @Test
    void trainsOnIteratorBatches() {
        MultiDataSet mds = batch();
        ComputationGraph net = graph(new LossSparseMCXENT());
        double before = net.score(mds);
        for (int i = 0; i < 30; i++) {
            net.fit(mds);
        }
        double after = net.score(mds);
        assertTrue(after < 0.5 * before, "score " + before + " -> " + after);
        INDArray out = net.output(false, mds.getFeatures(), mds.getFeaturesMaskArrays(), mds.getLabelsMaskArrays())[0];
        assertEquals(List.of(3L, (long) TARGET_VOCAB, 5L), List.of(out.size(0), out.size(1), out.size(2)));
    }
}
