package org.recurrent4j.cli;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.recurrent4j.experiment.ExperimentProgress;

/**
 * The bleu-vs-length command's {@link ExperimentProgress}: one console progress bar (me.tongfei progressbar, on
 * standard error) over the whole experiment: every model's
 * training updates and translated test sentences, with what each model is doing now as the bar's message
 * ({@code RNNsearch-50 train 320/2400 | RNNenc-30 decode 256/1022}). Thread-safe: the models of the experiment run
 * in parallel and report into one bar. On a console it redraws every second; in a log (no console) every 30 s.
 *
 * <p>Independent of logging on purpose: under {@code mvn -q exec:java} SLF4J output goes to Maven's logger, which
 * {@code -q} silences, and a 20-minute job must still show that it is alive.
 */
final class ExperimentProgressBar implements ExperimentProgress {
    private final ProgressBar bar;
    private final Map<String, String> activity = new LinkedHashMap<>();

    /** @param totalSteps one per training update and per translated sentence, of all models */
    ExperimentProgressBar(long totalSteps) {
        boolean console = System.console() != null;
        this.bar = new ProgressBarBuilder().setTaskName("bleu-vs-length").setStyle(ProgressBarStyle.ASCII)
                .setConsumer(new ConsoleProgressBarConsumer(System.err)).setInitialMax(totalSteps)
                .setUpdateIntervalMillis(console ? 1_000 : 30_000).setUnit(" steps", 1).continuousUpdate()
                .build();
    }

    @Override
    public void advance(String model, String phase, long done, long total, long steps) {
        synchronized (activity) {
            activity.put(model, phase + " " + done + "/" + total);
            bar.setExtraMessage(" " + activity.entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                    .collect(Collectors.joining(" | ")));
        }
        bar.stepBy(steps);
    }

    /** Removes {@code model} from the bar's message. */
    @Override
    public void finished(String model) {
        synchronized (activity) {
            activity.remove(model);
        }
    }

    @Override
    public void close() {
        bar.close();
    }
}
