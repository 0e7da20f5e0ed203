package org.recurrent4j.nn.attention;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.SpecifiedIndex;

/**
 * What attention reads for one batch of source sentences, prepared once: keys, values, the projected keys, the mask.
 *
 * @param keys          [mb, Tk, dk] c-order
 * @param values        [mb, Tk, dv] c-order (the same array as keys when keys = values)
 * @param projectedKeys [mb, Tk, a] from {@link AttentionScore#projectKeys}
 * @param mask          [mb, Tk] 0/1, or null when every position is real
 * @param preparedKeys  what the score precomputed from the projected keys for every query
 *                      ({@link AttentionScore#prepareKeys}, e.g. [mb, Tk, a]), or null
 */
public record AttentionMemory(INDArray keys, INDArray values, INDArray projectedKeys, INDArray mask,
                              INDArray preparedKeys) {

    /** @return Tk, the number of source positions */
    public long length() {
        return keys.size(1);
    }

    /** @return the minibatch size */
    public long size() {
        return keys.size(0);
    }

    /**
     * @param rows for each output row, the row of this memory it copies (e.g. each beam's source sentence)
     * @return a memory of {@code rows.length} rows
     */
    public AttentionMemory selectRows(long[] rows) {
        INDArray k = select3(keys, rows);
        INDArray v = values == keys ? k : select3(values, rows);
        INDArray pk = projectedKeys == keys ? k : select3(projectedKeys, rows);
        INDArray m = mask == null ? null : mask.get(new SpecifiedIndex(rows), all()).dup('c');
        INDArray prepared = preparedKeys == null ? null : select3(preparedKeys, rows);
        return new AttentionMemory(k, v, pk, m, prepared);
    }

    private static INDArray select3(INDArray a, long[] rows) {
        return a.get(new SpecifiedIndex(rows), all(), all()).dup('c');
    }
}
