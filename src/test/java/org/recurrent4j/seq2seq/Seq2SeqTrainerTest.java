package org.recurrent4j.seq2seq;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Sgd;
import org.recurrent4j.data.parallel.EncodedPair;
import org.recurrent4j.data.parallel.Seq2SeqIterator;
import org.recurrent4j.data.vocab.Vocabulary;
import org.recurrent4j.train.SamplingSchedule;

/** {@link Seq2SeqTrainer}: exact resume, clipping, dev perplexity, early stopping, budgets, bad input. */
class Seq2SeqTrainerTest {

    private static final int WORDS = 8;
    private static final Vocabulary VOCABULARY = ReversalTask.vocabulary(WORDS);

    @BeforeAll
    static void floatDefaults() {
        Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
    }

    private static Seq2SeqModel tinyModel(Seq2SeqBuilder preset) {
        return Seq2SeqBuilderTest.tiny(preset).seed(11).build(VOCABULARY, VOCABULARY);
    }

    private static Seq2SeqIterator data(List<EncodedPair> pairs, int batchSize) {
        return Seq2SeqIterator.builder().pairs(pairs).batchSize(batchSize).batchesPerPool(2).seed(5).build();
    }

    @Test
    void checkpointedAndResumedRunEqualsTheUninterruptedRunExactly(@TempDir Path dir) {
        // dropout and scheduled sampling (drawn tokens) exercise every random draw; 7 pairs in batches of 3 give
        // 3 minibatches per epoch, so 8 updates cross two epoch boundaries and update 4 is mid-epoch
        List<EncodedPair> pairs = ReversalTask.pairs(new Random(1), 7, WORDS, 2, 6);
        Seq2SeqBuilder preset = Seq2SeqBuilder.rnnSearch().dropout(0.2).updater(new Adam(0.01));
        SamplingSchedule schedule = SamplingSchedule.linear(1, 0.1, 0.3);

        Seq2SeqModel straight = tinyModel(preset);
        Seq2SeqTrainer.Result all = trainer(straight, pairs, schedule).maxUpdates(8).build().train();
        assertEquals(Seq2SeqTrainer.StopReason.UPDATES, all.stopReason());
        assertEquals(8, straight.graph().getIterationCount());
        assertEquals(2, all.state().epoch());
        assertEquals(2, all.state().batchInEpoch());

        Seq2SeqModel first = tinyModel(preset);
        assertEquals(first.graph().params(), tinyModel(preset).graph().params(), "same initialisation");
        trainer(first, pairs, schedule).maxUpdates(4).checkpointDir(dir).build().train();
        Seq2SeqModel resumed = Seq2SeqTrainer.loadCheckpoint(dir);
        assertEquals(4, resumed.graph().getIterationCount());
        assertEquals(1, resumed.graph().getEpochCount());
        Seq2SeqTrainer second = trainer(resumed, pairs, schedule).maxUpdates(8).build();
        assertEquals(1, second.state().epoch());
        assertEquals(1, second.state().batchInEpoch());
        second.train();

        assertEquals(straight.graph().params(), resumed.graph().params(), "parameters after 8 updates");
        assertEquals(straight.graph().getUpdater().getStateViewArray(), resumed.graph().getUpdater().getStateViewArray(),
                "Adam's moments");
        assertEquals(all.state().tokens(), second.state().tokens());
        // without the per-update reseeding the dropout masks would differ: a different seed gives other parameters
        Seq2SeqModel otherSeed = tinyModel(preset);
        trainer(otherSeed, pairs, schedule).seed(43).maxUpdates(8).build().train();
        assertNotEquals(straight.graph().params(), otherSeed.graph().params());
    }

    @Test
    void keepingTwoCheckpointsLeavesTheNewestTwoNumberedCopiesOfCheckpointZip(@TempDir Path dir) throws IOException {
        List<EncodedPair> pairs = ReversalTask.pairs(new Random(1), 7, WORDS, 2, 6);
        Seq2SeqModel model = tinyModel(Seq2SeqBuilder.rnnEnc());
        // checkpoints at updates 2, 4, 6 and at the end (7)
        trainer(model, pairs, SamplingSchedule.teacherForcing()).maxUpdates(7).checkpointDir(dir).checkpointEvery(2)
                .keepCheckpoints(2).build().train();
        assertEquals(Set.of("checkpoint.zip", "checkpoint-00000006.zip", "checkpoint-00000007.zip"), fileNames(dir));
        assertArrayEquals(Files.readAllBytes(dir.resolve(Seq2SeqTrainer.CHECKPOINT)),
                Files.readAllBytes(dir.resolve(NumberedCheckpoints.fileName(7))));

        Seq2SeqModel resumed = Seq2SeqTrainer.loadCheckpoint(dir);
        assertEquals(7, resumed.graph().getIterationCount());
        trainer(resumed, pairs, SamplingSchedule.teacherForcing()).maxUpdates(9).checkpointDir(dir).checkpointEvery(2)
                .keepCheckpoints(2).build().train();
        assertEquals(Set.of("checkpoint.zip", "checkpoint-00000008.zip", "checkpoint-00000009.zip"), fileNames(dir));
    }

