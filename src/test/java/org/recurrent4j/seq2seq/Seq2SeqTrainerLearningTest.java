package org.recurrent4j.seq2seq;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.schedule.ExponentialSchedule;
import org.nd4j.linalg.schedule.ScheduleType;
import org.recurrent4j.data.parallel.EncodedPair;
import org.recurrent4j.data.parallel.Seq2SeqIterator;
import org.recurrent4j.data.vocab.Vocabulary;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The learning check: on reversing random strings of 5–30 tokens, RNNsearch reaches ≥ 98% exact sequence accuracy
 * under greedy decoding ({@link Translator}) on unseen strings, and RNNenc — same sizes, same number of updates — is
 * worse on the longest strings by a clear margin: the effect of Bahdanau et al. (2014), Fig. 2, in miniature.
 *
 * <p>The vocabulary (50 words) is large enough that the token to emit next is usually identified by its content —
 * the left neighbour of the token just emitted, which the backward encoder GRU puts into each annotation — so the
 * attention model need not learn to count positions; the fixed-size context of RNNenc must instead hold the whole
 * string. RNNsearch trains in chunks of {@link #CHUNK} updates until its teacher-forced exact accuracy on 500
 * held-out strings (which equals greedy decoding's exact accuracy: see {@link ReversalTask#teacherForcedExact}) is at
 * least {@link #HELD_OUT_CRITERION} at {@link #CONSECUTIVE_CHECKS} consecutive checks, or {@link #MAX_UPDATES};
 * RNNenc gets the same number of updates. Training is deterministic (seeded data, initialisation and updates).
 *
 * <p>The two models train side by side in two threads, chunk by chunk. The learning-rate schedule was chosen by
 * measuring RNNsearch's held-out accuracy (200 strings) every 50–100 updates for seven schedules (Adam, exponential
 * decay to ×0.1 over D updates; first update with held-out ≥ 0.995): 0.01/D=1500 at 1000, 0.01/600 at 800,
 * 0.02/800 at 800, 0.02/500 at 650, 0.03/500 at 600, 0.04/400 at 550 (with a dip to 0.94 at 500), 0.03/350 at 550
 * (this test's). Batch size hardly changes the cost of an update at these sizes, nor the number of updates needed,
 * and 128 hidden units cost twice as much per update for little gain. Stopping at the first check that meets the
 * criterion gave 0.994 on the test strings in one run, too thin a margin to carry to another machine's rounding,
 * hence two consecutive checks.
 *
 * <p>Measured on a 2-core AMD EPYC (the full {@code mvn -B verify}, two test JVMs at once; alone:
 * {@code OMP_NUM_THREADS=1 mvn -B -o test -Dtest=Seq2SeqTrainerLearningTest}): held-out 0.07 / 0.488 / 0.92 / 0.97 /
 * 0.978 / 0.984 / 0.994 / 0.996 / 0.99 at 200 / 300 / 400 / 500 / 600 / 700 / 800 / 900 / 1000 updates, then 0.992 at
 * every check to 1,500: never two consecutive checks at 0.995, so both models get {@link #MAX_UPDATES}. Greedy exact
 * accuracy on the {@link #TEST_STRINGS} test strings: RNNsearch 0.997 (0.992 on lengths ≥ 25), RNNenc 0.027 (0.0);
 * 102 s for the test.
 */
class Seq2SeqTrainerLearningTest {
    private static final Logger log = LoggerFactory.getLogger(Seq2SeqTrainerLearningTest.class);
    private static final int WORDS = 50;
    private static final int MIN_LENGTH = 5;
    private static final int MAX_LENGTH = 30;
    private static final int LONG = 25;
    private static final int CHUNK = 50;
    /** held-out exact accuracy at which training stops (500 held-out strings: at most 2 wrong) */
    private static final double HELD_OUT_CRITERION = 0.995;
    /** consecutive checks that must meet it: the trajectory is not monotone (0.995 at 550 updates, 0.95 at 600 in one
     *  run), so one check is no margin against another machine's rounding */
    private static final int CONSECUTIVE_CHECKS = 2;
    private static final int MAX_UPDATES = 1500;
    /** unseen strings greedy decoding is judged on */
    private static final int TEST_STRINGS = 1000;
    /**
     * RNNsearch's greedy exact accuracy on them must reach this. Stopping at held-out ≥ 0.995 says the model's true
     * accuracy is about 0.99–0.995, and another machine's rounding lands on another model of that quality: at the
     * same stop (700 updates) two versions of the code with the same math gave 0.988 and 0.996 on 500 test strings on
     * one AMD EPYC. A model of true accuracy 0.99 scores below 0.98 on 1,000 strings with probability 0.001 (binomial,
     * 3.2 σ); the former criterion, 0.99 on 500 strings, sat at the mean of such a model and 1.6 σ below one of 0.995.
     */
    private static final double TEST_CRITERION = 0.98;
    /** Adam's learning rate starts at this value */
    private static final double LEARNING_RATE = 0.03;
    /** and decays by this factor per update (0.003 at update 350, 0.0003 at 700); how it was chosen: the class
     *  comment. At a constant 0.01 the exact accuracy oscillated between 0.4 and 0.9 from update 600 to 1400. */
    private static final double DECAY = Math.pow(0.1, 1.0 / 350);

    @BeforeAll
    static void floatDefaults() {
        Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
    }

    private static Seq2SeqModel model(Seq2SeqBuilder preset, Vocabulary v) {
        return preset.embeddingSize(32).encoderSize(64).decoderSize(64).maxoutSize(32).attentionSize(32)
                .updater(new Adam(new ExponentialSchedule(ScheduleType.ITERATION, LEARNING_RATE, DECAY))).seed(7)
                .build(v, v);
    }

    @Test
    void rnnSearchLearnsToReverseAndRnnEncFallsBehindOnLongStrings() throws Exception {
        Vocabulary v = ReversalTask.vocabulary(WORDS);
        List<EncodedPair> train = ReversalTask.pairs(new Random(1), 20000, WORDS, MIN_LENGTH, MAX_LENGTH);
        List<EncodedPair> heldOut = ReversalTask.pairs(new Random(2), 500, WORDS, MIN_LENGTH, MAX_LENGTH);
        List<EncodedPair> test = ReversalTask.pairs(new Random(3), TEST_STRINGS, WORDS, MIN_LENGTH, MAX_LENGTH);

        // the two models train side by side, one thread each (the machine's two cores; ND4J single-threaded),
        // chunk by chunk, so RNNenc always has exactly as many updates as RNNsearch
        Seq2SeqModel search = model(Seq2SeqBuilder.rnnSearch(), v);
        Seq2SeqModel enc = model(Seq2SeqBuilder.rnnEnc(), v);
        Seq2SeqIterator searchData = Seq2SeqIterator.builder().pairs(train).batchSize(64).seed(3).build();
        Seq2SeqIterator encData = Seq2SeqIterator.builder().pairs(train).batchSize(64).seed(3).build();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        int updates = 0;
        int checksMet = 0;
        try {
            while (updates < MAX_UPDATES && checksMet < CONSECUTIVE_CHECKS) {
                updates += CHUNK;
                Future<?> a = pool.submit(trainTo(search, searchData, updates));
                Future<?> b = pool.submit(trainTo(enc, encData, updates));
                a.get();
                b.get();
                double heldOutExact = fraction(ReversalTask.teacherForcedExact(search, heldOut, 100));
                checksMet = heldOutExact >= HELD_OUT_CRITERION ? checksMet + 1 : 0;
                log.info("{} updates each; RNNsearch's held-out exact sequence accuracy {}", updates, heldOutExact);
            }
        } finally {
            pool.shutdownNow();
        }
        double[] searchAccuracy = greedyExact(search, v, test);
        double[] encAccuracy = greedyExact(enc, v, test);
        log.info("after {} updates each, greedy exact sequence accuracy (all / lengths >= {}): RNNsearch {} / {}, "
                + "RNNenc {} / {}", updates, LONG, searchAccuracy[0], searchAccuracy[1], encAccuracy[0], encAccuracy[1]);

        assertTrue(searchAccuracy[0] >= TEST_CRITERION, "RNNsearch exact sequence accuracy " + searchAccuracy[0]
                + " after " + updates + " updates, below " + TEST_CRITERION);
        assertTrue(searchAccuracy[1] >= encAccuracy[1] + 0.3, "on lengths >= " + LONG + ": RNNsearch "
                + searchAccuracy[1] + ", RNNenc " + encAccuracy[1]);
    }

    private static Callable<Void> trainTo(Seq2SeqModel model, Seq2SeqIterator data, int updates) {
        return () -> {
            Seq2SeqTrainer.builder().model(model).trainingData(data).maxUpdates(updates).build().train();
            return null;
        };
    }

    /** Greedy decoding with {@link Translator}: exact sequence accuracy over all test pairs and over the long ones. */
    private static double[] greedyExact(Seq2SeqModel model, Vocabulary v, List<EncodedPair> test) {
        List<List<String>> sources = new ArrayList<>();
        for (EncodedPair p : test) {
            sources.add(v.decode(p.source()));
        }
        List<Translation> out = Translator.builder(model).beamWidth(1).batchSize(100).build().translate(sources);
        int exact = 0;
        int longExact = 0;
        int longCount = 0;
        for (int i = 0; i < test.size(); i++) {
            boolean ok = out.get(i).tokens().equals(v.decode(test.get(i).target()));
            exact += ok ? 1 : 0;
            if (test.get(i).source().length >= LONG) {
                longCount++;
                longExact += ok ? 1 : 0;
            }
        }
        return new double[] {exact / (double) test.size(), longExact / (double) longCount};
    }

    private static double fraction(boolean[] b) {
        int n = 0;
        for (boolean x : b) {
            n += x ? 1 : 0;
        }
        return n / (double) b.length;
    }
}
