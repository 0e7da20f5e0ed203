package org.recurrent4j.experiment;

import org.recurrent4j.eval.Bleu;
import org.recurrent4j.eval.BleuByLength;
import org.recurrent4j.eval.BleuByLengthResult;
import org.recurrent4j.eval.BleuMetric;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Translates the test split with a model and scores it as the paper does: corpus BLEU per source-length bucket
 * (Fig. 2), on all sentences and on those without unknown words (Table 1), and on the long sentences. BLEU is
 * sacreBLEU's (13a, lowercased: the models work on lowercased 13a tokens); source length is the number of the
 * models' tokens.
 */
final class ModelEvaluator {
    private static final Logger log = LoggerFactory.getLogger(ModelEvaluator.class);

    /** The BLEU of every result: sacreBLEU defaults, lowercased. */
    public static final BleuMetric METRIC = Bleu.builder().lowercase(true).build();

    /** Sentences handed to the translator at once (a multiple of the beam search's batch). */
    public static final int CHUNK = 4 * BeamSearchTranslators.BATCH;

    private final ExperimentSettings settings;

    public ModelEvaluator(ExperimentSettings settings) {
        this.settings = settings;
    }

    /** Translates {@code corpus}'s test split with {@code translator} and scores {@code trained}, silently. */
    public ModelResult evaluate(TrainedModel trained, PreparedCorpus corpus, SentenceTranslator translator) {
        return evaluate(trained, corpus, translator, ExperimentProgress.SILENT);
    }

    /**
     * Translates {@code corpus}'s test split with {@code translator}, {@value #CHUNK} sentences at a time (each
     * chunk reported to {@code progress}; chunks hold sentences of similar length), and scores {@code trained}.
     */
    public ModelResult evaluate(TrainedModel trained, PreparedCorpus corpus, SentenceTranslator translator,
                                ExperimentProgress progress) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long cpu0 = threads.getCurrentThreadCpuTime();
        long wall0 = System.nanoTime();
        List<List<String>> sources = corpus.testSourceTokens();
        // chunks of sentences of similar length, as the translator's own batching would group them
        List<Integer> order = new ArrayList<>(IntStream.range(0, sources.size()).boxed().toList());
        order.sort(Comparator.comparingInt(i -> sources.get(i).size()));
        List<List<String>> outputs = new ArrayList<>(Collections.nCopies(sources.size(), null));
        for (int from = 0; from < order.size(); from += CHUNK) {
            List<Integer> chunk = order.subList(from, Math.min(order.size(), from + CHUNK));
            List<List<String>> translated = translator.translate(chunk.stream().map(sources::get).toList());
            if (translated.size() != chunk.size()) {
                throw new IllegalStateException("ModelEvaluator: the translator returned " + translated.size()
                        + " translations for " + chunk.size() + " sources");
            }
            for (int k = 0; k < chunk.size(); k++) {
                outputs.set(chunk.get(k), translated.get(k));
            }
            int done = from + chunk.size();
            progress.advance(trained.spec().name(), "decode", done, sources.size(), chunk.size());
        }
        List<String> hypotheses = outputs.stream().map(t -> String.join(" ", corpus.words(t))).toList();
        double wall = (System.nanoTime() - wall0) / 1e9;
        double cpu = (threads.getCurrentThreadCpuTime() - cpu0) / 1e9;
        ModelResult r = score(trained.spec(), trained.model().parameterCount(), trained.training(),
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
