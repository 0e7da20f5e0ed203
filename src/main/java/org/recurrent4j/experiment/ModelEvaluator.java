package org.recurrent4j.experiment;

import org.recurrent4j.eval.Bleu;
import org.recurrent4j.eval.BleuByLength;
import org.recurrent4j.eval.BleuByLengthResult;
import org.recurrent4j.eval.BleuMetric;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;

/**
 * Translates the test split with a model and scores it as the paper does: corpus BLEU per source-length bucket
 * (Fig. 2), on all sentences and on those without unknown words (Table 1), and on the long sentences. BLEU is
 * sacreBLEU's (13a, lowercased: the models work on lowercased 13a tokens); source length is the number of the
 * models' tokens.
 */
public final class ModelEvaluator {
    private static final Logger log = LoggerFactory.getLogger(ModelEvaluator.class);

    /** The BLEU of every result: sacreBLEU defaults, lowercased. */
    public static final BleuMetric METRIC = Bleu.builder().lowercase(true).build();

    private final ExperimentSettings settings;

    public ModelEvaluator(ExperimentSettings settings) {
        this.settings = settings;
    }

    /** Translates {@code corpus}'s test split with {@code translator} and scores {@code trained}. */
    public ModelResult evaluate(TrainedModel trained, PreparedCorpus corpus, SentenceTranslator translator) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long cpu0 = threads.getCurrentThreadCpuTime();
        long wall0 = System.nanoTime();
        List<List<String>> sources = corpus.testSourceTokens();
        List<List<String>> outputs = translator.translate(sources);
        if (outputs.size() != sources.size()) {
            throw new IllegalStateException("ModelEvaluator: the translator returned " + outputs.size()
                    + " translations for " + sources.size() + " sources");
        }
        List<String> hypotheses = outputs.stream().map(t -> String.join(" ", t)).toList();
        double wall = (System.nanoTime() - wall0) / 1e9;
        double cpu = (threads.getCurrentThreadCpuTime() - cpu0) / 1e9;
        // params().length(), not numParams(): DL4J's numParams counts layers only, not the decoder vertex
        ModelResult r = score(trained.spec(), trained.model().graph().params().length(), trained.training(),
                corpus, hypotheses, wall, cpu);
        log.info("{}: BLEU {} (No UNK {}, ≥{} tokens {}), slope {} per 10 tokens; decoding {} s", trained.spec().name(),
                fmt(r.bleuAll()), fmt(r.bleuNoUnk()), settings.longSentenceLength(), fmt(r.bleuLong()),
                fmt(r.trend().slopePer10Tokens()), fmt(wall));
        return r;
    }

    /** Scores given translations (everything {@link #evaluate} does after translating). */
    public ModelResult score(ModelSpec spec, long parameters, TrainingStats training, PreparedCorpus corpus,
                             List<String> hypotheses, double decodeWallSeconds, double decodeCpuSeconds) {
        List<String> sources = corpus.testSources();
        List<List<String>> references = List.of(corpus.testReferences());
        BleuByLength byWidth = BleuByLength.withBucketWidth(settings.bucketWidth()).metric(METRIC)
                .sourceTokenizer(corpus.tokenizer());
        BleuByLengthResult all = byWidth.evaluate(sources, hypotheses, references);
        BleuByLengthResult noUnk = byWidth.evaluate(sources, hypotheses, references, corpus.noUnkFilter());
        BleuByLengthResult longOnes = BleuByLength.withBucketEdges(settings.longSentenceLength(), BleuByLength.OPEN)
                .metric(METRIC).sourceTokenizer(corpus.tokenizer()).evaluate(sources, hypotheses, references);
        BleuByLengthResult.Bucket longBucket = longOnes.buckets().get(0);
        return new ModelResult(spec, parameters, training, all, noUnk, longBucket.scoreOrNull(), longBucket.count(),
                LengthTrend.of(all, settings.minBucketSentences()), decodeWallSeconds, decodeCpuSeconds, hypotheses);
    }

    private static String fmt(double v) {
        return String.format(java.util.Locale.ROOT, "%.2f", v);
    }
}
