package org.recurrent4j.experiment;

import org.recurrent4j.data.parallel.Seq2SeqEncoder;
import org.recurrent4j.data.parallel.Seq2SeqIterator;
import org.recurrent4j.seq2seq.Seq2SeqBuilder;
import org.recurrent4j.seq2seq.Seq2SeqModel;
import org.recurrent4j.seq2seq.Seq2SeqTrainer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;

/**
 * Trains one of the four models with the project's {@link Seq2SeqTrainer} (teacher forcing, global-norm clipping at
 * the settings' threshold): length-filtered pairs in length-bucketed minibatches ({@link Seq2SeqIterator}, seeded),
 * for a fixed number of updates or epochs (never wall time, so that a run is reproducible). Reports every update
 * to the experiment's progress bar and logs every tenth of the budget.
 */
final class ModelTrainer {
    private static final Logger log = LoggerFactory.getLogger(ModelTrainer.class);
    private static final int LOSS_WINDOW = 50;

    private final ExperimentSettings settings;

    public ModelTrainer(ExperimentSettings settings) {
        this.settings = settings;
    }

    /** @return the builder of {@code spec}'s architecture at the settings' sizes, for a budget of {@code updates} */
    public Seq2SeqBuilder architecture(ModelSpec spec, long updates) {
        Seq2SeqBuilder b = spec.attention() ? Seq2SeqBuilder.rnnSearch() : Seq2SeqBuilder.rnnEnc();
        return b.embeddingSize(settings.embeddingSize()).encoderSize(settings.hiddenSize())
                .decoderSize(settings.hiddenSize()).maxoutSize(settings.maxoutSize())
                .attentionSize(settings.attentionSize())
                .updater(settings.optimizer().updater(settings.learningRate(), settings.learningRateDecay(), updates))
                .seed(settings.seed());
    }

    /** Builds and trains {@code spec} on {@code corpus}, silently. */
    public TrainedModel train(ModelSpec spec, PreparedCorpus corpus) {
        return train(spec, corpus, ExperimentProgress.SILENT);
    }

    /** Builds and trains {@code spec} on {@code corpus}, reporting each update to {@code progress}. */
    public TrainedModel train(ModelSpec spec, PreparedCorpus corpus, ExperimentProgress progress) {
        Seq2SeqEncoder.Result data = corpus.trainingPairs(spec.maxLength());
        if (data.pairs().isEmpty()) {
            throw new IllegalArgumentException("ModelTrainer: no training pair of " + corpus.name()
                    + " has both sides within " + spec.maxLength() + " tokens");
        }
        Seq2SeqIterator batches = Seq2SeqIterator.builder().pairs(data.pairs()).batchSize(settings.batchSize())
                .seed(settings.seed()).build();
        long total = settings.updates() > 0 ? settings.updates()
                : (long) settings.epochs() * batches.batchesPerEpoch();
        Seq2SeqModel model = architecture(spec, total).build(corpus.sourceVocabulary(), corpus.targetVocabulary());
        model.setProperty(Seq2SeqModel.TOKENIZER, PreparedCorpus.TOKENIZER_NAME);
        if (corpus.subwords() != null) {
            model.setSubwords(corpus.subwords());
        }
        model.setProperty(Seq2SeqModel.MAX_TRAINING_SOURCE_LENGTH, Integer.toString(spec.maxLength()));
        log.info("{}: training on {} pairs (≤ {} tokens, {} dropped), {} updates, {} parameters", spec.name(),
                data.pairs().size(), spec.maxLength(), data.droppedTooLong(), total,
                model.parameterCount());

        Deque<Double> recent = new ArrayDeque<>();     // per-token losses of the last LOSS_WINDOW updates
        long logEvery = Math.max(1, total / 10);
        long wall0 = System.nanoTime();
        Seq2SeqTrainer trainer = Seq2SeqTrainer.builder().model(model).trainingData(batches)
                .clipNorm(settings.clipNorm()).seed(settings.seed()).maxUpdates(total)
                .updateListeners(r -> {
                    recent.addLast(r.loss());
                    if (recent.size() > LOSS_WINDOW) {
                        recent.removeFirst();
                    }
                    progress.advance(spec.name(), "train", r.updates(), total, 1);
                    if (r.updates() % logEvery == 0 || r.updates() == total) {
                        log.info("{}: update {}/{}, loss per token {} (mean of last {}), {} s", spec.name(),
                                r.updates(), total, fmt(mean(recent)), recent.size(),
                                String.format(Locale.ROOT, "%.0f", (System.nanoTime() - wall0) / 1e9));
                    }
                }).build();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long cpu0 = threads.getCurrentThreadCpuTime();
        Seq2SeqTrainer.Result result = trainer.train();
        double cpu = (threads.getCurrentThreadCpuTime() - cpu0) / 1e9;
        double wall = (System.nanoTime() - wall0) / 1e9;
        double epochs = (double) result.updates() / batches.batchesPerEpoch();
        return new TrainedModel(spec, model, new TrainingStats(data.pairs().size(), data.droppedTooLong(),
                (int) result.updates(), epochs, mean(recent), wall, cpu));
    }

    private static double mean(Deque<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }
}
