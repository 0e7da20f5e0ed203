package org.recurrent4j.experiment;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One console progress bar (me.tongfei progressbar, on standard error) over the whole experiment: every model's
 * training updates and translated test sentences, with what each model is doing now as the bar's message
 * ({@code RNNsearch-50 train 320/2400 | RNNenc-30 decode 256/1022}). Thread-safe: the models of the experiment run
 * in parallel and report into one bar. On a console it redraws every second; in a log (no console) every 30 s.
 *
 * <p>Independent of logging on purpose: under {@code mvn -q exec:java} SLF4J output goes to Maven's logger, which
 * {@code -q} silences, and a 20-minute job must still show that it is alive.
 */
public final class ExperimentProgress implements AutoCloseable {
    /** A bar that draws nothing (tests, library use). */
    public static final ExperimentProgress SILENT = new ExperimentProgress();

    private final ProgressBar bar;
    private final Map<String, String> activity = new LinkedHashMap<>();

    private ExperimentProgress() {
        this.bar = null;
    }

    private ExperimentProgress(long totalSteps) {
        boolean console = System.console() != null;
        this.bar = new ProgressBarBuilder().setTaskName("bleu-vs-length").setStyle(ProgressBarStyle.ASCII)
                .setConsumer(new ConsoleProgressBarConsumer(System.err)).setInitialMax(totalSteps)
                .setUpdateIntervalMillis(console ? 1_000 : 30_000).setUnit(" steps", 1).continuousUpdate()
                .build();
    }

    /**
     * @param models          models of the experiment
     * @param updatesPerModel training updates of each
     * @param testSentences   sentences each model translates
     * @return a bar counting one step per update and per translated sentence
     */
    public static ExperimentProgress console(int models, long updatesPerModel, int testSentences) {
        return new ExperimentProgress((long) models * (updatesPerModel + testSentences));
    }

    /** Records that {@code model} has done {@code done} of {@code total} in {@code phase}, {@code steps} steps more. */
    public void advance(String model, String phase, long done, long total, long steps) {
        if (bar == null) {
            return;
        }
        synchronized (activity) {
            activity.put(model, phase + " " + done + "/" + total);
            bar.setExtraMessage(" " + activity.entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                    .collect(Collectors.joining(" | ")));
        }
        bar.stepBy(steps);
    }

    /** Removes {@code model} from the bar's message (it has finished). */
    public void finished(String model) {
        if (bar == null) {
            return;
        }
        synchronized (activity) {
            activity.remove(model);
        }
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }
}
