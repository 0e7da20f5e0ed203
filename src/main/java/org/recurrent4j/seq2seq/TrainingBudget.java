package org.recurrent4j.seq2seq;

/**
 * When a {@link Seq2SeqTrainer} run stops: after {@code maxEpochs} epochs or {@code maxUpdates} updates in total,
 * after {@code maxMinutes} wall-clock minutes of the run, or after {@code patience} dev evaluations without
 * improvement, whichever comes first; 0 switches a limit off.
 *
 * @param maxEpochs  epochs complete in total (0 = no limit)
 * @param maxUpdates updates of the model in total (0 = no limit)
 * @param maxMinutes wall-clock minutes of this run (0 = no limit; checked between updates)
 * @param patience   evaluations without a better dev metric (0 = no early stopping)
 */
record TrainingBudget(int maxEpochs, long maxUpdates, double maxMinutes, int patience) {

    /** @return whether some limit is set (a run without one would never stop) */
    boolean limitsSomething() {
        return maxEpochs > 0 || maxUpdates > 0 || maxMinutes > 0 || patience > 0;
    }

    /** @return the {@link System#nanoTime()} at which a run started at {@code startNanos} is out of time */
    long deadline(long startNanos) {
        return maxMinutes > 0 ? startNanos + (long) (maxMinutes * 60e9) : Long.MAX_VALUE;
    }

    /**
     * @param epoch         the epoch about to be trained on
     * @param updates       the model's update count
     * @param deadlineNanos from {@link #deadline}
     * @param nowNanos      the {@link System#nanoTime()} of the check
     * @return why the budget is spent, or null when another update may be made
     */
    Seq2SeqTrainer.StopReason spent(int epoch, long updates, long deadlineNanos, long nowNanos) {
        if (maxEpochs > 0 && epoch >= maxEpochs) {
            return Seq2SeqTrainer.StopReason.EPOCHS;
        }
        if (maxUpdates > 0 && updates >= maxUpdates) {
            return Seq2SeqTrainer.StopReason.UPDATES;
        }
        if (nowNanos >= deadlineNanos) {
            return Seq2SeqTrainer.StopReason.TIME;
        }
        return null;
    }

    /** @return whether {@code evaluationsWithoutImprovement} exhausts the patience */
    boolean stopsEarly(int evaluationsWithoutImprovement) {
        return patience > 0 && evaluationsWithoutImprovement >= patience;
    }

    /**
     * @param updates         the model's update count
     * @param state           where training stands
     * @param batchesPerEpoch minibatches per epoch
     * @return the updates left by the update and epoch limits, or −1 when only time or patience limit the run
     */
    long updatesLeft(long updates, Seq2SeqTrainingState state, int batchesPerEpoch) {
        if (maxUpdates > 0) {
            return Math.max(0, maxUpdates - updates);
        }
        if (maxEpochs > 0) {
            return Math.max(0, (long) (maxEpochs - state.epoch()) * batchesPerEpoch - state.batchInEpoch());
        }
        return -1;
    }

    /** @return the limits as the trainer logs them: {@code epochs 3, updates -, minutes 1.5} */
    String describe() {
        return "epochs " + orDash(maxEpochs) + ", updates " + orDash(maxUpdates) + ", minutes "
                + (maxMinutes > 0 ? maxMinutes : "-");
    }

    private static String orDash(long limit) {
        return limit > 0 ? Long.toString(limit) : "-";
    }
}
