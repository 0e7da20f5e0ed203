package org.recurrent4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.recurrent4j.train.TbpttFixtures.features;
import static org.recurrent4j.train.TbpttFixtures.labels;
import static org.recurrent4j.train.TbpttFixtures.lstmNet;

import java.util.List;
import java.util.Map;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/** {@link TruncatedBptt#fitContinuing}: a stream trained in several calls equals one epoch over all its batches. */
class TruncatedBpttContinuingTest {

    @BeforeAll
    static void setUp() {
        TbpttFixtures.doublePrecision();
    }

    private static ListDataSetIterator<DataSet> data(List<DataSet> batches) {
        return new ListDataSetIterator<>(batches, 1);
    }

    @Test
    void streamInSeveralCallsEqualsOneEpoch() {
        List<DataSet> stream = List.of(new DataSet(features(7, 1), labels(7, 1)), new DataSet(features(7, 2), labels(7, 2)),
                new DataSet(features(5, 3), labels(5, 3)));
        TruncatedBptt tbptt = TruncatedBptt.builder().k1(3).k2(4).carryStateAcrossBatches(true).build();

        MultiLayerNetwork once = lstmNet(0.1);
        tbptt.fit(once, data(stream));

        MultiLayerNetwork split = lstmNet(0.1);
        List<Map<String, INDArray>> state = tbptt.fitContinuing(split, data(stream.subList(0, 1)), List.of());
        assertEquals(1, state.size());
        state = tbptt.fitContinuing(split, data(stream.subList(1, 3)), state);
        assertEquals(once.params(), split.params());
        assertEquals(once.getIterationCount(), split.getIterationCount());
        assertEquals(0, split.getEpochCount(), "fitContinuing counts no epoch");

        MultiLayerNetwork restarted = lstmNet(0.1);
        tbptt.fitContinuing(restarted, data(stream.subList(0, 1)), List.of());
        tbptt.fitContinuing(restarted, data(stream.subList(1, 3)), List.of());
        assertNotEquals(once.params(), restarted.params(), "dropping the carried state must change the result");
    }

    @Test
    void needsCarriedState() {
        TruncatedBptt tbptt = TruncatedBptt.builder().k1(3).k2(4).build();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> tbptt.fitContinuing(lstmNet(0.1),
                data(List.of(new DataSet(features(7, 1), labels(7, 1)))), List.of()));
        assertEquals("TruncatedBptt: fitContinuing needs carryStateAcrossBatches(true)", e.getMessage());
    }
}
