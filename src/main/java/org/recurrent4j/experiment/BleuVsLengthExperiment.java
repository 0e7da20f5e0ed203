package org.recurrent4j.experiment;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The reproduction of Fig. 2 and Table 1 of Bahdanau, Cho &amp; Bengio (2014): for each length filter, train RNNenc
 * and RNNsearch ({@code ModelTrainer}), translate the test split with beam search and score it by source length
 * ({@code ModelEvaluator}), then write the results ({@link CurvesCsv}, {@link SummaryCsv}, {@link BleuVsLengthPlot},
 * {@link ResultsTable}), the translations and the models into one directory.
 *
 * <p>Models are trained {@link ExperimentSettings#threads()} at a time, each in its own thread; every model depends
 * only on the corpus and the settings (its own seeded initialisation and data order), so the results do not depend
 * on the number of threads or on scheduling.
 */
public final class BleuVsLengthExperiment {
    private static final Logger log = LoggerFactory.getLogger(BleuVsLengthExperiment.class);

    /** Folder of the trained models inside the output directory. */
    public static final String MODELS = "models";
    /** Folder of the test translations inside the output directory. */
    public static final String TRANSLATIONS = "translations";

    private final ExperimentSettings settings;
    private final String mode;
    private final TranslatorFactory translators;

    /**
     * @param settings    the settings
     * @param mode        a label for results ("quick", "full")
     * @param translators makes the decoder of each trained model
     */
    public BleuVsLengthExperiment(ExperimentSettings settings, String mode, TranslatorFactory translators) {
        this.settings = Objects.requireNonNull(settings, "BleuVsLengthExperiment: settings");
        this.mode = Objects.requireNonNull(mode, "BleuVsLengthExperiment: mode");
        this.translators = Objects.requireNonNull(translators, "BleuVsLengthExperiment: translators");
    }

    /** @return the four models (RNNenc, RNNsearch for each length filter, shortest filter first) */
    public List<ModelSpec> models() {
        List<ModelSpec> specs = new ArrayList<>();
        for (int n : settings.lengthFilters().stream().sorted().toList()) {
            specs.add(new ModelSpec(false, n));
            specs.add(new ModelSpec(true, n));
        }
        return specs;
    }

    /**
     * The order in which the models start: the most expensive first (longer training pairs, then attention), so that
     * the threads finish close together; with two threads the run takes about the time of the two costliest models
     * paired with the two cheapest, instead of the -30 pair followed by the -50 pair. Results do not depend on it.
     */
    static List<ModelSpec> longestFirst(List<ModelSpec> specs) {
        return specs.stream()
                .sorted(Comparator.comparingInt(ModelSpec::maxLength).thenComparing(ModelSpec::attention).reversed())
                .toList();
    }

    /** Trains, evaluates and writes everything into {@code out}; returns the results. Reports no progress. */
    public ExperimentResult run(PreparedCorpus corpus, Path out) {
        return run(corpus, out, steps -> ExperimentProgress.SILENT);
    }

    /**
     * Trains, evaluates and writes everything into {@code out}; returns the results.
     *
     * @param progress what reports the run's progress, given its total steps (one per training update and per
     *                 translated sentence of every model; updates count 0 when the budget is in epochs)
     */
    public ExperimentResult run(PreparedCorpus corpus, Path out, ExperimentProgress.Factory progress) {
        long wall0 = System.nanoTime();
        double cpu0 = processCpuSeconds();
        ModelTrainer trainer = new ModelTrainer(settings);
        ModelEvaluator evaluator = new ModelEvaluator(settings);
        ExecutorService pool = Executors.newFixedThreadPool(settings.threads());
        List<ModelResult> results = new ArrayList<>();
        long updates = settings.updates() > 0 ? settings.updates() : 0;   // epochs: the bar's total is unknown
        try (ExperimentProgress reporter = progress.start((long) models().size() * (updates + corpus.test().size()))) {
            Map<ModelSpec, Future<ModelResult>> futures = new HashMap<>();
            for (ModelSpec spec : longestFirst(models())) {
                futures.put(spec, pool.submit(() -> {
                    TrainedModel trained = trainer.train(spec, corpus, reporter);
                    trained.model().save(out.resolve(MODELS).resolve(spec.name() + ".zip"));
                    ModelResult r = evaluator.evaluate(trained, corpus,
                            translators.create(trained, settings), reporter);
                    reporter.finished(spec.name());
                    Utf8Files.write(out.resolve(TRANSLATIONS).resolve(spec.name() + ".txt"),
                            String.join("\n", r.hypotheses()) + "\n");
                    return r;
                }));
            }
            for (ModelSpec spec : models()) {
                results.add(futures.get(spec).get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("BleuVsLengthExperiment: interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException("BleuVsLengthExperiment: a model failed: " + cause, cause);
        } finally {
            pool.shutdownNow();
        }
        ExperimentResult result = new ExperimentResult(corpus.name(), mode, settings, corpus.test().size(), results,
                ModelEvaluator.METRIC.signature(1), MachineInfo.current(), (System.nanoTime() - wall0) / 1e9,
                processCpuSeconds() - cpu0);
        write(result, out);
        return result;
    }

    /** Writes the CSV files, the plot and the table of {@code result} into {@code out}. */
    public static void write(ExperimentResult result, Path out) {
        CurvesCsv.write(result, out);
        SummaryCsv.write(result, out);
        BleuVsLengthPlot.write(result, out);
        ResultsTable.write(result, out);
        log.info("wrote {}, {}, {}.png/.svg, {} into {}", CurvesCsv.FILE, SummaryCsv.FILE, BleuVsLengthPlot.BASE,
                ResultsTable.FILE, out.toAbsolutePath());
    }

    private static double processCpuSeconds() {
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getProcessCpuTime() / 1e9;
        }
        return Double.NaN;
    }

    /** Makes the decoder of a trained model (beam search in the command; anything in tests). */
    @FunctionalInterface
    public interface TranslatorFactory {
        SentenceTranslator create(TrainedModel model, ExperimentSettings settings);
    }
}
