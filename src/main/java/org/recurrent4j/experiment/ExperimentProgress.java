package org.recurrent4j.experiment;

/**
 * What the experiment reports while it runs: every model's training updates and translated test sentences, from the
 * models' threads at once (implementations must be thread-safe). The command line draws it as a progress bar; a
 * library user may log it or ignore it ({@link #SILENT}).
 */
public interface ExperimentProgress extends AutoCloseable {
    /** Reports nothing. */
    ExperimentProgress SILENT = new ExperimentProgress() {
        @Override
        public void advance(String model, String phase, long done, long total, long steps) {
        }

        @Override
        public void finished(String model) {
        }
    };

    /** Creates the progress of one run, given its total steps (one per update and per translated sentence). */
    @FunctionalInterface
    interface Factory {
        ExperimentProgress start(long totalSteps);
    }

    /** Records that {@code model} has done {@code done} of {@code total} in {@code phase}, {@code steps} steps more. */
    void advance(String model, String phase, long done, long total, long steps);

    /** Records that {@code model} has finished. */
    void finished(String model);

    /** Ends the run's report. */
    @Override
    default void close() {
    }
}
