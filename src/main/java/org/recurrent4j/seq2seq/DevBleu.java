package org.recurrent4j.seq2seq;

import java.util.ArrayList;
import java.util.List;
import org.recurrent4j.eval.Bleu;
import org.recurrent4j.eval.BleuMetric;

/**
 * Development-set BLEU for early stopping: greedy decoding with {@link Translator} of tokenized source sentences,
 * scored against tokenized references with {@link Bleu} on the tokens as given (sacreBLEU {@code tokenize none}:
 * hypotheses and references are the model's own tokens joined by spaces), so it measures the model's tokens, not a
 * detokenizer. A model that writes subwords is scored on its pieces joined into words, so the references are then
 * the words. Report test BLEU with the evaluation tools instead.
 */
public final class DevBleu {

    private final List<List<String>> sourceTokens;
    private final List<String> references;
    private final int batchSize;
    private final BleuMetric metric = Bleu.builder().tokenize("none").build();

    /**
     * @param sourceTokens    tokenized source sentences, in the original order (the translator reverses them if the
     *                        model reads its source reversed)
     * @param referenceTokens the tokenized reference translation of each (words, also for a model of subwords)
     * @param batchSize       sentences decoded together
     */
    public DevBleu(List<List<String>> sourceTokens, List<List<String>> referenceTokens, int batchSize) {
        if (sourceTokens == null || referenceTokens == null || sourceTokens.isEmpty()
                || sourceTokens.size() != referenceTokens.size()) {
            throw new IllegalArgumentException("DevBleu: expected as many (non-zero) source sentences as references, got "
                    + (sourceTokens == null ? "null" : sourceTokens.size()) + " and "
                    + (referenceTokens == null ? "null" : referenceTokens.size()));
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("DevBleu: batchSize must be >= 1, got " + batchSize);
        }
        this.sourceTokens = List.copyOf(sourceTokens);
        List<String> refs = new ArrayList<>(referenceTokens.size());
        referenceTokens.forEach(r -> refs.add(String.join(" ", r)));
        this.references = List.copyOf(refs);
        this.batchSize = batchSize;
    }

    /** @return the number of sentences */
    public int size() {
        return sourceTokens.size();
    }

    /** @return corpus BLEU (0–100) of {@code model}'s greedy translations */
    public double score(Seq2SeqModel model) {
        List<Translation> translations = Translator.builder(model).beamWidth(1).batchSize(batchSize).build()
                .translate(sourceTokens);
        List<String> hypotheses = new ArrayList<>(translations.size());
        translations.forEach(t -> hypotheses.add(String.join(" ", ModelTokenizer.words(model, t.tokens()))));
        return metric.corpusScore(hypotheses, List.of(references)).score();
    }
}
