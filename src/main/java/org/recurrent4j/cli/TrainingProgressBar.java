package org.recurrent4j.cli;

import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.recurrent4j.seq2seq.Seq2SeqTrainer;
import org.recurrent4j.seq2seq.TrainingRunListener;

/**
 * The {@code train} command's console progress bar (me.tongfei progressbar, on standard error), told by
 * {@link Seq2SeqTrainer} as a {@link TrainingRunListener}: updates done of the budget, the smoothed training loss
 * per target token, target tokens per second and the current ε of scheduled sampling. It appears when the run
 * starts and is closed when the run ends.
 */
final class TrainingProgressBar implements TrainingRunListener {
    private final String taskName;
    private ProgressBar bar;
    private long firstUpdate;
    private long startNanos;
    private double smoothedLoss = Double.NaN;
    private long tokens;

    /** @param taskName shown left of the bar */
    TrainingProgressBar(String taskName) {
        this.taskName = taskName;
    }

    @Override
    public void runStarted(long firstUpdate, long plannedUpdates) {
        this.firstUpdate = firstUpdate;
        this.startNanos = System.nanoTime();
        this.bar = new ProgressBarBuilder().setTaskName(taskName).setStyle(ProgressBarStyle.ASCII)
                .setConsumer(new ConsoleProgressBarConsumer(System.err)).setInitialMax(plannedUpdates)
                .setUnit(" updates", 1).build();
    }

    @Override
    public void updateDone(Seq2SeqTrainer.UpdateReport r) {
        smoothedLoss = Double.isNaN(smoothedLoss) ? r.loss() : 0.95 * smoothedLoss + 0.05 * r.loss();
        tokens += r.tokens();
        bar.stepTo(r.updates() - firstUpdate);
        bar.setExtraMessage(String.format(Locale.ROOT, " epoch %d, loss %.3f, %.0f tok/s%s", r.epoch(), smoothedLoss,
                tokens / ((System.nanoTime() - startNanos) / 1e9),
                r.epsilon() < 1 ? String.format(Locale.ROOT, ", eps %.3f", r.epsilon()) : ""));
    }

    @Override
    public void runEnded() {
        if (bar != null) {
            bar.close();
        }
    }
}
