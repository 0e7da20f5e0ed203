package org.recurrent4j.nn.cell;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Reusable temporary arrays of a cell, by slot. Allocating an ND4J array costs far more than a small GEMM on it
 * (measured: a 32×256·256×256 {@code mmul} 515 µs, the same {@code Nd4j.gemm} into a kept array 180 µs), so the
 * per-step math allocates nothing: each slot is created once per shape and reused, outside any workspace.
 * Not thread-safe: one instance per cell (or attention score), one cell per layer or vertex.
 */
public final class Scratch {
    private final List<INDArray> slots = new ArrayList<>();

    /** @return the array of this slot with this shape and order (contents undefined) */
    public INDArray get(int slot, DataType type, char order, long... shape) {
        while (slots.size() <= slot) {
            slots.add(null);
        }
        INDArray a = slots.get(slot);
        if (a == null || a.dataType() != type || a.ordering() != order || !Arrays.equals(a.shape(), shape)) {
            try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                a = Nd4j.createUninitialized(type, shape, order);
            }
            slots.set(slot, a);
        }
        return a;
    }
}
