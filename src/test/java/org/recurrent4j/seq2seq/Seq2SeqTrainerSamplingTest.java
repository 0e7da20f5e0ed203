package org.recurrent4j.seq2seq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.recurrent4j.data.parallel.EncodedPair;
import org.recurrent4j.data.parallel.Seq2SeqIterator;
import org.recurrent4j.data.vocab.Vocabulary;
import org.recurrent4j.train.SamplingSchedule;

/** Scheduled sampling: the ε schedules and {@link ScheduledSampler}'s replacement of target inputs. */
class Seq2SeqTrainerSamplingTest {

    private static final int WORDS = 6;
    private static final Vocabulary VOCABULARY = ReversalTask.vocabulary(WORDS);

    @BeforeAll
    static void floatDefaults() {
        Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
    }

    @Test
    void scheduleValuesFollowBengioEtAl() {
        SamplingSchedule linear = SamplingSchedule.linear(0.9, 0.01, 0.2);
        assertEquals(0.9, linear.epsilon(0), 0);
        assertEquals(0.9 - 0.01 * 30, linear.epsilon(30), 1e-15);
        assertEquals(0.2, linear.epsilon(70), 0);
        assertEquals(0.2, linear.epsilon(1_000_000), 0);
        SamplingSchedule exponential = SamplingSchedule.exponential(0.99);
        assertEquals(1, exponential.epsilon(0), 0);
        assertEquals(Math.pow(0.99, 250), exponential.epsilon(250), 1e-15);
        SamplingSchedule sigmoid = SamplingSchedule.inverseSigmoid(100);
        assertEquals(100 / 101.0, sigmoid.epsilon(0), 1e-15);
        assertEquals(100 / (100 + Math.exp(5)), sigmoid.epsilon(500), 1e-15);
        assertEquals(1, SamplingSchedule.teacherForcing().epsilon(12345), 0);
        assertEquals(0.3, SamplingSchedule.constant(0.3).epsilon(9), 0);
        assertTrue(SamplingSchedule.teacherForcing().isTeacherForcing());
        assertTrue(!linear.isTeacherForcing() && !sigmoid.isTeacherForcing());
        for (SamplingSchedule s : List.of(linear, exponential, sigmoid, SamplingSchedule.teacherForcing(),
                SamplingSchedule.constant(0.3))) {
            assertEquals(s, SamplingSchedule.parse(s.toString()), s.toString());
        }
        assertEquals(linear, SamplingSchedule.parse("LINEAR: 0.9, 0.01, 0.2"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SamplingSchedule.parse("cosine:1"));
        assertTrue(e.getMessage().contains("linear:K,C,MIN") && e.getMessage().contains("cosine:1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SamplingSchedule.parse("linear:1,2"));
        e = assertThrows(IllegalArgumentException.class, () -> SamplingSchedule.exponential(1.5));
        assertTrue(e.getMessage().contains("exponential: k must be in (0, 1]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SamplingSchedule.inverseSigmoid(0.5));
        assertThrows(IllegalArgumentException.class, () -> linear.epsilon(-1));
    }

    private static Seq2SeqModel model() {
        return Seq2SeqBuilderTest.tiny(Seq2SeqBuilder.rnnSearch()).seed(3).build(VOCABULARY, VOCABULARY);
    }

    /** Pairs of different lengths, so that rows are padded. */
    private static MultiDataSet batch() {
        return Seq2SeqIterator.toMultiDataSet(ReversalTask.pairs(new Random(8), 9, WORDS, 1, 7));
    }

    @Test
    void epsilonOneReturnsTheBatchUnchanged() {
        MultiDataSet batch = batch();
        ScheduledSampler sampler = new ScheduledSampler(ScheduledSampler.Mode.SAMPLE);
        assertSame(batch, sampler.apply(model().graph(), batch, 1.0, 5));
        assertEquals(0, sampler.lastReplaced());
    }

    @Test
    void epsilonZeroFeedsThePreviousStepsArgmaxAtEveryRealPosition() {
        Seq2SeqModel model = model();
        MultiDataSet batch = batch();
        INDArray goldIn = batch.getFeatures(1).dup();
        INDArray source = batch.getFeatures(0).dup();
        INDArray labels = batch.getLabels(0).dup();
        INDArray sourceMask = batch.getFeaturesMaskArray(0).dup();
        INDArray targetMask = batch.getFeaturesMaskArray(1).dup();
        // reference: the teacher-forced predictions, computed here
        INDArray probabilities = model.graph().output(false, batch.getFeatures(), batch.getFeaturesMaskArrays(),
                batch.getLabelsMaskArrays())[0];                                          // [mb, V, Ty]
        ScheduledSampler sampler = new ScheduledSampler(ScheduledSampler.Mode.ARGMAX);
        MultiDataSet sampled = sampler.apply(model.graph(), batch, 0.0, 5);
        INDArray in = sampled.getFeatures(1);                                             // [mb, 1, Ty]
        long mb = in.size(0);
        long ty = in.size(2);
        long real = 0;
        long changed = 0;
        for (int b = 0; b < mb; b++) {
            assertEquals(Vocabulary.BOS_ID, in.getInt(b, 0, 0), "<s> kept");
            for (int t = 1; t < ty; t++) {
                if (targetMask.getDouble(b, t) == 0) {
                    assertEquals(Vocabulary.PAD_ID, in.getInt(b, 0, t), "padding untouched");
                    continue;
                }
                real++;
                int best = 0;
                for (int k = 1; k < probabilities.size(1); k++) {
                    if (probabilities.getDouble(b, k, t - 1) > probabilities.getDouble(b, best, t - 1)) {
                        best = k;
                    }
                }
                assertEquals(best, in.getInt(b, 0, t), "row " + b + " step " + t);
                changed += best != goldIn.getInt(b, 0, t) ? 1 : 0;
            }
        }
        assertTrue(changed > 0, "an untrained model mispredicts some tokens");
        assertEquals(real, sampler.lastReplaced());
        assertEquals(real, sampler.lastCandidates());
        // nothing else changed, and the input batch is untouched
        assertEquals(goldIn, batch.getFeatures(1));
        assertEquals(source, sampled.getFeatures(0));
        assertEquals(labels, sampled.getLabels(0));
        assertEquals(sourceMask, sampled.getFeaturesMaskArray(0));
        assertEquals(targetMask, sampled.getFeaturesMaskArray(1));
        assertEquals(targetMask, sampled.getLabelsMaskArray(0));
    }

    @Test
    void sampledTokensFollowTheModelsDistributionAndTheReplacementRateIsOneMinusEpsilon() {
        // 400 copies of one pair: each position gets 400 independent draws
        Seq2SeqModel model = model();
        EncodedPair pair = new EncodedPair(0, new int[] {4, 7, 5, 9}, new int[] {9, 5, 7, 4});
        MultiDataSet batch = Seq2SeqIterator.toMultiDataSet(Collections.nCopies(400, pair));
        INDArray probabilities = model.graph().output(false, batch.getFeatures(), batch.getFeaturesMaskArrays(),
                batch.getLabelsMaskArrays())[0];                                          // [mb, V, Ty]
        int v = (int) probabilities.size(1);
        ScheduledSampler sampler = new ScheduledSampler(ScheduledSampler.Mode.SAMPLE);
        MultiDataSet all = sampler.apply(model.graph(), batch, 0.0, 17);
        for (int t = 1; t <= 4; t++) {
            double[] counts = new double[v];
            for (int b = 0; b < 400; b++) {
                counts[all.getFeatures(1).getInt(b, 0, t)]++;
            }
            for (int k = 0; k < v; k++) {
                double p = probabilities.getDouble(0, k, t - 1);
                double sd = Math.sqrt(400 * p * (1 - p));
                assertEquals(400 * p, counts[k], 4 * sd + 1, "step " + t + " token " + k);   // within 4 sd
            }
        }
        MultiDataSet half = sampler.apply(model.graph(), batch, 0.75, 17);
        assertEquals(1600, sampler.lastCandidates());
        assertEquals(0.25, sampler.lastReplaced() / 1600.0, 4 * Math.sqrt(0.25 * 0.75 / 1600));
        // deterministic for a seed, different for another
        assertEquals(half.getFeatures(1), sampler.apply(model.graph(), batch, 0.75, 17).getFeatures(1));
        assertTrue(!half.getFeatures(1).equals(sampler.apply(model.graph(), batch, 0.75, 18).getFeatures(1)));
    }

    @Test
    void trainerFeedsSampledInputsAccordingToTheSchedule() {
        // the trainer reports ε_i per update and spends time producing sampled inputs only when ε < 1
        List<EncodedPair> pairs = ReversalTask.pairs(new Random(9), 8, WORDS, 2, 6);
        Seq2SeqModel model = model();
        List<Seq2SeqTrainer.UpdateReport> reports = new ArrayList<>();
        SamplingSchedule schedule = SamplingSchedule.linear(1, 0.25, 0.1);
        Seq2SeqTrainer.builder().model(model).samplingSchedule(schedule)
                .trainingData(Seq2SeqIterator.builder().pairs(pairs).batchSize(4).build()).maxUpdates(6)
                .updateListeners(reports::add).build().train();
        assertEquals(6, reports.size());
        for (int i = 0; i < 6; i++) {
            assertEquals(schedule.epsilon(i), reports.get(i).epsilon(), 0);
            assertEquals(i == 0, reports.get(i).samplingSeconds() == 0, "update " + i);
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ScheduledSampler(ScheduledSampler.Mode.ARGMAX).apply(model.graph(), batch(), 1.5, 0));
        assertTrue(e.getMessage().contains("epsilon must be in [0, 1]"), e.getMessage());
    }
}
