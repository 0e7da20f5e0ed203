package org.recurrent4j.experiment;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.recurrent4j.data.parallel.Seq2SeqEncoder;
import org.recurrent4j.data.parallel.Seq2SeqIterator;
import org.recurrent4j.seq2seq.Seq2SeqBuilder;
import org.recurrent4j.seq2seq.Seq2SeqModel;
import org.recurrent4j.train.GlobalNormClipping;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Trains one of the four models with teacher forcing: length-filtered pairs in length-bucketed minibatches
 * ({@link Seq2SeqIterator}, seeded), DL4J's {@code fit} per minibatch, global-norm clipping
 * ({@link GlobalNormClipping}), for a fixed number of updates or epochs (never wall time, so that a run is
 * reproducible). Logs progress every tenth of the budget.
 */
public final class ModelTrainer {
    private static final Logger log = LoggerFactory.getLogger(ModelTrainer.class);
    private static final int LOSS_WINDOW = 50;

    private final ExperimentSettings settings;

    public ModelTrainer(ExperimentSettings settings) {
        this.settings = settings;
    }

    /** @return the builder of {@code spec}'s architecture at the settings' sizes */
    public Seq2SeqBuilder architecture(ModelSpec spec) {
        Seq2SeqBuilder b = spec.attention() ? Seq2SeqBuilder.rnnSearch() : Seq2SeqBuilder.rnnEnc();
        return b.embeddingSize(settings.embeddingSize()).encoderSize(settings.hiddenSize())
                .decoderSize(settings.hiddenSize()).maxoutSize(settings.maxoutSize())
                .attentionSize(settings.attentionSize())
                .updater(settings.optimizer().updater(settings.learningRate())).seed(settings.seed());
    }

    /** Builds and trains {@code spec} on {@code corpus}. */
    public TrainedModel train(ModelSpec spec, PreparedCorpus corpus) {
        Seq2SeqEncoder.Result data = corpus.trainingPairs(spec.maxLength());
        if (data.pairs().isEmpty()) {
            throw new IllegalArgumentException("ModelTrainer: no training pair of " + corpus.name()
                    + " has both sides within " + spec.maxLength() + " tokens");
        }
        Seq2SeqModel model = architecture(spec).build(corpus.sourceVocabulary(), corpus.targetVocabulary());
        model.setProperty(Seq2SeqModel.TOKENIZER, PreparedCorpus.TOKENIZER_NAME);
        model.setProperty(Seq2SeqModel.MAX_TRAINING_SOURCE_LENGTH, Integer.toString(spec.maxLength()));
        ComputationGraph graph = model.graph();
        graph.addListeners(new GlobalNormClipping(settings.clipNorm()));
        Seq2SeqIterator batches = Seq2SeqIterator.builder().pairs(data.pairs()).batchSize(settings.batchSize())
                .seed(settings.seed()).build();
        int total = settings.updates() > 0 ? settings.updates() : settings.epochs() * batches.batchesPerEpoch();

        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long cpu0 = threads.getCurrentThreadCpuTime();
        long wall0 = System.nanoTime();
        Deque<Double> recent = new ArrayDeque<>();
        log.info("{}: training on {} pairs (≤ {} tokens, {} dropped), {} updates, {} parameters", spec.name(),
                data.pairs().size(), spec.maxLength(), data.droppedTooLong(), total,
                graph.params().length());             // numParams() leaves out the decoder vertex's
        for (int u = 1; u <= total; u++) {
            if (!batches.hasNext()) {
                batches.reset();                                  // next epoch, reshuffled with seed + epoch
            }
            MultiDataSet batch = batches.next();
            graph.fit(batch);
            double loss = graph.score();
            if (!Double.isFinite(loss)) {
                throw new IllegalStateException("ModelTrainer: " + spec.name() + " loss is " + loss + " at update "
                        + u + "; training diverged (lower the learning rate or the clipping threshold)");
            }
            recent.addLast(loss);
            if (recent.size() > LOSS_WINDOW) {
                recent.removeFirst();
            }
            if (u % Math.max(1, total / 10) == 0 || u == total) {
                log.info("{}: update {}/{}, loss {} (mean of last {}), {} s", spec.name(), u, total,
                        String.format(java.util.Locale.ROOT, "%.3f", mean(recent)), recent.size(),
                        String.format(java.util.Locale.ROOT, "%.0f", (System.nanoTime() - wall0) / 1e9));
            }
        }
        double cpu = (threads.getCurrentThreadCpuTime() - cpu0) / 1e9;
        double wall = (System.nanoTime() - wall0) / 1e9;
        double epochs = (double) total / batches.batchesPerEpoch();
        return new TrainedModel(spec, model, new TrainingStats(data.pairs().size(), data.droppedTooLong(), total,
                epochs, mean(recent), wall, cpu));
    }

    private static double mean(Deque<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }
}
