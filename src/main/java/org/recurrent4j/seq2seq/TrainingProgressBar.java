package org.recurrent4j.seq2seq;

import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A console progress bar (me.tongfei progressbar, on standard error) for {@link Seq2SeqTrainer}: updates done of
 * the budget, the smoothed training loss per target token, target tokens per second and the current ε of
 * scheduled sampling. Enable it with {@code Seq2SeqTrainer.builder().progressBar(true)}.
 */
final class TrainingProgressBar implements Seq2SeqTrainer.UpdateListener, AutoCloseable {

    private final ProgressBar bar;
    private final long firstUpdate;
    private final long startNanos = System.nanoTime();
    private double smoothedLoss = Double.NaN;
    private long tokens;

    /**
     * @param taskName    shown left of the bar
     * @param firstUpdate the model's update count when the bar starts
     * @param updates     updates this bar counts to, or −1 when unknown (a time budget)
     */
    public TrainingProgressBar(String taskName, long firstUpdate, long updates) {
        this.firstUpdate = firstUpdate;
        this.bar = new ProgressBarBuilder().setTaskName(taskName).setStyle(ProgressBarStyle.ASCII)
                .setConsumer(new ConsoleProgressBarConsumer(System.err)).setInitialMax(updates)
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
    public void close() {
        bar.close();
    }
}
