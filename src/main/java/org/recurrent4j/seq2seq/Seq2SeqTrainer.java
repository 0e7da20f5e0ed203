package org.recurrent4j.seq2seq;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.recurrent4j.data.parallel.EncodedPair;
import org.recurrent4j.nn.engine.NativeGarbage;
import org.recurrent4j.data.parallel.Seq2SeqIterator;
import org.recurrent4j.train.GlobalNormClipping;
import org.recurrent4j.train.SamplingSchedule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains a {@link Seq2SeqModel} with DL4J's {@code ComputationGraph.fit(MultiDataSet)}, one minibatch of a
 * {@link Seq2SeqIterator} per update:
 * <ul>
 *   <li>the optimiser is the graph's own (Adadelta ρ = 0.95, ε = 1e-6 by default, as the paper; or whatever
 *       {@link Seq2SeqBuilder#updater} set, e.g. Adam); the global gradient norm is clipped at
 *       {@link Builder#clipNorm} (default 1, as the paper) by {@link GlobalNormClipping};</li>
 *   <li>teacher forcing by default, or scheduled sampling by a {@link SamplingSchedule} (see
 *       {@link ScheduledSampler} for how the sampled inputs are produced: one extra teacher-forced forward pass per
 *       update — the parallel approximation);</li>
 *   <li>a budget ({@link TrainingBudget}): total epochs, total updates, and/or wall-clock minutes of this run
 *       (whichever comes first);</li>
 *   <li>every {@link Builder#evaluateEvery} updates, the dev perplexity (teacher-forced, {@link TeacherForcedPerplexity})
 *       and/or the dev BLEU (greedy {@link Translator}, {@link DevBleu}); the best model by {@link Builder#metric} is
 *       kept ({@link #bestModel()}, and {@code best.zip} in the checkpoint directory), and
 *       training stops after {@link Builder#patience} evaluations without improvement;</li>
 *   <li>checkpoints ({@code checkpoint.zip} in {@link Builder#checkpointDir}) after every evaluation, every
 *       {@link Builder#checkpointEvery} updates and at the end; each is one file written atomically by
 *       {@link Seq2SeqModel#save}, holding parameters, updater state, update count and the
 *       {@link Seq2SeqTrainingState} (position in the data, early-stopping state) in its properties; with
 *       {@link Builder#keepCheckpoints} N &gt; 0 each is also copied to {@code checkpoint-<update>.zip}
 *       ({@link NumberedCheckpoints}) and only the newest N numbered copies are kept, for averaging;</li>
 *   <li>DL4J {@link TrainingListener}s on the graph and {@link TrainingRunListener}s told of the run's start,
 *       updates, evaluations and end (the command line's progress bar is one); SLF4J logs at each evaluation. The
 *       trainer itself writes nothing to the console.</li>
 * </ul>
 *
 * <p><b>Resuming.</b> A trainer built on a model that carries a training state (one loaded from a checkpoint)
 * continues where it stopped: same epoch, same minibatch. Every random draw of update i is seeded from
 * {@code (seed, i)} — ND4J's generator ({@code Nd4j.getRandom().setSeed(seed + i)}, used by dropout) and the
 * scheduled-sampling coins — so no generator state needs saving, and a run interrupted at any update and resumed
 * from its checkpoint ends with exactly the parameters of the uninterrupted run (same settings, same data).
 *
 * <p>The trainer records {@link Seq2SeqModel#MAX_TRAINING_SOURCE_LENGTH} (the longest training source) in the
 * model's properties.
 */
public final class Seq2SeqTrainer {
    private static final Logger log = LoggerFactory.getLogger(Seq2SeqTrainer.class);

    /** File name of the latest checkpoint in the checkpoint directory. */
    public static final String CHECKPOINT = "checkpoint.zip";
    /** File name of the best model (by the dev metric) in the checkpoint directory. */
    public static final String BEST = "best.zip";

    /** The dev metric that selects the best model and drives early stopping. */
    public enum Metric {
        /** teacher-forced dev perplexity ({@link TeacherForcedPerplexity}), lower is better; needs devPairs */
        PERPLEXITY,
        /** greedy-decoding dev BLEU ({@link DevBleu}), higher is better; needs devBleu */
        BLEU
    }

    /** Why {@link #train()} returned. */
    public enum StopReason { EPOCHS, UPDATES, TIME, EARLY_STOPPING }

    /** A {@link TrainingRunListener} told only of updates (a lambda). */
    @FunctionalInterface
    public interface UpdateListener extends TrainingRunListener {
        @Override
        void updateDone(UpdateReport report);
    }

    /**
     * One update.
     *
     * @param updates      the model's update count after it
     * @param epoch        the epoch it belonged to
     * @param loss         the minibatch's training loss per target token (nats)
     * @param tokens       target tokens in the minibatch
     * @param epsilon      ε of scheduled sampling used (1 = teacher forcing)
     * @param gradientNorm global gradient norm before clipping (NaN without clipping)
     * @param seconds      wall-clock seconds of the update, scheduled sampling included
     * @param samplingSeconds seconds of it spent producing the sampled inputs (0 with teacher forcing)
     */
    public record UpdateReport(long updates, int epoch, double loss, long tokens, double epsilon, double gradientNorm,
                               double seconds, double samplingSeconds) {
    }

    /**
     * One dev evaluation.
     *
     * @param updates    the update count at which it was made
     * @param perplexity teacher-forced dev perplexity (NaN without devPairs)
     * @param bleu       greedy dev BLEU (NaN without devBleu)
     * @param improved   whether it was the best so far by the metric
     */
    public record Evaluation(long updates, double perplexity, double bleu, boolean improved) {
    }

    /**
     * What one call of {@link #train()} did (one run; a model may be trained over several runs, through checkpoints).
     *
     * @param stopReason      why it stopped
     * @param updates         the model's update count at the end
     * @param state           the training state at the end
     * @param sessionUpdates  updates made in this run
     * @param sessionSeconds  wall-clock seconds of this run's updates (evaluation and checkpoints excluded)
     * @param samplingSeconds seconds of them spent producing scheduled-sampling inputs
     * @param sessionTokens   target tokens trained on in this run
     * @param evaluations     this run's dev evaluations
     */
    public record Result(StopReason stopReason, long updates, Seq2SeqTrainingState state, long sessionUpdates,
                         double sessionSeconds, double samplingSeconds, long sessionTokens, List<Evaluation> evaluations) {
    }

    private final Seq2SeqModel model;
    private final ComputationGraph graph;
    private final Seq2SeqIterator data;
    private final List<EncodedPair> devPairs;
    private final DevBleu devBleu;
    private final Metric metric;
    private final int devBatchSize;
    private final GlobalNormClipping clipping;
    private final SamplingSchedule schedule;
    private final ScheduledSampler sampler;
    private final long seed;
    private final TrainingBudget budget;
    private final long evaluateEvery;
    private final Path checkpointDir;
    private final long checkpointEvery;
    private final int keepCheckpoints;
    private final List<TrainingListener> listeners;
    private final List<TrainingRunListener> runListeners;
    private Seq2SeqTrainingState state;
    private INDArray bestParams;

    private Seq2SeqTrainer(Builder b) {
        if (b.model == null || b.data == null) {
            throw new IllegalArgumentException("Seq2SeqTrainer: model and trainingData are required");
        }
        TrainingBudget budget = new TrainingBudget(b.maxEpochs, b.maxUpdates, b.maxMinutes, b.patience);
        require(budget.limitsSomething(), "budget",
                "at least one of maxEpochs, maxUpdates, maxMinutes or patience (early stopping) set", "none");
        require(b.clipNorm >= 0 && Double.isFinite(b.clipNorm), "clipNorm", "finite and >= 0 (0 = no clipping)", b.clipNorm);
        require(b.evaluateEvery >= 0, "evaluateEvery", ">= 0", b.evaluateEvery);
        require(b.devBatchSize >= 1, "devBatchSize", ">= 1", b.devBatchSize);
        require(b.patience >= 0, "patience", ">= 0 (0 = no early stopping)", b.patience);
        require(b.checkpointEvery >= 0, "checkpointEvery", ">= 0", b.checkpointEvery);
        require(b.keepCheckpoints >= 0, "keepCheckpoints", ">= 0 (0 = only checkpoint.zip)", b.keepCheckpoints);
        require(b.keepCheckpoints == 0 || b.checkpointDir != null, "keepCheckpoints",
                "0 without a checkpointDir", b.keepCheckpoints);
        if (b.metric == null) {
            throw new IllegalArgumentException("Seq2SeqTrainer: metric must be PERPLEXITY or BLEU, got null");
        }
        if (b.evaluateEvery > 0 && b.metric == Metric.PERPLEXITY && (b.devPairs == null || b.devPairs.isEmpty())) {
            throw new IllegalArgumentException("Seq2SeqTrainer: evaluateEvery is " + b.evaluateEvery
                    + " with metric PERPLEXITY but no dev pairs were given; expected devPairs(non-empty list)");
        }
        if (b.evaluateEvery > 0 && b.metric == Metric.BLEU && b.devBleu == null) {
            throw new IllegalArgumentException("Seq2SeqTrainer: evaluateEvery is " + b.evaluateEvery
                    + " with metric BLEU but no dev BLEU set was given; expected devBleu(new DevBleu(...))");
        }
        if (b.patience > 0 && b.evaluateEvery == 0) {
            throw new IllegalArgumentException("Seq2SeqTrainer: patience " + b.patience
                    + " needs dev evaluations; expected evaluateEvery > 0 and dev data");
        }
        this.model = b.model;
        this.graph = b.model.graph();
        this.data = b.data;
        this.devPairs = b.devPairs == null ? null : List.copyOf(b.devPairs);
        if (devPairs != null) {
            TrainingIds.checkPairs(model, devPairs, "devPairs");
        }
        this.devBatchSize = b.devBatchSize;
        this.devBleu = b.devBleu;
        this.metric = b.metric;
        this.clipping = b.clipNorm > 0 ? new GlobalNormClipping(b.clipNorm) : null;
        this.schedule = b.schedule;
        this.sampler = new ScheduledSampler(b.samplingMode);
        this.seed = b.seed;
        this.budget = budget;
        this.evaluateEvery = b.evaluateEvery;
        this.checkpointDir = b.checkpointDir;
        this.checkpointEvery = b.checkpointEvery;
        this.keepCheckpoints = b.keepCheckpoints;
        this.listeners = List.copyOf(b.listeners);
        this.runListeners = List.copyOf(b.runListeners);
        this.state = Seq2SeqTrainingState.readFrom(model);
    }

    /** @return a new builder */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Loads the latest checkpoint of {@code checkpointDir} (with updater state) to build a resuming trainer on.
     *
     * @throws IllegalArgumentException if there is none
     */
    public static Seq2SeqModel loadCheckpoint(Path checkpointDir) {
        Path file = checkpointDir.resolve(CHECKPOINT);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("Seq2SeqTrainer.loadCheckpoint: no " + CHECKPOINT + " in "
                    + checkpointDir.toAbsolutePath() + "; expected a directory written by Seq2SeqTrainer");
        }
        return Seq2SeqModel.load(file, true);
    }

    /** @return the model being trained */
    public Seq2SeqModel model() {
        return model;
    }

    /** @return the current training state */
    public Seq2SeqTrainingState state() {
        return state;
    }

    /** @return the clipping listener, or null without clipping */
    public GlobalNormClipping clipping() {
        return clipping;
    }

    /**
     * Trains until the budget is spent or early stopping stops it; checkpoints at the end if a checkpoint directory
     * is set.
     */
    public Result train() {
        recordLongestSource();
        positionData();
        Collection<TrainingListener> before = attachListeners();
        long startUpdates = graph.getIterationCount();
        long deadline = budget.deadline(System.nanoTime());
        RunTotals run = new RunTotals();
        logStart(startUpdates);
        long planned = budget.updatesLeft(startUpdates, state, data.batchesPerEpoch());
        runListeners.forEach(l -> l.runStarted(startUpdates, planned));
        StopReason reason;
        try {
            reason = trainUntilStopped(deadline, run);
        } finally {
            runListeners.forEach(TrainingRunListener::runEnded);
            graph.setListeners(before);
        }
        state.writeTo(model);               // a trainer built on this model later continues from here
        if (checkpointDir != null) {
            checkpoint();
        }
        Result result = run.result(reason, graph.getIterationCount(), startUpdates, state);
        logEnd(result);
        return result;
    }

    /** What one run has done so far. */
    private static final class RunTotals {
        final List<Evaluation> evaluations = new ArrayList<>();
        double seconds;
        double samplingSeconds;
        long tokens;

        void add(UpdateReport report) {
            seconds += report.seconds();
            samplingSeconds += report.samplingSeconds();
            tokens += report.tokens();
        }

        Result result(StopReason reason, long updates, long startUpdates, Seq2SeqTrainingState state) {
            return new Result(reason, updates, state, updates - startUpdates, seconds, samplingSeconds, tokens,
                    List.copyOf(evaluations));
        }
    }

    /** Records {@link Seq2SeqModel#MAX_TRAINING_SOURCE_LENGTH}: the longest source of this and earlier runs. */
    private void recordLongestSource() {
        model.setProperty(Seq2SeqModel.MAX_TRAINING_SOURCE_LENGTH, Integer.toString(Math.max(data.maxSourceLength(),
                Integer.parseInt(model.properties().getOrDefault(Seq2SeqModel.MAX_TRAINING_SOURCE_LENGTH, "0")))));
    }

    /** Adds the clipping and the DL4J listeners to the graph's own; @return the graph's own, to restore */
    private Collection<TrainingListener> attachListeners() {
        Collection<TrainingListener> before = new ArrayList<>(graph.getListeners());
        List<TrainingListener> all = new ArrayList<>(before);
        if (clipping != null) {
            all.add(clipping);
        }
        all.addAll(listeners);
        graph.setListeners(all);
        return before;
    }

    /** Makes updates, evaluations and checkpoints until the budget is spent; @return why it stopped */
    private StopReason trainUntilStopped(long deadline, RunTotals run) {
        while (true) {
            if (!data.hasNext()) {
                nextEpoch();
            }
            StopReason spent = budget.spent(state.epoch(), graph.getIterationCount(), deadline, System.nanoTime());
            if (spent != null) {
                return spent;
            }
            UpdateReport report = update();
            run.add(report);
            runListeners.forEach(l -> l.updateDone(report));
            long done = report.updates();
            boolean evaluated = evaluateEvery > 0 && done % evaluateEvery == 0;
            if (evaluated) {
                Evaluation evaluation = evaluate(done);
                run.evaluations.add(evaluation);
                runListeners.forEach(l -> l.evaluated(evaluation));
            }
            if (checkpointDir != null && (evaluated || checkpointEvery > 0 && done % checkpointEvery == 0)) {
                checkpoint();
            }
            if (budget.stopsEarly(state.evaluationsWithoutImprovement())) {
                return StopReason.EARLY_STOPPING;
            }
        }
    }

    /**
     * Fits the next minibatch (scheduled sampling's inputs first, when ε &lt; 1), every random draw seeded from the
     * update's number; advances the training state.
     */
    private UpdateReport update() {
        long update = graph.getIterationCount();
        NativeGarbage.collectIfGrown();                  // arrays of the data and of past updates
        MultiDataSet batch = data.next();
        TrainingIds.checkBatch(model, batch);
        long t0 = System.nanoTime();
        Nd4j.getRandom().setSeed(seed + update);
        double epsilon = schedule.epsilon(update);
        MultiDataSet fed = sampler.apply(graph, batch, epsilon, seed + update * 0x9E3779B97F4A7C15L);
        double sampling = epsilon < 1 ? (System.nanoTime() - t0) / 1e9 : 0;
        graph.fit(fed);
        double seconds = (System.nanoTime() - t0) / 1e9;
        long tokens = (long) batch.getLabelsMaskArray(0).sumNumber().doubleValue();
        double loss = graph.score() * batch.getLabels(0).size(0) / tokens;   // score: masked sum / mb
        if (!Double.isFinite(loss)) {
            throw new IllegalStateException("Seq2SeqTrainer: training loss is " + loss + " at update "
                    + (update + 1) + "; training diverged (lower the learning rate or clip harder)");
        }
        state = new Seq2SeqTrainingState(state.epoch(), state.batchInEpoch() + 1, state.tokens() + tokens,
                state.trainingSeconds() + seconds, state.evaluations(), state.bestScore(), state.bestUpdate(),
                state.evaluationsWithoutImprovement());
        return new UpdateReport(update + 1, state.epoch(), loss, tokens, epsilon,
                clipping == null ? Double.NaN : clipping.lastNorm(), seconds, sampling);
    }

    private void logStart(long startUpdates) {
        log.info("Seq2SeqTrainer: {} training pairs ({} batches per epoch), starting at update {} (epoch {}, batch {}); "
                        + "clip {}, sampling {} ({}), budget: {}", data.size(), data.batchesPerEpoch(), startUpdates,
                state.epoch(), state.batchInEpoch(), clipping == null ? "none" : clipping.threshold(), schedule,
                sampler.mode(), budget.describe());
    }

    private void logEnd(Result r) {
        log.info("Seq2SeqTrainer: stopped ({}) at update {}, epoch {}; {} updates in {} s this run ({} tokens/s, "
                        + "{} s producing scheduled-sampling inputs); best dev {} {} at update {}", r.stopReason(),
                r.updates(), state.epoch(), r.sessionUpdates(), fmt(r.sessionSeconds()),
                fmt(r.sessionTokens() / r.sessionSeconds()), fmt(r.samplingSeconds()), metric, fmt(state.bestScore()),
                state.bestUpdate());
    }

    /**
     * @return the best model by the dev metric so far (a copy, parameters only), from this run or, after a
     * resume, from {@code best.zip} in the checkpoint directory
     * @throws IllegalStateException if there has been no evaluation
     */
    public Seq2SeqModel bestModel() {
        if (bestParams != null) {
            ComputationGraph copy = graph.clone();
            copy.setParams(bestParams.dup());
            return model.withGraph(copy, model.properties());
        }
        if (checkpointDir != null && Files.isRegularFile(checkpointDir.resolve(BEST))) {
            return Seq2SeqModel.load(checkpointDir.resolve(BEST), false);
        }
        throw new IllegalStateException("Seq2SeqTrainer.bestModel: no dev evaluation has been made yet "
                + "(set evaluateEvery and devPairs)");
    }

    /**
     * Writes {@code checkpoint.zip} (model, updater state, training state) atomically into the checkpoint directory;
     * with {@link Builder#keepCheckpoints} N &gt; 0, then copies it to the numbered checkpoint of the current update
     * and deletes all but the newest N numbered ones ({@link NumberedCheckpoints#keep}).
     */
    public void checkpoint() {
        if (checkpointDir == null) {
            throw new IllegalStateException("Seq2SeqTrainer.checkpoint: no checkpointDir was set");
        }
        state.writeTo(model);
        Path checkpoint = checkpointDir.resolve(CHECKPOINT);
        model.save(checkpoint, true);
        if (keepCheckpoints > 0) {
            NumberedCheckpoints.keep(checkpoint, graph.getIterationCount(), keepCheckpoints);
        }
    }

    /** Moves the iterator to the state's epoch and skips the minibatches already trained on. */
    private void positionData() {
        data.setEpoch(state.epoch());
        for (int b = 0; b < state.batchInEpoch(); b++) {
            if (!data.hasNext()) {
                throw new IllegalArgumentException("Seq2SeqTrainer: the model's training state is at minibatch "
                        + state.batchInEpoch() + " of epoch " + state.epoch() + ", but the training data has only "
                        + data.batchesPerEpoch() + " minibatches per epoch; resume with the data and batch size it "
                        + "was trained with");
            }
            data.next();
        }
    }

    private void nextEpoch() {
        state = new Seq2SeqTrainingState(state.epoch() + 1, 0, state.tokens(), state.trainingSeconds(),
                state.evaluations(), state.bestScore(), state.bestUpdate(), state.evaluationsWithoutImprovement());
        data.setEpoch(state.epoch());
        graph.incrementEpochCount();
    }

    private Evaluation evaluate(long updates) {
        double perplexity = devPairs == null ? Double.NaN
                : TeacherForcedPerplexity.evaluate(graph, devPairs, devBatchSize).perplexity();
        double bleu = devBleu == null ? Double.NaN : devBleu.score(model);
        double score = metric == Metric.PERPLEXITY ? perplexity : bleu;
        boolean improved = Double.isNaN(state.bestScore())
                || (metric == Metric.PERPLEXITY ? score < state.bestScore() : score > state.bestScore());
        state = new Seq2SeqTrainingState(state.epoch(), state.batchInEpoch(), state.tokens(), state.trainingSeconds(),
                state.evaluations() + 1, improved ? score : state.bestScore(),
                improved ? updates : state.bestUpdate(), improved ? 0 : state.evaluationsWithoutImprovement() + 1);
        if (improved) {
            bestParams = graph.params().dup();
            if (checkpointDir != null) {
                state.writeTo(model);
                model.save(checkpointDir.resolve(BEST), false);
            }
        }
        log.info("Seq2SeqTrainer: update {}, epoch {}: dev perplexity {}, dev BLEU {}{}", updates, state.epoch(),
                fmt(perplexity), fmt(bleu), improved ? " (best " + metric + ")" : " (best " + metric + " "
                        + fmt(state.bestScore()) + " at update " + state.bestUpdate() + ", "
                        + state.evaluationsWithoutImprovement() + " evaluation(s) without improvement)");
        return new Evaluation(updates, perplexity, bleu, improved);
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.4g", v);
    }

    private static void require(boolean ok, String option, String expected, Object actual) {
        if (!ok) {
            throw new IllegalArgumentException("Seq2SeqTrainer: " + option + " must be " + expected + ", got " + actual);
        }
    }

    /** Builder: {@code model} and {@code trainingData} are required, and a budget or early stopping. */
    public static final class Builder {
        private Seq2SeqModel model;
        private Seq2SeqIterator data;
        private List<EncodedPair> devPairs;
        private DevBleu devBleu;
        private Metric metric = Metric.PERPLEXITY;
        private int devBatchSize = 64;
        private double clipNorm = 1.0;
        private SamplingSchedule schedule = SamplingSchedule.teacherForcing();
        private ScheduledSampler.Mode samplingMode = ScheduledSampler.Mode.SAMPLE;
        private long seed = 42;
        private int maxEpochs;
        private long maxUpdates;
        private double maxMinutes;
        private long evaluateEvery;
        private int patience;
        private Path checkpointDir;
        private long checkpointEvery;
        private int keepCheckpoints;
        private final List<TrainingListener> listeners = new ArrayList<>();
        private final List<TrainingRunListener> runListeners = new ArrayList<>();

        /** The model to train (new, or loaded from a checkpoint to resume). */
        public Builder model(Seq2SeqModel model) { this.model = model; return this; }
        /** The training minibatches (ids of the model's vocabularies). */
        public Builder trainingData(Seq2SeqIterator data) { this.data = data; return this; }
        /** Held-out pairs for the dev perplexity. */
        public Builder devPairs(List<EncodedPair> pairs) { this.devPairs = pairs; return this; }
        /** Held-out sentences for the dev BLEU (greedy decoding; logged at each evaluation when set). */
        public Builder devBleu(DevBleu d) { this.devBleu = d; return this; }
        /** The metric that keeps the best model and drives early stopping (default PERPLEXITY). */
        public Builder metric(Metric m) { this.metric = m; return this; }
        /** Rows per forward pass in dev evaluation (default 64). */
        public Builder devBatchSize(int n) { this.devBatchSize = n; return this; }
        /** Global gradient-norm threshold (default 1.0, as the paper); 0 = no clipping. */
        public Builder clipNorm(double threshold) { this.clipNorm = threshold; return this; }
        /** Scheduled sampling's ε over updates (default: teacher forcing). */
        public Builder samplingSchedule(SamplingSchedule s) { this.schedule = s; return this; }
        /** Whether sampled inputs are drawn from the softmax (default) or its argmax. */
        public Builder samplingMode(ScheduledSampler.Mode m) { this.samplingMode = m; return this; }
        /** Seed of every random draw during training (dropout, scheduled sampling); default 42. */
        public Builder seed(long seed) { this.seed = seed; return this; }
        /** Stop when this many epochs are complete in total (0 = no limit). */
        public Builder maxEpochs(int n) { this.maxEpochs = n; return this; }
        /** Stop when the model has made this many updates in total (0 = no limit). */
        public Builder maxUpdates(long n) { this.maxUpdates = n; return this; }
        /** Stop after this many wall-clock minutes of this run (0 = no limit; checked between updates). */
        public Builder maxMinutes(double m) { this.maxMinutes = m; return this; }
        /** Evaluate on the dev data every n updates (0 = never). */
        public Builder evaluateEvery(long n) { this.evaluateEvery = n; return this; }
        /** Stop after this many evaluations without a better dev metric (0 = no early stopping). */
        public Builder patience(int n) { this.patience = n; return this; }
        /** Directory for {@code checkpoint.zip} and {@code best.zip} (default: none). */
        public Builder checkpointDir(Path dir) { this.checkpointDir = dir; return this; }
        /** Also checkpoint every n updates (0 = only after evaluations and at the end). */
        public Builder checkpointEvery(long n) { this.checkpointEvery = n; return this; }
        /**
         * Also keep each checkpoint as {@code checkpoint-<update>.zip}, the newest n of them (default 0: only
         * {@code checkpoint.zip}); needs a checkpointDir.
         */
        public Builder keepCheckpoints(int n) { this.keepCheckpoints = n; return this; }
        /** DL4J listeners, attached to the graph during {@link #train()}. */
        public Builder listeners(TrainingListener... l) { this.listeners.addAll(List.of(l)); return this; }
        /** Told of the run's start, updates, evaluations and end, in the order given. */
        public Builder runListeners(TrainingRunListener... l) { this.runListeners.addAll(List.of(l)); return this; }
        /** Told after every update (run listeners that are lambdas). */
        public Builder updateListeners(UpdateListener... l) { return runListeners(l); }

        public Seq2SeqTrainer build() {
            return new Seq2SeqTrainer(this);
        }
    }
}
