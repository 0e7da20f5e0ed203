package org.recurrent4j.compute.attention;

import org.recurrent4j.compute.Matrix;

/**
 * What attention reads for one batch of sources, prepared once: batch-major rows, row {@code b·Tk + j} = position j of
 * example b.
 *
 * @param keys          [mb·Tk, dk]
 * @param values        [mb·Tk, dv] (the same matrix as keys when keys = values)
 * @param projectedKeys [mb·Tk, a] from {@link ScoreFunction#projectKeys}
 * @param mask          [mb, Tk] of 0/1, or null when every position is real
 * @param size          mb
 * @param length        Tk
 */
public record Memory(Matrix keys, Matrix values, Matrix projectedKeys, Matrix mask, long size, long length) {
}
