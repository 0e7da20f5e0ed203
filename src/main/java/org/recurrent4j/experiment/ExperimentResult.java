package org.recurrent4j.experiment;

import java.util.List;
import java.util.Optional;

/**
 * The results of a whole run.
 *
 * @param corpus            corpus name
 * @param mode              "quick" or "full"
 * @param settings          the settings
 * @param testSentences     test sentences evaluated
 * @param models            one result per model, in training order
 * @param bleuSignature     the sacreBLEU signature of every score
 * @param machine           the machine
 * @param wallSeconds       elapsed time of the whole run
 * @param processCpuSeconds CPU time of the whole process (all threads)
 */
public record ExperimentResult(String corpus, String mode, ExperimentSettings settings, int testSentences,
                               List<ModelResult> models, String bleuSignature, MachineInfo machine,
                               double wallSeconds, double processCpuSeconds) {

    /** Copies the model list. */
    public ExperimentResult {
        models = List.copyOf(models);
    }

    /** @return the result of the model with this name ({@code RNNsearch-50}) */
    public Optional<ModelResult> model(String name) {
        return models.stream().filter(m -> m.spec().name().equals(name)).findFirst();
    }
}
