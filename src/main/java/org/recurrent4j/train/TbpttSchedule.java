package org.recurrent4j.train;

import java.util.ArrayList;
import java.util.List;

/**
 * The windows of truncated BPTT(k1, k2) over one sequence of length T.
 *
 * <p>Updates happen at the ends {@code e = k1, 2·k1, …} and at {@code T} (when T is not a multiple of k1).
 * The update at end {@code e} (previous end {@code p}, 0 for the first) has the window {@code [s, e)} with
 * {@code s = max(0, e − k2)}: the network runs forward over the window from the state carried to step
 * {@code s}, the losses of the steps {@code [max(s, p), e)} are backpropagated through the whole window, i.e.
 * a loss at step t is backpropagated {@code t − s + 1} steps, down to step s and no further.
 * <ul>
 *   <li>k2 ≥ k1: the losses counted are exactly the k1 steps since the previous update; windows overlap by
 *       k2 − k1 steps, and every loss term is counted in exactly one update.</li>
 *   <li>k2 &lt; k1: only the last k2 steps' losses are counted; the losses of steps {@code [p, e − k2)} are not
 *       trained on (these steps only carry the state forward), as in DL4J's backward length.</li>
 * </ul>
 */
final class TbpttSchedule {

    /** One update: run forward over {@code [start, end)}, count the losses of {@code [lossStart, end)}. */
    record Window(long start, long lossStart, long end) {
        long length() {
            return end - start;
        }
    }

    private TbpttSchedule() {
    }

    /** The windows for per-step labels over a sequence of {@code length} steps. */
    static List<Window> manyToMany(long length, int k1, int k2) {
        List<Window> windows = new ArrayList<>();
        long previousEnd = 0;
        while (previousEnd < length) {
            long end = Math.min(previousEnd + k1, length);
            long start = Math.max(0, end - k2);
            windows.add(new Window(start, Math.max(start, previousEnd), end));
            previousEnd = end;
        }
        return windows;
    }

    /** The single window for one label at the end of a sequence of {@code length} steps: the last k2 steps. */
    static Window manyToOne(long length, int k2) {
        long start = Math.max(0, length - k2);
        return new Window(start, start, length);
    }
}
