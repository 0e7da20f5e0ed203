package org.recurrent4j.experiment;

import org.recurrent4j.data.parallel.SentencePair;

import java.util.ArrayList;
import java.util.List;

/**
 * A tiny synthetic corpus and hand-made "translations" whose quality falls with length for RNNenc and stays for
 * RNNsearch, scored by the real {@link ModelEvaluator} (no training): the fixture of the writer and claim tests.
 */
final class SyntheticResults {
    private SyntheticResults() {
    }

    /** Source {@code s<i>} words, target {@code t<i>} words; test sentence k has 3 + k tokens (3 … 62). */
    static PreparedCorpus corpus() {
        List<SentencePair> train = new ArrayList<>();
        for (int k = 0; k < 40; k++) {
            train.add(new SentencePair(words("s", k, 20), words("t", k, 20)));
        }
        List<SentencePair> test = new ArrayList<>();
        for (int k = 0; k < 60; k++) {
            String source = words("s", k, 3 + k);
            if (k % 6 == 0) {
                source = source + " unseen";                 // an unknown source word: not in "No UNK"
            }
            test.add(new SentencePair(source, words("t", k, 3 + k)));
        }
        return new PreparedCorpus("synthetic", train, test, 1000);
    }

    static String words(String prefix, int seed, int n) {
        List<String> w = new ArrayList<>();
        for (int j = 0; j < n; j++) {
            w.add(prefix + ((seed * 7 + j * 3) % 59));
        }
        return String.join(" ", w);
    }

    /** RNNsearch: the reference with every fifth word wrong; RNNenc: only the first 8 reference words. */
    static List<String> hypotheses(PreparedCorpus corpus, boolean attention) {
        List<String> out = new ArrayList<>();
        for (String ref : corpus.testReferences()) {
            String[] w = ref.split(" ");
            List<String> h = new ArrayList<>();
            for (int j = 0; j < w.length; j++) {
                if (attention) {
                    h.add(j % 5 == 4 ? "wrong" : w[j]);
                } else if (j < 8) {
                    h.add(w[j]);
                }
            }
            out.add(String.join(" ", h));
        }
        return out;
    }

    static ExperimentSettings settings() {
        return ExperimentSettings.quick().toBuilder().minBucketSentences(5).claimMargin(5).build();
    }

    /** The four models' results on {@link #corpus()}, RNNenc-30, RNNsearch-30, RNNenc-50, RNNsearch-50. */
    static ExperimentResult result() {
        PreparedCorpus corpus = corpus();
        ExperimentSettings settings = settings();
        ModelEvaluator evaluator = new ModelEvaluator(settings);
        List<ModelResult> models = new ArrayList<>();
        int i = 0;
        for (int n : List.of(30, 50)) {
            for (boolean attention : List.of(false, true)) {
                i++;
                TrainingStats t = new TrainingStats(100 * i, 7 * i, 10 * i, 0.5 * i, 2.5 / i, 60.5 * i, 58.25 * i);
                models.add(evaluator.score(new ModelSpec(attention, n), 1000L * i, t, corpus,
                        hypotheses(corpus, attention), 3.5 * i, 3.25 * i));
            }
        }
        return new ExperimentResult("synthetic", "quick", settings, corpus.test().size(), models,
                ModelEvaluator.METRIC.signature(1), new MachineInfo(2, "test cpu", "TestOS", "17", "CpuBackend",
                        "cpu (test)", "1"),
                123.0, 200.0);
    }
}
