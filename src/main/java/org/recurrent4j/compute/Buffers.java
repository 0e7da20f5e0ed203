package org.recurrent4j.compute;

import java.util.ArrayList;
import java.util.List;

/**
 * Engine memory reused from call to call, by slot: each slot keeps one allocation and hands out its first elements as
 * a row-major matrix of the requested shape. A request that fits reuses the allocation (a shorter batch of sequences,
 * the next pass); a larger one replaces it. Not thread-safe: one instance per layer, cell or decoder.
 */
public final class Buffers {
    private final ComputeEngine engine;
    private final List<EngineBuffer> slots = new ArrayList<>();

    public Buffers(ComputeEngine engine) {
        this.engine = engine;
    }

    /** @return the engine whose memory these buffers are */
    public ComputeEngine engine() {
        return engine;
    }

    /** @return slot k as a row-major [rows, cols] matrix (contents undefined) */
    public Matrix matrix(int slot, Precision precision, long rows, long cols) {
        while (slots.size() <= slot) {
            slots.add(null);
        }
        long length = rows * cols;
        EngineBuffer b = slots.get(slot);
        if (b == null || b.precision() != precision || b.capacity() < length) {
            if (b != null) {
                b.close();
            }
            b = engine.allocate(precision, Math.max(1, length));
            slots.set(slot, b);
        }
        return Matrix.rowMajor(b.address(), precision, rows, cols);
    }

    /** @return slot k as a row-major [rows, cols] matrix of zeros */
    public Matrix zeros(int slot, Precision precision, long rows, long cols) {
        Matrix m = matrix(slot, precision, rows, cols);
        engine.fill(m, 0);
        return m;
    }

    /** Frees every slot's memory (the next request allocates again). */
    public void release() {
        for (EngineBuffer b : slots) {
            if (b != null) {
                b.close();
            }
        }
        slots.clear();
    }
}
