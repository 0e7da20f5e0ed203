package org.recurrent4j.experiment;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A tiny run twice with the same seed gives the same models, translations and curves (CPU backend). */
class DeterminismTest {

    private static ExperimentSettings tiny(long seed) {
        return ExperimentSettings.quick().toBuilder().embeddingSize(8).hiddenSize(12).maxoutSize(6).attentionSize(8)
                .batchSize(8).updates(6).beamWidth(3).minBucketSentences(3).threads(2).seed(seed)
                .lengthFilters(List.of(20, 50)).build();
    }

    private static ExperimentResult run(long seed, Path out) {
        return new BleuVsLengthExperiment(tiny(seed), "test", new BeamSearchTranslators())
                .run(SyntheticResults.corpus(), out);
    }

    @Test
    void sameSeedSameResults(@TempDir Path dir) throws IOException {
        ExperimentResult a = run(7, dir.resolve("a"));
        ExperimentResult b = run(7, dir.resolve("b"));
        ExperimentResult c = run(8, dir.resolve("c"));
        for (int i = 0; i < a.models().size(); i++) {
            assertEquals(a.models().get(i).hypotheses(), b.models().get(i).hypotheses());
            assertEquals(a.models().get(i).training().finalLoss(), b.models().get(i).training().finalLoss());
        }
        assertEquals(Files.readString(dir.resolve("a").resolve(CurvesCsv.FILE)),
                Files.readString(dir.resolve("b").resolve(CurvesCsv.FILE)));
        assertNotEquals(a.models().get(3).training().finalLoss(), c.models().get(3).training().finalLoss(),
                "another seed trains another model");
        assertTrue(Files.size(dir.resolve("a").resolve(BleuVsLengthExperiment.MODELS).resolve("RNNsearch-50.zip")) > 0);
        assertEquals(a.testSentences(), Files.readAllLines(dir.resolve("a").resolve(BleuVsLengthExperiment.TRANSLATIONS)
                .resolve("RNNenc-20.txt")).size());
    }
}
