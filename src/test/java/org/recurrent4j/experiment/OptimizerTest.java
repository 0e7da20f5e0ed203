package org.recurrent4j.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.learning.config.AdaDelta;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;

/** The experiment's optimisers and Adam's learning-rate decay over the budget. */
class OptimizerTest {

    @Test
    void adamDecaysExponentiallyToTheFractionAtTheEndOfTheBudget() {
        IUpdater u = Optimizer.ADAM.updater(0.01, 0.1, 4000);
        assertEquals(0.01, u.getLearningRate(0, 0), 1e-15);
        assertEquals(0.01 * Math.sqrt(0.1), u.getLearningRate(2000, 0), 1e-12);
        assertEquals(0.001, u.getLearningRate(4000, 0), 1e-12);
        assertTrue(u.hasLearningRate());
    }

    @Test
    void withoutDecayAdamKeepsItsLearningRate() {
        IUpdater u = Optimizer.ADAM.updater(0.01, 1, 1);
        assertTrue(u instanceof Adam);
        assertEquals(0.01, u.getLearningRate(0, 0), 0);
        assertEquals(0.01, u.getLearningRate(100_000, 3), 0);
        assertEquals(Optimizer.ADAM.updater(0.01, 1, 4000), u);
    }

    @Test
    void adadeltaIgnoresTheLearningRateAndItsDecay() {
        assertTrue(Optimizer.ADADELTA.updater(0.01, 0.1, 4000) instanceof AdaDelta);
        assertEquals("Adadelta (ρ 0.95, ε 1e-6)", Optimizer.ADADELTA.describe(0.01, 0.1));
    }

    @Test
    void theResultsNameTheDecay() {
        assertEquals("Adam (lr 0.01)", Optimizer.ADAM.describe(0.01, 1));
        assertEquals("Adam (lr 0.01, decaying exponentially to 0.001 at the end of the budget)",
                Optimizer.ADAM.describe(0.01, 0.1));
        assertEquals(Optimizer.ADAM.describe(0.01, 0.1),
                ExperimentSettings.quick().toBuilder().learningRateDecay(0.1).build().describe().get("optimizer"));
    }

    @Test
    void theTrainerGivesEveryParameterTheDecayOverItsBudget() {
        ExperimentSettings settings = ExperimentSettings.quick().toBuilder().embeddingSize(8).hiddenSize(8)
                .maxoutSize(4).attentionSize(8).learningRateDecay(0.5).build();
        PreparedCorpus corpus = SyntheticResults.corpus();
        org.deeplearning4j.nn.graph.ComputationGraph graph = new ModelTrainer(settings)
                .architecture(new ModelSpec(true, 50), 300)
                .build(corpus.sourceVocabulary(), corpus.targetVocabulary()).graph();
        int checked = 0;
        for (org.deeplearning4j.nn.api.Layer layer : graph.getLayers()) {
            for (String param : layer.paramTable().keySet()) {
                IUpdater u = layer.conf().getLayer().getUpdaterByParam(param);
                assertEquals(0.01, u.getLearningRate(0, 0), 1e-15, layer.conf().getLayer().getLayerName() + " " + param);
                assertEquals(0.005, u.getLearningRate(300, 0), 1e-12, layer.conf().getLayer().getLayerName() + " " + param);
                checked++;
            }
        }
        assertTrue(checked > 5, "parameters checked: " + checked);
    }

    @Test
    void aDecayOutsideZeroToOneIsRefused() {
        for (double bad : new double[] {0, -0.5, 1.5, Double.NaN}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ExperimentSettings.quick().toBuilder().learningRateDecay(bad).build());
            assertTrue(e.getMessage().contains("learningRateDecay must be in (0, 1], got " + bad), e.getMessage());
        }
    }
}
