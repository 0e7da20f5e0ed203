package org.recurrent4j.spark;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.recurrent4j.data.parallel.EncodedPair;
import org.recurrent4j.data.parallel.Seq2SeqIterator;
import org.recurrent4j.data.parallel.SentencePair;
import org.recurrent4j.data.tokenize.Tokenizer;
import scala.Tuple2;

/**
 * A line-aligned parallel corpus read by Spark from any file system Hadoop reaches ({@code hdfs://},
 * {@code file://}, {@code s3a://}, ...; {@code .gz} files are decompressed), as the data of distributed training:
 * <ul>
 *   <li>{@link #readLineAligned}: line n of the source file with line n of the target file, as
 *       {@code (source, target)} text tuples, in line order, spread over the given number of partitions. Files with
 *       different line counts, or a blank line on either side, are refused (the rules of
 *       {@link org.recurrent4j.data.parallel.ParallelTextRecordReader});</li>
 *   <li>{@link #tokenCounts}: how often each token occurs on one side, counted by the executors, for
 *       {@link org.recurrent4j.data.vocab.Vocabulary#fromCounts};</li>
 *   <li>{@link #minibatches}: one epoch of training minibatches: each partition encodes its pairs
 *       ({@link PairEncoding}) and cuts them with {@link Seq2SeqIterator} (shuffled, length-bucketed; seed
 *       {@code seed + partition}, epoch {@code epoch}), so that the batches of a partition are those
 *       {@code Seq2SeqIterator} gives for its pairs.</li>
 * </ul>
 * The text travels as {@code Tuple2<String, String>}, which Spark's Kryo serializer handles; the minibatches are ND4J
 * {@link MultiDataSet}s (Kryo with ND4J's {@code org.nd4j.kryo.Nd4jRegistrator}).
 */
public final class SparkParallelCorpus {
    private SparkParallelCorpus() {
    }

    /**
     * @param partitions partitions of the result (the parallelism of what follows)
     * @throws IllegalArgumentException if the files have different line counts or a blank line (naming the files and
     *                                  the line)
     */
    public static JavaRDD<Tuple2<String, String>> readLineAligned(JavaSparkContext spark, String sourceFile,
                                                                  String targetFile, int partitions) {
        JavaPairRDD<Long, String> source = numberedLines(spark, sourceFile);
        JavaPairRDD<Long, String> target = numberedLines(spark, targetFile);
        long sourceLines = source.count();
        long targetLines = target.count();
        if (sourceLines != targetLines) {
            throw new IllegalArgumentException("SparkParallelCorpus: " + sourceFile + " has " + sourceLines
                    + " lines but " + targetFile + " has " + targetLines + "; line-aligned files need as many");
        }
        JavaPairRDD<Long, Tuple2<String, String>> pairs = source.join(target, partitions).sortByKey(true, partitions);
        List<Long> blank = pairs.filter(p -> p._2()._1().isBlank() || p._2()._2().isBlank()).keys().takeOrdered(1);
        if (!blank.isEmpty()) {
            throw new IllegalArgumentException("SparkParallelCorpus: line " + (blank.get(0) + 1) + " of " + sourceFile
                    + " / " + targetFile + " is empty on one side; remove such pairs before training");
        }
        return pairs.values();
    }

    /** @return (0-based line number, line) of {@code file} */
    private static JavaPairRDD<Long, String> numberedLines(JavaSparkContext spark, String file) {
        return spark.textFile(file).zipWithIndex().mapToPair(Tuple2::swap);
    }

    /**
     * @param side 1 for the sources, 2 for the targets
     * @return how often each token occurs on that side
     */
    public static Map<String, Long> tokenCounts(JavaRDD<Tuple2<String, String>> pairs, int side,
                                                TokenizerFactory tokenizer) {
        if (side != 1 && side != 2) {
            throw new IllegalArgumentException("SparkParallelCorpus.tokenCounts: side must be 1 (source) or 2 "
                    + "(target), got " + side);
        }
        return pairs.mapPartitions(partition -> {
            Tokenizer tok = tokenizer.create();
            List<String> tokens = new ArrayList<>();
            partition.forEachRemaining(p -> tokens.addAll(tok.tokenize(side == 1 ? p._1() : p._2())));
            return tokens.iterator();
        }).countByValue();
    }

    /**
     * @param batchSize pairs per minibatch
     * @param seed      the shuffling seed of partition 0 (partition i uses {@code seed + i})
     * @param epoch     which epoch's order ({@link Seq2SeqIterator#setEpoch})
     * @return the epoch's minibatches; a partition whose pairs are all longer than the limit gives none
     */
    public static JavaRDD<MultiDataSet> minibatches(JavaRDD<Tuple2<String, String>> pairs, PairEncoding encoding,
                                                    int batchSize, long seed, int epoch) {
        return pairs.mapPartitionsWithIndex((partition, text) -> batchesOf(text, encoding, batchSize,
                seed + partition, epoch), true);
    }

    private static Iterator<MultiDataSet> batchesOf(Iterator<Tuple2<String, String>> text, PairEncoding encoding,
                                                    int batchSize, long seed, int epoch) {
        List<SentencePair> pairs = new ArrayList<>();
        text.forEachRemaining(p -> pairs.add(new SentencePair(p._1(), p._2())));
        List<EncodedPair> encoded = encoding.encoder().encode(pairs).pairs();
        if (encoded.isEmpty()) {
            return List.<MultiDataSet>of().iterator();
        }
        Seq2SeqIterator iterator = Seq2SeqIterator.builder().pairs(encoded).batchSize(batchSize).seed(seed).build();
        iterator.setEpoch(epoch);
        List<MultiDataSet> batches = new ArrayList<>(iterator.batchesPerEpoch());
        while (iterator.hasNext()) {
            batches.add(iterator.next());
        }
        return batches.iterator();
    }
}