    @Test
    void keepingNoCheckpointsWritesOnlyCheckpointZip(@TempDir Path dir) throws IOException {
        List<EncodedPair> pairs = ReversalTask.pairs(new Random(1), 7, WORDS, 2, 6);
        trainer(tinyModel(Seq2SeqBuilder.rnnEnc()), pairs, SamplingSchedule.teacherForcing()).maxUpdates(5)
                .checkpointDir(dir).checkpointEvery(2).build().train();
        assertEquals(Set.of("checkpoint.zip"), fileNames(dir));
    }

    private static Set<String> fileNames(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).collect(Collectors.toSet());
        }
    }

    private static Seq2SeqTrainer.Builder trainer(Seq2SeqModel model, List<EncodedPair> pairs, SamplingSchedule s) {
        return Seq2SeqTrainer.builder().model(model).trainingData(data(pairs, 3)).samplingSchedule(s);
    }

    @Test
    void clippingBoundsTheStepOfPlainSgd() {
        // with SGD the step is lr × (clipped mean gradient): its norm is lr × threshold when the gradient is longer
        List<EncodedPair> pairs = ReversalTask.pairs(new Random(2), 6, WORDS, 2, 6);
        double lr = 0.1;
        double threshold = 1e-3;
        Seq2SeqModel clipped = tinyModel(Seq2SeqBuilder.rnnSearch().updater(new Sgd(lr)));
        INDArray before = clipped.graph().params().dup();
        Seq2SeqTrainer trainer = Seq2SeqTrainer.builder().model(clipped).trainingData(data(pairs, 6))
                .clipNorm(threshold).maxUpdates(1).build();
        trainer.train();
        double gradientNorm = trainer.clipping().lastNorm();
        assertTrue(gradientNorm > 10 * threshold, "the test needs a gradient longer than the threshold: " + gradientNorm);
        double step = clipped.graph().params().sub(before).norm2Number().doubleValue();
        assertEquals(lr * threshold, step, 1e-3 * lr * threshold);

        Seq2SeqModel unclipped = tinyModel(Seq2SeqBuilder.rnnSearch().updater(new Sgd(lr)));
        Seq2SeqTrainer.builder().model(unclipped).trainingData(data(pairs, 6)).clipNorm(0).maxUpdates(1).build().train();
        double free = unclipped.graph().params().sub(before).norm2Number().doubleValue();
        assertEquals(lr * gradientNorm, free, 1e-3 * lr * gradientNorm);
    }

    @Test
    void devPerplexityIsTheMaskedTokenCrossEntropyDl4jScores() {
        Seq2SeqModel model = tinyModel(Seq2SeqBuilder.rnnSearch());
        List<EncodedPair> dev = ReversalTask.pairs(new Random(3), 13, WORDS, 1, 7);
        TeacherForcedPerplexity p = TeacherForcedPerplexity.evaluate(model.graph(), dev, 4);
        // reference: DL4J's own loss (LossSparseMCXENT, masked sum / mb) over one batch of all pairs in corpus order
        MultiDataSet all = Seq2SeqIterator.toMultiDataSet(dev);
        double sum = model.graph().score(all, false) * dev.size();
        long tokens = dev.stream().mapToLong(e -> e.target().length + 1).sum();
        assertEquals(tokens, p.tokens());
        assertEquals(sum / tokens, p.crossEntropy(), 1e-5 * sum / tokens);
        assertEquals(Math.exp(p.crossEntropy()), p.perplexity(), 0);
    }

    @Test
    void earlyStoppingKeepsTheBestModelAndStopsAfterPatience(@TempDir Path dir) {
        // SGD with learning rate 0 never changes the parameters (DL4J's NoOp would apply the raw gradient): the first
        // evaluation is the best, the next ones do not improve
        List<EncodedPair> pairs = ReversalTask.pairs(new Random(4), 8, WORDS, 2, 5);
        Seq2SeqModel model = tinyModel(Seq2SeqBuilder.rnnEnc().updater(new Sgd(0.0)));
        Seq2SeqTrainer trainer = Seq2SeqTrainer.builder().model(model).trainingData(data(pairs, 4)).devPairs(pairs)
                .evaluateEvery(2).patience(2).maxUpdates(100).checkpointDir(dir).build();
        Seq2SeqTrainer.Result r = trainer.train();
        assertEquals(Seq2SeqTrainer.StopReason.EARLY_STOPPING, r.stopReason());
        assertEquals(6, r.updates());
        assertEquals(List.of(true, false, false), r.evaluations().stream().map(Seq2SeqTrainer.Evaluation::improved).toList());
        assertEquals(2, r.state().bestUpdate());
        assertEquals(r.evaluations().get(0).perplexity(), r.state().bestScore());
        assertTrue(Files.isRegularFile(dir.resolve(Seq2SeqTrainer.BEST)));
        assertEquals(model.graph().params(), trainer.bestModel().graph().params());
        // the early-stopping state is in the checkpoint: a resumed trainer stops at once
        Seq2SeqModel resumed = Seq2SeqTrainer.loadCheckpoint(dir);
        Seq2SeqTrainer again = Seq2SeqTrainer.builder().model(resumed).trainingData(data(pairs, 4)).devPairs(pairs)
                .evaluateEvery(2).patience(2).maxUpdates(100).checkpointDir(dir).build();
        assertEquals(2, again.state().evaluationsWithoutImprovement());
        assertEquals(r.state(), again.state());
    }

    @Test
    void devBleuSelectsTheBestModelWhenItIsTheMetric() {
        List<EncodedPair> pairs = ReversalTask.pairs(new Random(4), 8, WORDS, 2, 5);
        List<List<String>> sources = pairs.stream().map(p -> VOCABULARY.decode(p.source())).toList();
        List<List<String>> references = pairs.stream().map(p -> VOCABULARY.decode(p.target())).toList();
        DevBleu bleu = new DevBleu(sources, references, 3);
        Seq2SeqModel model = tinyModel(Seq2SeqBuilder.rnnSearch().updater(new Adam(0.05)));
        Seq2SeqTrainer trainer = Seq2SeqTrainer.builder().model(model).trainingData(data(pairs, 4)).devBleu(bleu)
                .metric(Seq2SeqTrainer.Metric.BLEU).evaluateEvery(3).maxUpdates(9).build();
        Seq2SeqTrainer.Result r = trainer.train();
        assertEquals(3, r.evaluations().size());
        double best = Double.NEGATIVE_INFINITY;
        for (Seq2SeqTrainer.Evaluation e : r.evaluations()) {
            assertTrue(Double.isNaN(e.perplexity()), "no dev pairs, no perplexity");
            assertEquals(e.bleu() > best, e.improved(), "higher BLEU is better");
            best = Math.max(best, e.bleu());
        }
        assertEquals(best, r.state().bestScore());
        assertEquals(best, bleu.score(trainer.bestModel()), 1e-9, "the kept model scores the best BLEU");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Seq2SeqTrainer.builder()
                .model(model).trainingData(data(pairs, 4)).metric(Seq2SeqTrainer.Metric.BLEU).devPairs(pairs)
                .evaluateEvery(3).maxUpdates(9).build());
        assertTrue(e.getMessage().contains("devBleu"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new DevBleu(sources, references.subList(0, 2), 3));
        assertTrue(e.getMessage().contains("8 and 2"), e.getMessage());
    }

    @Test
    void runListenersAreToldOfTheStartEveryUpdateEveryEvaluationAndTheEnd() {
        List<EncodedPair> pairs = ReversalTask.pairs(new Random(5), 8, WORDS, 2, 6);
        List<String> events = new ArrayList<>();
        TrainingRunListener recorder = new TrainingRunListener() {
            @Override
            public void runStarted(long firstUpdate, long plannedUpdates) {
                events.add("start " + firstUpdate + " of " + plannedUpdates);
            }

            @Override
            public void updateDone(Seq2SeqTrainer.UpdateReport report) {
                events.add("update " + report.updates());
            }

            @Override
            public void evaluated(Seq2SeqTrainer.Evaluation evaluation) {
                events.add("evaluation " + evaluation.updates());
            }

            @Override
            public void runEnded() {
                events.add("end");
            }
        };
        Seq2SeqTrainer.builder().model(tinyModel(Seq2SeqBuilder.rnnEnc())).trainingData(data(pairs, 4))
                .devPairs(pairs).evaluateEvery(2).maxUpdates(4).runListeners(recorder).build().train();
        assertEquals(List.of("start 0 of 4", "update 1", "update 2", "evaluation 2", "update 3", "update 4",
                "evaluation 4", "end"), events);
    }

    @Test
    void budgetsListenersAndRecordedSourceLength() {
        List<EncodedPair> pairs = ReversalTask.pairs(new Random(5), 10, WORDS, 2, 9);
        int longest = pairs.stream().mapToInt(p -> p.source().length).max().orElseThrow();
        Seq2SeqModel model = tinyModel(Seq2SeqBuilder.rnnEnc());
        int[] iterations = {0};
        List<Seq2SeqTrainer.UpdateReport> reports = new ArrayList<>();
        Seq2SeqTrainer.Result r = Seq2SeqTrainer.builder().model(model).trainingData(data(pairs, 4)).maxEpochs(2)
                .listeners(new BaseTrainingListener() {
                    @Override
                    public void iterationDone(Model m, int iteration, int epoch) {
                        iterations[0]++;
                    }
                }).updateListeners(reports::add).build().train();
        assertEquals(Seq2SeqTrainer.StopReason.EPOCHS, r.stopReason());
        assertEquals(6, r.updates(), "2 epochs of 3 minibatches");
        assertEquals(6, iterations[0]);
        assertEquals(6, reports.size());
        assertEquals(2L * pairs.stream().mapToInt(p -> p.target().length + 1).sum(),
                reports.stream().mapToLong(Seq2SeqTrainer.UpdateReport::tokens).sum());
        assertTrue(reports.stream().allMatch(u -> u.epsilon() == 1 && u.samplingSeconds() == 0 && u.loss() > 0));
        assertEquals(Integer.toString(longest), model.property(Seq2SeqModel.MAX_TRAINING_SOURCE_LENGTH));
        assertTrue(model.graph().getListeners().isEmpty(), "the trainer's listeners are detached afterwards");
        // a trainer built on the same model continues (epoch 2, batch 0)
        Seq2SeqTrainer.Result more = Seq2SeqTrainer.builder().model(model).trainingData(data(pairs, 4)).maxEpochs(3)
                .build().train();
        assertEquals(9, more.updates());
        assertEquals(3, more.sessionUpdates());
    }

    @Test
    void badInputIsRefusedWithClearMessages() {
        List<EncodedPair> pairs = ReversalTask.pairs(new Random(6), 4, WORDS, 2, 5);
        Seq2SeqModel model = tinyModel(Seq2SeqBuilder.rnnEnc());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Seq2SeqTrainer.builder().model(model).trainingData(data(pairs, 2)).build());
        assertTrue(e.getMessage().contains("budget"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Seq2SeqTrainer.builder().model(model)
                .trainingData(data(pairs, 2)).maxUpdates(1).evaluateEvery(1).build());
        assertTrue(e.getMessage().contains("devPairs"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Seq2SeqTrainer.builder().model(model)
                .trainingData(data(pairs, 2)).maxUpdates(1).clipNorm(-1).build());
        assertTrue(e.getMessage().contains("clipNorm"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Seq2SeqTrainer.builder().model(model)
                .trainingData(data(pairs, 2)).maxUpdates(1).keepCheckpoints(2).build());
        assertEquals("Seq2SeqTrainer: keepCheckpoints must be 0 without a checkpointDir, got 2", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> data(List.of(), 2));
        assertTrue(e.getMessage().contains("non-empty"), e.getMessage());
        // data encoded with a larger vocabulary than the model's
        List<EncodedPair> foreign = List.of(new EncodedPair(0, new int[] {4, VOCABULARY.size() + 3}, new int[] {5}));
        e = assertThrows(IllegalArgumentException.class, () -> Seq2SeqTrainer.builder().model(model)
                .trainingData(data(foreign, 2)).maxUpdates(1).build().train());
        assertTrue(e.getMessage().contains("source id " + (VOCABULARY.size() + 3))
                && e.getMessage().contains("vocabulary has " + VOCABULARY.size()), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Seq2SeqTrainer.builder().model(model)
                .trainingData(data(pairs, 2)).maxUpdates(1).evaluateEvery(1).devPairs(foreign).build());
        assertTrue(e.getMessage().contains("devPairs pair 0 has source id"), e.getMessage());
        // resuming on data with fewer minibatches per epoch than the saved position
        Seq2SeqTrainer.builder().model(model).trainingData(data(ReversalTask.pairs(new Random(7), 8, WORDS, 2, 5), 2))
                .maxUpdates(3).build().train();
        e = assertThrows(IllegalArgumentException.class, () -> Seq2SeqTrainer.builder().model(model)
                .trainingData(data(pairs.subList(0, 2), 2)).maxUpdates(5).build().train());
        assertTrue(e.getMessage().contains("minibatch 3 of epoch 0") && e.getMessage().contains("only 1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Seq2SeqTrainer.loadCheckpoint(Path.of("no-such-dir")));
    }
}
