package org.recurrent4j.seq2seq;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.recurrent4j.data.parallel.EncodedPair;

/**
 * Checks that training and dev data are ids of the model's vocabularies: ids beyond them mean the data was encoded
 * with other vocabularies, which the graph's embeddings would not catch clearly.
 */
final class TrainingIds {
    private TrainingIds() {
    }

    /** @throws IllegalArgumentException if the minibatch has ids beyond the model's vocabularies */
    static void checkBatch(Seq2SeqModel model, MultiDataSet batch) {
        checkIds(batch.getFeatures(0), model.sourceVocabulary().size(), "source");
        checkIds(batch.getLabels(0), model.targetVocabulary().size(), "target");
    }

    private static void checkIds(INDArray ids, int vocabularySize, String side) {
        double max = ids.maxNumber().doubleValue();
        if (max >= vocabularySize) {
            throw new IllegalArgumentException("Seq2SeqTrainer: the training data has " + side + " id " + (long) max
                    + " but the model's " + side + " vocabulary has " + vocabularySize + " words; encode the data with "
                    + "the model's vocabularies");
        }
    }

    /** @throws IllegalArgumentException if a pair has an id that is not a row of the graph's embeddings */
    static void checkPairs(Seq2SeqModel model, List<EncodedPair> pairs, String what) {
        int sourceSize = model.sourceVocabulary().size();
        int targetSize = model.targetVocabulary().size();
        for (EncodedPair p : pairs) {
            for (int id : p.source()) {
                if (id < 0 || id >= sourceSize) {
                    throw new IllegalArgumentException("Seq2SeqTrainer: " + what + " pair " + p.index() + " has source id "
                            + id + "; expected ids in [0, " + sourceSize + ") of the model's source vocabulary");
                }
            }
            for (int id : p.target()) {
                if (id < 0 || id >= targetSize) {
                    throw new IllegalArgumentException("Seq2SeqTrainer: " + what + " pair " + p.index() + " has target id "
                            + id + "; expected ids in [0, " + targetSize + ") of the model's target vocabulary");
                }
            }
        }
    }
}
