package org.recurrent4j.nn.cell;

import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Reusable temporary arrays of a cell, by slot. Allocating an ND4J array costs far more than a small GEMM on it
 * (measured: a 32×256·256×256 {@code mmul} 515 µs, the same {@code Nd4j.gemm} into a kept array 180 µs; a fresh
 * 3.9 MB array about 2 ms of page faults), so the per-step math allocates nothing: each slot keeps one allocation,
 * outside any workspace, and hands out its first elements in the requested shape. A smaller request (a shorter
 * batch of sequences) reuses the allocation; a larger one replaces it. Not thread-safe: one instance per cell (or
 * attention score, or decoder), one cell per layer or vertex.
 */
public final class Scratch {
    private final List<INDArray> allocations = new ArrayList<>();
    private final List<INDArray> handedOut = new ArrayList<>();

    /** @return the array of this slot with this shape and order, contiguous (contents undefined) */
    public INDArray get(int slot, DataType type, char order, long... shape) {
        while (allocations.size() <= slot) {
            allocations.add(null);
            handedOut.add(null);
        }
        INDArray last = handedOut.get(slot);
        if (last != null && last.dataType() == type && last.ordering() == order && Arrays.equals(last.shape(), shape)) {
            return last;
        }
        long length = 1;
        for (long d : shape) {
            length *= d;
        }
        INDArray flat = allocations.get(slot);                                           // [capacity] c
        if (flat == null || flat.dataType() != type || flat.length() < length) {
            try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                flat = Nd4j.createUninitialized(type, new long[] {Math.max(length, 1)}, 'c');
            }
            allocations.set(slot, flat);
        }
        INDArray a = (flat.length() == length ? flat : flat.get(interval(0, length))).reshape(order, shape);
        if (a.data().addressPointer().address() != flat.data().addressPointer().address() || a.offset() != 0) {
            throw new IllegalStateException("Scratch: ND4J copied instead of viewing the first " + length
                    + " elements as " + Arrays.toString(shape) + " '" + order + "'");
        }
        handedOut.set(slot, a);
        return a;
    }
}
