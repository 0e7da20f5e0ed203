package org.rapaio.jupyter.kernel.channels;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Replacement for rapaio-jupyter-kernel 3.0.1's {@code LoopThread}, put before the kernel jar on the class path
 * (same name, same public API) to remove a start-up race.
 *
 * <p>The original keeps a {@code running} flag that starts {@code false} and is set to {@code true} in
 * {@code start()} only <em>after</em> {@code Thread.start()}: when the new thread is scheduled first, it finds
 * the flag still {@code false} and ends at once. The shell or control channel then never reads a message and
 * Jupyter reports "Kernel didn't respond" (seen in about 1 start in 3 on a loaded 2-core machine). Here the
 * flag is {@code true} from construction. Also, the original let any exception of the loop body end the
 * thread silently (the kernel redirects stderr); here it is logged and the loop goes on.
 */
public final class LoopThread extends Thread {

    private static final Logger LOGGER = Logger.getLogger(LoopThread.class.getSimpleName());

    private volatile boolean running = true;
    private final long sleepMillis;
    private final Runnable loopBody;

    /**
     * @param name        thread name
     * @param sleepMillis pause after each run of the loop body, in milliseconds
     * @param loopBody    work done on each iteration (polls a socket and handles at most one message)
     */
    public LoopThread(String name, long sleepMillis, Runnable loopBody) {
        super(name);
        this.sleepMillis = sleepMillis;
        this.loopBody = loopBody;
    }

    @Override
    public void run() {
        while (running) {
            try {
                loopBody.run();
            } catch (RuntimeException e) {
                LOGGER.log(Level.SEVERE, getName() + ": loop body failed; continuing", e);
            }
            try {
                Thread.sleep(sleepMillis);
            } catch (InterruptedException e) {
                running = false;
                return;
            }
        }
    }

    /** Ends the loop after the current iteration. */
    public void shutdown() {
        running = false;
    }
}
