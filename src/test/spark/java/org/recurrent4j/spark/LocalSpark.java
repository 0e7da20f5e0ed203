package org.recurrent4j.spark;

import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A Spark context in local mode for the tests of one class, started before its first test and stopped after its last
 * (at most one context is active in a JVM): executor threads in the test JVM, Kryo with ND4J's registrator (what
 * dl4j-spark asks for when Kryo is on), no web UI. Register it with {@code @RegisterExtension static final}.
 */
final class LocalSpark implements BeforeAllCallback, AfterAllCallback {
    private final int threads;
    private JavaSparkContext context;

    /** @param threads executor threads, {@code local[threads]} */
    LocalSpark(int threads) {
        this.threads = threads;
    }

    @Override
    public void beforeAll(ExtensionContext extensionContext) {
        context = new JavaSparkContext(new SparkConf()
                .setMaster("local[" + threads + "]")
                .setAppName("recurrent4j-spark-tests")
                .set("spark.driver.host", "127.0.0.1")
                .set("spark.ui.enabled", "false")
                .set("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
                .set("spark.kryo.registrator", "org.nd4j.kryo.Nd4jRegistrator"));
    }

    @Override
    public void afterAll(ExtensionContext extensionContext) {
        context.stop();
    }

    JavaSparkContext context() {
        return context;
    }

    /** An RDD of one partition holding one minibatch: one Spark {@code fit} on it is one training round. */
    <T> JavaRDD<T> oneMinibatch(T minibatch) {
        return context.parallelize(List.of(minibatch), 1);
    }
}
