package org.recurrent4j.lm;

import java.util.List;
import java.util.Map;
import org.deeplearning4j.datasets.iterator.ExistingDataSetIterator;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.recurrent4j.data.chars.CharacterSequenceIterator;
import org.recurrent4j.train.TruncatedBptt;

/**
 * Trains a character language model on {@code settings.batchSize()} contiguous streams of the training text
 * ({@link CharacterSequenceIterator.Mode#STREAMS}), one minibatch of {@code chunkLength} steps at a time, with
 * {@link TruncatedBptt}(k1, k2) carrying the state from each minibatch into the next
 * ({@code carryStateAcrossBatches(true)}); at each epoch start the state is zero.
 *
 * <p>Training is deterministic given the checkpoint: the stream order is fixed (no shuffling), no dropout is used,
 * and the state carried between minibatches is part of the checkpoint, so training in several runs
 * (checkpoint, {@link CharRnnCheckpoint#load}, continue) gives exactly the parameters of one uninterrupted run
 * that stopped at the same minibatch boundaries.
 */
public final class CharRnnTrainer {

    /** Told after each minibatch. */
    public interface Listener {
        /**
         * @param updates          the network's update count so far
         * @param batchBitsPerChar the minibatch's training loss in bits per character (of the steps whose loss
         *                         was trained on)
         * @param characters       characters in this minibatch
         */
        void batchDone(long updates, double batchBitsPerChar, long characters);
    }

    private final MultiLayerNetwork net;
    private final CharRnnSettings settings;
    private final CharacterSequenceIterator stream;
    private final TruncatedBptt tbptt;
    private final ScoreSum scores = new ScoreSum();
    private TrainingProgress progress;
    private List<Map<String, INDArray>> carried;

    /** Continues from {@code checkpoint} on the training text {@code trainIds} (the ids of the same vocabulary). */
    public CharRnnTrainer(CharRnnCheckpoint checkpoint, int[] trainIds) {
        this.net = checkpoint.net();
        this.settings = checkpoint.settings();
        this.progress = checkpoint.progress();
        this.carried = checkpoint.carried();
        this.stream = CharacterSequenceIterator.builder().ids(trainIds).vocabularySize(checkpoint.vocabulary().size())
                .batchSize(settings.batchSize()).sequenceLength(settings.chunkLength())
                .mode(CharacterSequenceIterator.Mode.STREAMS).build();
        DataType dataType = settings.dataType();
        stream.setPreProcessor(ds -> {
            ds.setFeatures(ds.getFeatures().castTo(dataType));
            ds.setLabels(ds.getLabels().castTo(dataType));
        });
        stream.setEpoch(progress.epoch());
        for (int b = 0; b < progress.batchInEpoch(); b++) {
            if (!stream.hasNext()) {
                throw new IllegalArgumentException("CharRnnTrainer: the checkpoint is at minibatch " + progress.batchInEpoch()
                        + " of epoch " + progress.epoch() + ", but this training text has only " + b + " per epoch");
            }
            stream.next();
        }
        TruncatedBptt.Builder b = TruncatedBptt.builder().k1(settings.k1()).k2(settings.k2()).carryStateAcrossBatches(true);
        if (settings.clipNorm() > 0) {
            b.clipGlobalNorm(settings.clipNorm());
        }
        this.tbptt = b.build();
        net.addListeners(scores);
    }

    /** @return the network's update count (iterations) */
    public long updates() {
        return net.getIterationCount();
    }

    /** @return the current position and counters */
    public TrainingProgress progress() {
        return progress;
    }

    /** @return the recurrent state carried into the next minibatch (empty at an epoch start) */
    public List<Map<String, INDArray>> carried() {
        return carried;
    }

    /**
     * Trains minibatch after minibatch until {@code updateTarget} updates in total are reached (checked after each
     * minibatch, so it may overshoot by less than one minibatch's updates) or {@code seconds} of wall-clock time
     * have passed (≤ 0: no time limit).
     */
    public void train(long updateTarget, double seconds, Listener listener) {
        long start = System.nanoTime();
        long deadline = seconds > 0 ? start + (long) (seconds * 1e9) : Long.MAX_VALUE;
        while (updates() < updateTarget && System.nanoTime() < deadline) {
            long batchStart = System.nanoTime();
            if (!stream.hasNext()) {
                stream.setEpoch(progress.epoch() + 1);
                progress = new TrainingProgress(progress.epoch() + 1, 0, progress.characters(), progress.trainingSeconds());
                carried = List.of();
                net.incrementEpochCount();
            }
            DataSet batch = stream.next();
            long steps = batch.getFeatures().size(2);
            long rows = batch.getFeatures().size(0);
            scores.reset();
            carried = tbptt.fitContinuing(net, new ExistingDataSetIterator(List.of(batch)), carried);
            double bits = scores.sum / countedSteps(steps) / Math.log(2);
            progress = new TrainingProgress(progress.epoch(), progress.batchInEpoch() + 1,
                    progress.characters() + rows * steps,
                    progress.trainingSeconds() + (System.nanoTime() - batchStart) / 1e9);
            listener.batchDone(updates(), bits, rows * steps);
        }
    }

    /** @return a checkpoint of the current state (shares the network) */
    public CharRnnCheckpoint checkpoint(org.recurrent4j.data.vocab.CharacterVocabulary vocabulary) {
        return new CharRnnCheckpoint(net, vocabulary, settings, progress, carried);
    }

    /** Steps of a minibatch whose loss TBPTT(k1, k2) trains on: all for k2 ≥ k1, else the last k2 of each k1 block. */
    private long countedSteps(long steps) {
        long counted = 0;
        for (long blockStart = 0; blockStart < steps; blockStart += settings.k1()) {
            counted += Math.min(settings.k2(), Math.min(settings.k1(), steps - blockStart));
        }
        return counted;
    }

    /** Sums the score (minibatch-mean loss, summed over steps) of every update. */
    private static final class ScoreSum extends BaseTrainingListener {
        private double sum;

        void reset() {
            sum = 0;
        }

        @Override
        public void iterationDone(Model model, int iteration, int epoch) {
            sum += model.score();
        }
    }
}
