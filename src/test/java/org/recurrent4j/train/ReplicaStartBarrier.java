package org.recurrent4j.train;

import java.io.Serializable;
import org.deeplearning4j.core.storage.StatsStorageRouter;
import org.deeplearning4j.core.storage.listener.RoutingIterationListener;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;

/**
 * Makes every worker of a DL4J 1.0.0-M2.1 {@code ParallelWrapper} wait, before its first parameter update of a
 * {@code fit} call, until all workers have built their replicas.
 *
 * <p>Why: {@code ParallelWrapper.fit} starts its workers and feeds them at once; worker 0 trains the model itself,
 * while each other worker, in its own thread, builds its replica and copies the model's parameters and updater state
 * into it ({@code DefaultTrainer.run}). Nothing orders the two, so a replica may copy the model after worker 0 has
 * already updated it with the first minibatch, and then starts one step ahead (measured: the same minibatch on two
 * workers gave 1.5 plain steps instead of 1). This happens at the start of every {@code fit} call.
 *
 * <p>How: each worker gets its own copy of this listener through {@link #clone()}, which {@code DefaultTrainer}
 * calls after the replica's parameters are copied; a copy waits in its first {@code onGradientCalculation}, i.e.
 * before the updater changes anything, until all copies of its {@code fit} call exist. Attach it to the model before
 * building the wrapper. Only for exact comparisons (the tests); it waits at most {@link #TIMEOUT_MS}.
 */
final class ReplicaStartBarrier extends BaseTrainingListener implements RoutingIterationListener {
    static final long TIMEOUT_MS = 60_000;

    /** How many copies have been made, shared by the original and its copies. */
    private static final class Arrivals implements Serializable {
        private int count;

        synchronized int arrive() {
            int n = count++;
            notifyAll();
            return n;
        }

        synchronized void awaitAtLeast(int target) {
            long deadline = System.currentTimeMillis() + TIMEOUT_MS;
            while (count < target) {
                long left = deadline - System.currentTimeMillis();
                if (left <= 0) {
                    throw new IllegalStateException("ReplicaStartBarrier: " + count + " workers started, waited for "
                            + target + " for " + TIMEOUT_MS + " ms");
                }
                try {
                    wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("ReplicaStartBarrier interrupted", e);
                }
            }
        }
    }

    private final int workers;
    private final Arrivals arrivals;
    /** The number of copies to wait for; 0 for the original, which never waits. */
    private final int awaited;
    private boolean passed;
    private String workerId;
    private StatsStorageRouter router;

    ReplicaStartBarrier(int workers) {
        this(workers, new Arrivals(), 0);
    }

    private ReplicaStartBarrier(int workers, Arrivals arrivals, int awaited) {
        this.workers = workers;
        this.arrivals = arrivals;
        this.awaited = awaited;
    }

    @Override
    public void onGradientCalculation(Model model) {
        if (!passed) {
            arrivals.awaitAtLeast(awaited);
            passed = true;
        }
    }

    /** A worker's copy: the n-th copy belongs to {@code fit} call n / workers and waits for all copies of that call. */
    @Override
    public ReplicaStartBarrier clone() {
        int n = arrivals.arrive();
        return new ReplicaStartBarrier(workers, arrivals, (n / workers + 1) * workers);
    }

    @Override
    public void setStorageRouter(StatsStorageRouter router) {
        this.router = router;
    }

    @Override
    public StatsStorageRouter getStorageRouter() {
        return router;
    }

    @Override
    public void setWorkerID(String workerId) {
        this.workerId = workerId;
    }

    @Override
    public String getWorkerID() {
        return workerId;
    }

    /** {@code RoutingIterationListener}'s statistics-storage key: the barrier stores no statistics. */
    @Override
    public void setSessionID(String storageKey) {
    }

    @Override
    public String getSessionID() {
        return null;
    }
}
