package org.recurrent4j.nn.engine;

/**
 * A thread that runs the garbage collector every millisecond until closed: an array that the compute engine reads
 * through a view but nothing keeps reachable gets collected, and its memory freed, while the engine still reads it.
 */
public final class ConstantGarbageCollection implements AutoCloseable {
    private final Thread collector;
    private volatile boolean running = true;

    public ConstantGarbageCollection() {
        collector = new Thread(() -> {
            while (running) {
                System.gc();
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "garbage-collections");
        collector.setDaemon(true);
        collector.start();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        collector.join();
    }
}
