package org.recurrent4j.experiment;

import org.recurrent4j.seq2seq.Seq2SeqModel;

/**
 * A model after training.
 *
 * @param spec     which of the four models
 * @param model    the trained model
 * @param training what training cost
 */
public record TrainedModel(ModelSpec spec, Seq2SeqModel model, TrainingStats training) {
}
