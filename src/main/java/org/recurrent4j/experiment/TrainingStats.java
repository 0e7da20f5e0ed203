package org.recurrent4j.experiment;

/**
 * What training one model cost.
 *
 * @param trainingPairs  pairs that passed the length filter
 * @param droppedTooLong pairs the length filter removed
 * @param updates        parameter updates done
 * @param epochs         passes over the filtered pairs ({@code updates / batches per epoch})
 * @param finalLoss      mean training loss per target token (nats) of the last updates (up to 50)
 * @param wallSeconds    elapsed time
 * @param cpuSeconds     CPU time of the training thread (all of training's CPU time with
 *                       {@code OMP_NUM_THREADS=1}; OpenMP worker threads are not counted)
 */
public record TrainingStats(int trainingPairs, int droppedTooLong, int updates, double epochs, double finalLoss,
                            double wallSeconds, double cpuSeconds) {
}
