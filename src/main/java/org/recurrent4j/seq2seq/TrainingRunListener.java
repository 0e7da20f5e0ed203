package org.recurrent4j.seq2seq;

/**
 * Told what one {@link Seq2SeqTrainer#train()} run does: its start, every update, every dev evaluation and its end.
 * Every method does nothing unless overridden. Register with {@link Seq2SeqTrainer.Builder#runListeners}; the
 * command line's progress bar is one.
 */
public interface TrainingRunListener {

    /**
     * The run starts.
     *
     * @param firstUpdate    the model's update count before the run's first update
     * @param plannedUpdates the updates the epoch and update limits allow, or −1 when only time or early stopping
     *                       limit the run
     */
    default void runStarted(long firstUpdate, long plannedUpdates) {
    }

    /** An update is done. */
    default void updateDone(Seq2SeqTrainer.UpdateReport report) {
    }

    /** A dev evaluation is done. */
    default void evaluated(Seq2SeqTrainer.Evaluation evaluation) {
    }

    /** The run ends, normally or by an exception (called before the final checkpoint). */
    default void runEnded() {
    }
}
