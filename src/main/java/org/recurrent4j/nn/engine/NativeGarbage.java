package org.recurrent4j.nn.engine;

import org.bytedeco.javacpp.Pointer;

/**
 * Keeps the memory of ND4J arrays that are garbage from piling up. ND4J frees an array's native memory only after the
 * Java garbage collector has found the array unreachable, and nothing makes the collector run when the Java heap is
 * calm: a loop that makes many short-lived arrays (decoding a test set with beam search, one step after another)
 * grew a process to 19 GB resident, nearly all of it garbage. Loops of that kind call {@link #collectIfGrown()} once
 * per iteration: when the resident memory has grown by more than the headroom since the last collection, it runs one
 * (the freed memory is reused by the arrays that follow).
 *
 * <p>The headroom is 256 MB, or the value of the system property {@code recurrent4j.nativeHeadroomMB}; 0 turns the
 * collections off.
 */
public final class NativeGarbage {
    private static final long HEADROOM = Long.getLong("recurrent4j.nativeHeadroomMB", 256) << 20;
    private static long threshold;

    private NativeGarbage() {
    }

    /**
     * Returns the C heap's free memory to the operating system ({@code malloc_trim}, which JavaCPP calls before it
     * collects for its own allocations and keeps private): without it the freed arrays' pages stay resident.
     */
    private static void trimMalloc() {
        try {
            java.lang.reflect.Method trim = Pointer.class.getDeclaredMethod("trimMemory");
            trim.setAccessible(true);
            trim.invoke(null);
        } catch (ReflectiveOperationException | RuntimeException e) {
            // an older or newer JavaCPP without it: the memory is still reused by later arrays
        }
    }

    /** Runs a garbage collection when the resident memory has grown by more than the headroom since the last one. */
    public static void collectIfGrown() {
        if (HEADROOM <= 0) {
            return;
        }
        long resident = Pointer.physicalBytes();
        synchronized (NativeGarbage.class) {
            if (threshold == 0) {
                threshold = resident + HEADROOM;
                return;
            }
            if (resident <= threshold) {
                return;
            }
            System.gc();
            try {
                Thread.sleep(20);                                  // ND4J's deallocator threads free the memory
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            trimMalloc();
            threshold = Pointer.physicalBytes() + HEADROOM;
        }
    }
}
