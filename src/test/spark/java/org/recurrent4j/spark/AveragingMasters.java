package org.recurrent4j.spark;

import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;

/** The dl4j-spark training masters of the tests. */
final class AveragingMasters {
    private AveragingMasters() {
    }

    /**
     * Parameter averaging over {@code workers} workers after every minibatch of {@code minibatchSize} examples (the
     * size of each data set object of the RDD), parameters and updater state averaged, no prefetching, a fixed seed
     * for splitting the RDD into rounds.
     */
    static ParameterAveragingTrainingMaster everyMinibatch(int workers, int minibatchSize) {
        return new ParameterAveragingTrainingMaster.Builder(workers, minibatchSize)
                .batchSizePerWorker(minibatchSize)
                .averagingFrequency(1)
                .saveUpdater(true)
                .workerPrefetchNumBatches(0)
                .rngSeed(1)
                .build();
    }
}
