package org.recurrent4j.experiment;

import org.recurrent4j.seq2seq.LengthPenalty;
import org.recurrent4j.seq2seq.Translation;
import org.recurrent4j.seq2seq.Translator;

/**
 * The experiment's decoder: the project's batched beam search ({@link Translator}) with the settings' beam width
 * and length limit, hypotheses ranked by average log-probability per word ({@link LengthPenalty#AVERAGE}).
 */
public final class BeamSearchTranslators implements BleuVsLengthExperiment.TranslatorFactory {
    /** Sentences decoded together. */
    public static final int BATCH = 32;

    @Override
    public SentenceTranslator create(TrainedModel model, ExperimentSettings settings) {
        Translator translator = Translator.builder(model.model()).beamWidth(settings.beamWidth())
                .lengthPenalty(LengthPenalty.AVERAGE).maxLengthRatio(settings.maxLengthRatio()).batchSize(BATCH)
                .build();
        return sources -> translator.translate(sources).stream().map(Translation::tokens).toList();
    }
}
