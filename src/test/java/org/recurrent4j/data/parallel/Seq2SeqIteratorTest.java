package org.recurrent4j.data.parallel;

import org.deeplearning4j.datasets.iterator.AsyncMultiDataSetIterator;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Seq2SeqIteratorTest {

    private static INDArray arr(float[][] rows) {
        return Nd4j.createFromArray(rows).castTo(DataType.FLOAT);
    }

    private static INDArray ids(float[][] rows) {
        INDArray a = arr(rows);
        return a.reshape(a.size(0), 1, a.size(1));
    }

    @Test
    void exactIdsMasksAndShapes() {
        List<EncodedPair> pairs = List.of(
                new EncodedPair(0, new int[]{4, 5, 6}, new int[]{7, 8}),
                new EncodedPair(1, new int[]{9}, new int[]{10, 11, 12, 13}),
                new EncodedPair(2, new int[]{4, 4}, new int[]{5}),
                new EncodedPair(3, new int[]{8}, new int[]{9}));
        Seq2SeqIterator it = Seq2SeqIterator.builder().pairs(pairs).batchSize(3).batchesPerPool(1).shuffle(false).build();
        assertEquals(2, it.batchesPerEpoch());
        MultiDataSet b = it.next();
        assertEquals(2, b.getFeatures().length);
        assertEquals(1, b.getLabels().length);
        assertEquals(ids(new float[][]{{4, 5, 6}, {9, 0, 0}, {4, 4, 0}}), b.getFeatures(0));
        assertEquals(arr(new float[][]{{1, 1, 1}, {1, 0, 0}, {1, 1, 0}}), b.getFeaturesMaskArray(0));
        assertEquals(ids(new float[][]{{2, 7, 8, 0, 0}, {2, 10, 11, 12, 13}, {2, 5, 0, 0, 0}}), b.getFeatures(1));
        assertEquals(ids(new float[][]{{7, 8, 3, 0, 0}, {10, 11, 12, 13, 3}, {5, 3, 0, 0, 0}}), b.getLabels(0));
        INDArray targetMask = arr(new float[][]{{1, 1, 1, 0, 0}, {1, 1, 1, 1, 1}, {1, 1, 0, 0, 0}});
        assertEquals(targetMask, b.getFeaturesMaskArray(1));
        assertEquals(targetMask, b.getLabelsMaskArray(0));
        MultiDataSet last = it.next();
        assertEquals(ids(new float[][]{{8}}), last.getFeatures(0));
        assertEquals(ids(new float[][]{{2, 9}}), last.getFeatures(1));
        assertEquals(ids(new float[][]{{9, 3}}), last.getLabels(0));
        assertFalse(it.hasNext());
        assertThrows(java.util.NoSuchElementException.class, it::next);
    }

    /** @return n pairs of 1–40 source and 1–40 target ids, drawn with the seed */
    static List<EncodedPair> randomPairs(int n, long seed) {
        Random r = new Random(seed);
        List<EncodedPair> pairs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int[] s = r.ints(1 + r.nextInt(40), 4, 100).toArray();
            int[] t = r.ints(1 + r.nextInt(40), 4, 100).toArray();
            pairs.add(new EncodedPair(i, s, t));
        }
        return pairs;
    }

    /** Number of padded target steps in an epoch (a naive sum over the plan). */
    private static long targetPadding(Seq2SeqIterator it, List<EncodedPair> pairs) {
        long pad = 0;
        for (int[] batch : it.batchPlan()) {
            int max = Arrays.stream(batch).map(i -> pairs.get(i).target().length).max().orElseThrow();
            for (int i : batch) {
                pad += max - pairs.get(i).target().length;
            }
        }
        return pad;
    }

    @Test
    void bucketingKeepsEveryPairOnceAndCutsPadding() {
        List<EncodedPair> pairs = randomPairs(1000, 1);
        Seq2SeqIterator bucketed = Seq2SeqIterator.builder().pairs(pairs).batchSize(16).batchesPerPool(20).seed(3).build();
        Seq2SeqIterator plain = Seq2SeqIterator.builder().pairs(pairs).batchSize(16).batchesPerPool(1).seed(3).build();
        for (int epoch = 0; epoch < 2; epoch++) {
            int[] seen = new int[pairs.size()];
            List<int[]> plan = bucketed.batchPlan();
            int batches = 0;
            while (bucketed.hasNext()) {
                MultiDataSet mds = bucketed.next();
                int[] rows = plan.get(batches++);
                assertEquals(rows.length, mds.getFeatures(0).size(0));
                int[][] src = mds.getFeatures(0).reshape(rows.length, mds.getFeatures(0).size(2)).toIntMatrix();
                int[][] srcMask = mds.getFeaturesMaskArray(0).toIntMatrix();
                int[][] tgtMask = mds.getLabelsMaskArray(0).toIntMatrix();
                for (int r = 0; r < rows.length; r++) {
                    seen[rows[r]]++;
                    EncodedPair p = pairs.get(rows[r]);
                    // the row holds this pair: source ids then padding
                    assertArrayEquals(p.source(), Arrays.copyOf(src[r], p.source().length));
                    assertEquals(p.source().length, Arrays.stream(srcMask[r]).sum());
                    assertEquals(p.target().length + 1, Arrays.stream(tgtMask[r]).sum());
                }
            }
            assertEquals(63, batches);                       // ceil(1000 / 16)
            for (int count : seen) {
                assertEquals(1, count);
            }
            bucketed.reset();
        }
        long withBuckets = targetPadding(bucketed, pairs);
        long without = targetPadding(plain, pairs);
        assertTrue(withBuckets * 5 < without, "padding " + withBuckets + " vs " + without);
    }

    private static List<String> epochBatches(Seq2SeqIterator it) {
        List<String> out = new ArrayList<>();
        while (it.hasNext()) {
            MultiDataSet m = it.next();
            out.add(m.getFeatures(0).toString() + m.getFeatures(1) + m.getLabels(0) + m.getLabelsMaskArray(0));
        }
        return out;
    }

    @Test
    void resetReproducesBatches() {
        List<EncodedPair> pairs = randomPairs(200, 2);
        Seq2SeqIterator same = Seq2SeqIterator.builder().pairs(pairs).batchSize(8).batchesPerPool(5)
                .reshuffleEachEpoch(false).build();
        List<String> first = epochBatches(same);
        same.reset();
        assertEquals(first, epochBatches(same));

        Seq2SeqIterator a = Seq2SeqIterator.builder().pairs(pairs).batchSize(8).batchesPerPool(5).build();
        List<String> a0 = epochBatches(a);
        a.reset();
        assertEquals(1, a.epoch());
        List<String> a1 = epochBatches(a);
        assertEquals(first, a0);                             // same seed, same epoch 0
        assertTrue(!a0.equals(a1));                          // a new shuffle for epoch 1
        Seq2SeqIterator b = Seq2SeqIterator.builder().pairs(pairs).batchSize(8).batchesPerPool(5).build();
        b.setEpoch(1);
        assertEquals(a1, epochBatches(b));                   // any epoch can be replayed
    }

    @Test
    void asyncPrefetchGivesTheSameBatches() {
        List<EncodedPair> pairs = randomPairs(100, 4);
        List<String> direct = epochBatches(Seq2SeqIterator.builder().pairs(pairs).batchSize(8).build());
        Seq2SeqIterator inner = Seq2SeqIterator.builder().pairs(pairs).batchSize(8).build();
        AsyncMultiDataSetIterator async = new AsyncMultiDataSetIterator(inner, 4);
        List<String> prefetched = new ArrayList<>();
        while (async.hasNext()) {
            MultiDataSet m = async.next();
            prefetched.add(m.getFeatures(0).toString() + m.getFeatures(1) + m.getLabels(0) + m.getLabelsMaskArray(0));
        }
        async.shutdown();
        assertEquals(direct, prefetched);
    }

    @Test
    void rejectsEmptySidesAndBadSettings() {
        assertThrows(IllegalArgumentException.class, () -> Seq2SeqIterator.builder()
                .pairs(List.of(new EncodedPair(0, new int[0], new int[]{4}))).batchSize(2).build());
        assertThrows(IllegalArgumentException.class, () -> Seq2SeqIterator.builder()
                .pairs(randomPairs(3, 1)).batchSize(0).build());
        Seq2SeqIterator it = Seq2SeqIterator.builder().pairs(randomPairs(3, 1)).batchSize(2).build();
        assertSame(null, it.getPreProcessor());
    }
}
