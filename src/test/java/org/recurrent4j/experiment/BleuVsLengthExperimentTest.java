package org.recurrent4j.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The order in which the experiment starts its models, and the order in which it reports them. */
class BleuVsLengthExperimentTest {

    private static List<String> names(List<ModelSpec> specs) {
        return specs.stream().map(ModelSpec::name).toList();
    }

    @Test
    void startsTheCostliestModelsFirst() {
        BleuVsLengthExperiment e = new BleuVsLengthExperiment(ExperimentSettings.quick(), "test",
                new BeamSearchTranslators());
        assertEquals(List.of("RNNenc-30", "RNNsearch-30", "RNNenc-50", "RNNsearch-50"), names(e.models()));
        assertEquals(List.of("RNNsearch-50", "RNNenc-50", "RNNsearch-30", "RNNenc-30"),
                names(BleuVsLengthExperiment.longestFirst(e.models())));
    }

    @Test
    void reportsTheModelsInThePapersOrder(@TempDir Path dir) {
        ExperimentSettings tiny = ExperimentSettings.quick().toBuilder().embeddingSize(8).hiddenSize(12).maxoutSize(6)
                .attentionSize(8).batchSize(8).updates(2).beamWidth(2).minBucketSentences(3).threads(2)
                .lengthFilters(List.of(20, 50)).build();
        ExperimentResult r = new BleuVsLengthExperiment(tiny, "test", new BeamSearchTranslators())
                .run(SyntheticResults.corpus(), dir);
        assertEquals(List.of("RNNenc-20", "RNNsearch-20", "RNNenc-50", "RNNsearch-50"),
                r.models().stream().map(m -> m.spec().name()).toList());
    }
}
