package org.recurrent4j.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;

/**
 * Spark in local mode as the tests use it: executor threads in the test JVM, Kryo with ND4J's registrator (what
 * dl4j-spark asks for when Kryo is on), no web UI; and parameter-averaging training masters that average after every
 * minibatch.
 */
final class LocalSpark {
    private LocalSpark() {
    }

    /** A local Spark context with {@code threads} executor threads (at most one active context per JVM). */
    static JavaSparkContext start(int threads) {
        return new JavaSparkContext(new SparkConf()
                .setMaster("local[" + threads + "]")
                .setAppName("recurrent4j-spark-tests")
                .set("spark.driver.host", "127.0.0.1")
                .set("spark.ui.enabled", "false")
                .set("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
                .set("spark.kryo.registrator", "org.nd4j.kryo.Nd4jRegistrator"));
    }

    /**
     * Parameter averaging over {@code workers} workers after every minibatch of {@code minibatchSize} examples (the
     * size of each data set object of the RDD), parameters and updater state averaged, no prefetching.
     */
    static ParameterAveragingTrainingMaster averagingEveryMinibatch(int workers, int minibatchSize) {
        return new ParameterAveragingTrainingMaster.Builder(workers, minibatchSize)
                .batchSizePerWorker(minibatchSize)
                .averagingFrequency(1)
                .saveUpdater(true)
                .workerPrefetchNumBatches(0)
                .rngSeed(1)
                .build();
    }
}
