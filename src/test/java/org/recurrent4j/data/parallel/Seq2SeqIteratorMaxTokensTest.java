package org.recurrent4j.data.parallel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.recurrent4j.data.parallel.Seq2SeqIteratorTest.randomPairs;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * {@link Seq2SeqIterator.Builder#maxTokens(long)}: no batch's padded size {@code mb × max(Tx, Ty)} exceeds the bound,
 * every pair comes exactly once per epoch, the same seed gives the same batches, a bound no batch reaches changes
 * nothing, and a pair that alone exceeds the bound is refused.
 */
class Seq2SeqIteratorMaxTokensTest {
    private static final int PAIRS = 500;

    private static Seq2SeqIterator.Builder iterator(long seed, int batchSize, long maxTokens) {
        return Seq2SeqIterator.builder().pairs(randomPairs(PAIRS, seed)).batchSize(batchSize).maxTokens(maxTokens)
                .seed(seed);
    }

    @ParameterizedTest(name = "seed {0}, batchSize {1}, maxTokens {2}")
    @CsvSource({"1, 80, 200", "2, 1000, 200", "3, 1000, 41", "7, 16, 1000", "11, 1000, 3000"})
    void noBatchExceedsTheBoundAndEveryPairComesOncePerEpoch(long seed, int batchSize, long maxTokens) {
        Seq2SeqIterator it = iterator(seed, batchSize, maxTokens).build();
        for (int epoch = 0; epoch < 3; epoch++) {
            int[] seen = new int[PAIRS];
            List<int[]> plan = it.batchPlan();
            int b = 0;
            while (it.hasNext()) {
                MultiDataSet batch = it.next();
                long rows = batch.getFeatures(0).size(0);
                long steps = Math.max(batch.getFeatures(0).size(2), batch.getFeatures(1).size(2));     // max(Tx, Ty)
                assertTrue(rows * steps <= maxTokens, "epoch " + epoch + " batch " + b + ": " + rows + " × " + steps
                        + " > " + maxTokens);
                assertTrue(rows <= batchSize, "rows " + rows);
                assertEquals(plan.get(b).length, rows, "the plan's rows");
                for (int index : plan.get(b++)) {
                    seen[index]++;
                }
            }
            for (int i = 0; i < PAIRS; i++) {
                assertEquals(1, seen[i], "epoch " + epoch + ": times pair " + i + " came");
            }
            it.reset();
        }
    }

    @Test
    void batchesAreFilledCloseToTheBound() {
        Seq2SeqIterator it = iterator(2, 1000, 400).build();
        long padded = 0;
        while (it.hasNext()) {
            MultiDataSet batch = it.next();
            padded += batch.getFeatures(0).size(0) * Math.max(batch.getFeatures(0).size(2),
                    batch.getFeatures(1).size(2));
        }
        double fill = padded / (400.0 * it.batchesPerEpoch());
        assertTrue(fill > 0.8, "mean padded size / bound = " + fill);                  // measured: 0.96
    }

    @Test
    void theSameSeedGivesTheSameBatchesAndAnotherSeedOthers() {
        for (int epoch = 0; epoch < 2; epoch++) {
            Seq2SeqIterator a = iterator(5, 1000, 300).build();
            Seq2SeqIterator b = iterator(5, 1000, 300).build();
            Seq2SeqIterator other = iterator(5, 1000, 300).seed(6).build();
            a.setEpoch(epoch);
            b.setEpoch(epoch);
            other.setEpoch(epoch);
            assertEquals(plan(a), plan(b), "epoch " + epoch);
            assertNotEquals(plan(a), plan(other), "epoch " + epoch + ", seed 6");
        }
    }

    @Test
    void aBoundNoBatchReachesGivesTheBatchesOfBatchSizeAlone() {
        assertEquals(plan(iterator(9, 16, 0).build()), plan(iterator(9, 16, 16L * 41).build()));
        assertNotEquals(plan(iterator(9, 16, 0).build()), plan(iterator(9, 16, 200).build()));
    }

    @Test
    void aPairThatAloneExceedsTheBoundIsRefusedNamingItsSize() {
        List<EncodedPair> pairs = List.of(new EncodedPair(0, new int[] {4, 5}, new int[] {6}),
                new EncodedPair(7, new int[] {4, 5, 6, 7, 8, 9}, new int[] {6, 7}));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Seq2SeqIterator.builder().pairs(pairs).batchSize(4).maxTokens(5).build());
        assertTrue(e.getMessage().startsWith("Seq2SeqIterator: pair 7 alone needs 6 padded steps")
                && e.getMessage().contains("maxTokens 5"), e.getMessage());
        assertEquals(2, Seq2SeqIterator.builder().pairs(pairs).batchSize(4).maxTokens(6).build().batchesPerEpoch());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Seq2SeqIterator.builder().pairs(pairs)
                .batchSize(4).maxTokens(-1).build()).getMessage().contains("maxTokens must be >= 0"));
    }

    private static List<List<Integer>> plan(Seq2SeqIterator it) {
        return it.batchPlan().stream().map(b -> java.util.Arrays.stream(b).boxed().toList()).toList();
    }
}
