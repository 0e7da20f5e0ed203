package org.recurrent4j.seq2seq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@link TrainingBudget}: which limit stops a run, and how many updates it plans. */
class TrainingBudgetTest {
    private static final long NO_DEADLINE = Long.MAX_VALUE;

    private static Seq2SeqTrainingState at(int epoch, int batchInEpoch) {
        return new Seq2SeqTrainingState(epoch, batchInEpoch, 0, 0, 0, Double.NaN, 0, 0);
    }

    @Test
    void theFirstLimitReachedStopsTheRun() {
        TrainingBudget budget = new TrainingBudget(2, 10, 0, 0);
        assertNull(budget.spent(1, 9, NO_DEADLINE, 0));
        assertEquals(Seq2SeqTrainer.StopReason.EPOCHS, budget.spent(2, 3, NO_DEADLINE, 0));
        assertEquals(Seq2SeqTrainer.StopReason.UPDATES, budget.spent(1, 10, NO_DEADLINE, 0));
        assertEquals(Seq2SeqTrainer.StopReason.TIME, budget.spent(0, 0, 1_000, 1_000));
        assertNull(budget.spent(0, 0, 1_000, 999), "before the deadline");
        assertEquals(NO_DEADLINE, budget.deadline(5), "no minutes: no deadline");
        assertEquals(5 + 90_000_000_000L, new TrainingBudget(0, 0, 1.5, 0).deadline(5));
    }

    @Test
    void patienceStopsAfterThatManyEvaluationsWithoutImprovement() {
        assertFalse(new TrainingBudget(0, 0, 0, 0).stopsEarly(100), "0: no early stopping");
        assertFalse(new TrainingBudget(0, 0, 0, 3).stopsEarly(2));
        assertTrue(new TrainingBudget(0, 0, 0, 3).stopsEarly(3));
        assertTrue(new TrainingBudget(0, 0, 0, 3).limitsSomething());
        assertFalse(new TrainingBudget(0, 0, 0, 0).limitsSomething());
    }

    @Test
    void plannedUpdatesComeFromTheUpdateLimitElseTheEpochLimit() {
        assertEquals(6, new TrainingBudget(5, 10, 0, 0).updatesLeft(4, at(0, 0), 3));
        assertEquals(3 * 4 - 1, new TrainingBudget(5, 0, 0, 0).updatesLeft(100, at(2, 1), 4));
        assertEquals(0, new TrainingBudget(0, 3, 0, 0).updatesLeft(7, at(0, 0), 4));
        assertEquals(-1, new TrainingBudget(0, 0, 2, 1).updatesLeft(0, at(0, 0), 4), "time or patience only: unknown");
        assertEquals("epochs 5, updates -, minutes 1.5", new TrainingBudget(5, 0, 1.5, 0).describe());
    }
}
