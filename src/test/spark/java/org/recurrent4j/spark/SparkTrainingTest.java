package org.recurrent4j.spark;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.api.java.JavaRDD;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.recurrent4j.data.parallel.Seq2SeqIterator;
import org.recurrent4j.data.vocab.Vocabulary;
import org.recurrent4j.seq2seq.ReversalTask;
import org.recurrent4j.seq2seq.Seq2SeqBuilder;
import org.recurrent4j.seq2seq.Seq2SeqBuilderTest;

/**
 * Spark training with two workers learns: a tiny RNNsearch graph trained by {@code SparkComputationGraph} on string
 * reversal (two local executor threads, the training minibatches split between them, parameters and Adam's state
 * averaged after every minibatch) lowers its loss on held-out pairs it never trained on. The oracles of
 * {@link SparkOneWorkerOracleTest} check single steps exactly; this checks that averaging different workers' steps
 * over many rounds still trains the model.
 */
class SparkTrainingTest {
    private static final int WORKERS = 2;
    private static final int WORDS = 6;
    private static final int PAIRS_PER_BATCH = 8;
    private static final int EPOCHS = 8;

    @RegisterExtension
    static final LocalSpark SPARK = new LocalSpark(WORKERS);

    @Test
    void twoWorkersLowerTheDevLossOfRnnSearch() {
        Vocabulary words = ReversalTask.vocabulary(WORDS);
        ComputationGraph graph = Seq2SeqBuilderTest.tiny(Seq2SeqBuilder.rnnSearch()).updater(new Adam(0.03))
                .dataType(DataType.DOUBLE).seed(3).build(words, words).graph();
        Random random = new Random(5);
        List<MultiDataSet> train = reversalBatches(random, 8);
        List<MultiDataSet> dev = reversalBatches(random, 2);
        double before = meanLoss(graph, dev);

        SparkComputationGraph distributed = new SparkComputationGraph(SPARK.context(), graph,
                AveragingMasters.everyMinibatch(WORKERS, PAIRS_PER_BATCH));
        JavaRDD<MultiDataSet> data = SPARK.context().parallelize(train, WORKERS);
        for (int epoch = 0; epoch < EPOCHS; epoch++) {
            distributed.fitMultiDataSet(data);
        }
        double after = meanLoss(distributed.getNetwork(), dev);
        System.out.printf("RNNsearch on %d Spark workers: dev loss %.4f -> %.4f after %d rounds%n", WORKERS, before,
                after, distributed.getNetwork().getIterationCount());
        assertTrue(after < 0.85 * before, "dev loss " + before + " -> " + after);
    }

    private static List<MultiDataSet> reversalBatches(Random random, int batches) {
        List<MultiDataSet> out = new ArrayList<>();
        for (int b = 0; b < batches; b++) {
            out.add(Seq2SeqIterator.toMultiDataSet(ReversalTask.pairs(random, PAIRS_PER_BATCH, WORDS, 2, 5)));
        }
        return out;
    }

    private static double meanLoss(ComputationGraph graph, List<MultiDataSet> batches) {
        return batches.stream().mapToDouble(b -> graph.score(b, false)).average().orElseThrow();
    }
}
