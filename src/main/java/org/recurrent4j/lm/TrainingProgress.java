package org.recurrent4j.lm;

import java.util.Properties;

/**
 * Where a char-rnn run stands: the position in the training stream (epoch and minibatch within it) and counters.
 * The number of updates is the network's own iteration count (saved with the model).
 *
 * @param epoch           current epoch over the training streams (0 for the first)
 * @param batchInEpoch    minibatches of the current epoch already trained on
 * @param characters      characters trained on so far (minibatch rows × steps)
 * @param trainingSeconds wall-clock seconds spent training so far, over all runs
 */
public record TrainingProgress(int epoch, int batchInEpoch, long characters, double trainingSeconds) {

    /** The start of a run. */
    public static final TrainingProgress START = new TrainingProgress(0, 0, 0, 0);

    void writeTo(Properties p) {
        p.setProperty("epoch", Integer.toString(epoch));
        p.setProperty("batchInEpoch", Integer.toString(batchInEpoch));
        p.setProperty("characters", Long.toString(characters));
        p.setProperty("trainingSeconds", Double.toString(trainingSeconds));
    }

    static TrainingProgress readFrom(Properties p) {
        return new TrainingProgress(Integer.parseInt(CharRnnSettings.get(p, "epoch")),
                Integer.parseInt(CharRnnSettings.get(p, "batchInEpoch")),
                Long.parseLong(CharRnnSettings.get(p, "characters")),
                Double.parseDouble(CharRnnSettings.get(p, "trainingSeconds")));
    }
}
