package org.recurrent4j.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.recurrent4j.data.parallel.EncodedPair;
import org.recurrent4j.data.parallel.SentencePair;
import org.recurrent4j.data.tokenize.Tokenizer;
import org.recurrent4j.data.vocab.Vocabulary;
import org.recurrent4j.seq2seq.DevBleu;
import org.recurrent4j.seq2seq.Seq2SeqModel;
import org.recurrent4j.seq2seq.TeacherForcedPerplexity;
import org.recurrent4j.spark.PairEncoding;
import org.recurrent4j.spark.SparkParallelCorpus;
import org.recurrent4j.spark.TokenizerFactory;
import org.recurrent4j.train.GlobalNormClipping;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;
import scala.Tuple2;

/**
 * {@code spark-train}: trains the translation models of {@code train} with DL4J's Spark parameter averaging
 * ({@link SparkComputationGraph} with {@link ParameterAveragingTrainingMaster}), for {@code spark-submit}. Only in the
 * build of profile {@code spark} (source folder {@code src/spark/java}), so the library does not depend on Spark.
 *
 * <p>Per epoch: the executors encode their partitions of the corpus and cut them into length-bucketed minibatches
 * ({@link SparkParallelCorpus#minibatches}); DL4J gives each of {@code --workers} workers
 * {@code --averaging-frequency} minibatches per round and averages parameters and updater state after each round;
 * every worker clips its gradient's global norm ({@link GlobalNormClipping}, given to Spark so that it reaches the
 * workers). After each epoch the driver scores the dev set (teacher-forced perplexity) and writes the model
 * atomically to {@code --out}; at the end it reports greedy dev BLEU.
 *
 * <p>The options of {@code train} that need a trainer driving every update are refused, each with a one-line
 * message that says what to use instead ({@link #REFUSED}).
 */
@Command(name = "spark-train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "Train a translation model (the presets of train: RNNsearch, RNNenc, Luong)",
                "on Spark with DL4J's parameter averaging: --workers workers each fit",
                "--averaging-frequency minibatches of --batch pairs, then their parameters and",
                "optimiser states are averaged; every worker clips its gradient (--clip).",
                "Spark reads the corpus from any Hadoop file system (hdfs://, file://, s3a://;",
                ".gz is decompressed). After every epoch the dev set is scored and the model",
                "is written atomically to --out (a local file of the driver); translate it",
                "with the translate command.",
                "",
                "Local mode (mvn -Pspark compile exec:exec@spark-train -Dspark.args=\"...\"):",
                "  --master local[2] --epochs 1 --out target/spark/model.zip \\",
                "  --train-source datasets/bible-en-es/train.en.gz \\",
                "  --train-target datasets/bible-en-es/train.es.gz",
                "On a cluster: spark-submit --class org.recurrent4j.cli.SparkTrainCommand ...",
                "(README, \"Training on several workers\").",
                "",
                "Refused (not on Spark): --sampling, --sampling-mode, --tbptt, --patience,",
                "--metric, --eval-every, --checkpoint-dir, --checkpoint-every,",
                "--keep-checkpoints, --resume, --updates, --minutes, --max-tokens, --subwords.",
                ""})
public final class SparkTrainCommand implements Callable<Integer> {

    /** Options of {@code train} (and of truncated BPTT) that Spark training cannot honour, with what to do instead. */
    static final Map<String, String> REFUSED = Map.ofEntries(
            Map.entry("--sampling", "scheduled sampling is not supported on Spark: it feeds each batch the current "
                    + "model's predictions, which a trainer driving every update makes; use train --sampling on one "
                    + "machine, or teacher forcing (the default) here"),
            Map.entry("--sampling-mode", "scheduled sampling is not supported on Spark; use train --sampling-mode on "
                    + "one machine"),
            Map.entry("--tbptt", "truncated BPTT is not supported on Spark: the k1/k2 trainer (TruncatedBptt) drives "
                    + "every update itself; translation pairs are trained whole here (bound them with --max-length), "
                    + "or use char-rnn train for truncated BPTT on one machine"),
            Map.entry("--patience", "dev-set early stopping is not supported on Spark: training runs --epochs "
                    + "epochs and reports the dev perplexity after each (the model of every epoch is written to "
                    + "--out); use train --patience on one machine"),
            Map.entry("--metric", "dev-BLEU model selection is not supported on Spark: dev perplexity is reported "
                    + "after every epoch and greedy dev BLEU at the end; use train --metric bleu on one machine"),
            Map.entry("--eval-every", "evaluation every N updates is not supported on Spark: the dev set is scored "
                    + "after every epoch; use train --eval-every on one machine"),
            Map.entry("--checkpoint-dir", "checkpoints are not supported on Spark: the model is written to --out "
                    + "after every epoch, without optimiser state; use train --checkpoint-dir to resume or keep "
                    + "checkpoints"),
            Map.entry("--checkpoint-every", "checkpoints are not supported on Spark: the model is written to --out "
                    + "after every epoch; use train --checkpoint-every"),
            Map.entry("--keep-checkpoints", "keeping checkpoints is not supported on Spark: --out holds the model "
                    + "of the last epoch; use train --keep-checkpoints and average-checkpoints"),
            Map.entry("--resume", "resuming is not supported on Spark: the model holds no optimiser state or data "
                    + "position; use train --resume"),
            Map.entry("--updates", "an update budget is not supported on Spark: DL4J splits each epoch into "
                    + "averaging rounds itself; use --epochs"),
            Map.entry("--minutes", "a time budget is not supported on Spark: use --epochs"),
            Map.entry("--max-tokens", "token-bounded batches are not supported on Spark: the training master "
                    + "re-batches the data to --batch pairs per worker; use --batch and --max-length to bound memory"));

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--master", paramLabel = "URL", description = "Spark master, e.g. local[2] (default: what "
            + "spark-submit or spark.master sets)")
    String master;

    @Option(names = "--train-source", required = true, paramLabel = "URI", description = "training source sentences, "
            + "one per line (a path or a URI: hdfs://..., file://...)")
    String trainSource;

    @Option(names = "--train-target", required = true, paramLabel = "URI", description = "their translations, "
            + "line-aligned")
    String trainTarget;

    @Option(names = "--dev-source", paramLabel = "URI", description = "development source sentences (scored after "
            + "every epoch)")
    String devSource;

    @Option(names = "--dev-target", paramLabel = "URI", description = "their translations")
    String devTarget;

    @Mixin
    Seq2SeqModelOptions modelOptions;

    @Option(names = "--batch", description = "sentence pairs per minibatch of a worker (default: ${DEFAULT-VALUE})",
            defaultValue = "80")
    int batch;

    @Option(names = "--workers", description = "workers, each fitting its own minibatches between averagings "
            + "(default: Spark's default parallelism)", defaultValue = "0")
    int workers;

    @Option(names = "--averaging-frequency", paramLabel = "N", description = "minibatches each worker fits between "
            + "two averagings of parameters and optimiser state (default: ${DEFAULT-VALUE})", defaultValue = "5")
    int averagingFrequency;

    @Option(names = "--epochs", required = true, description = "passes over the training corpus")
    int epochs;

    @Option(names = "--clip", description = "global gradient-norm threshold of every worker, 0 = none "
            + "(default: ${DEFAULT-VALUE})", defaultValue = "1")
    double clip;

    @Option(names = "--seed", description = "seed of initialisation, shuffling and dropout "
            + "(default: ${DEFAULT-VALUE})", defaultValue = "42")
    long seed;

    @Option(names = "--dev-bleu-sentences", description = "decode at most this many dev sentences for the final dev "
            + "BLEU, 0 = none (default: ${DEFAULT-VALUE})", defaultValue = "200")
    int devBleuSentences;

    @Option(names = "--out", paramLabel = "FILE", required = true, description = "the trained model, a local file "
            + "of the driver, written atomically after every epoch")
    Path out;

    @Unmatched
    List<String> unmatched;

    /** The entry point for {@code spark-submit --class org.recurrent4j.cli.SparkTrainCommand}. */
    public static void main(String[] args) {
        Main.mainOf(new SparkTrainCommand(), args);
    }

    @Override
    public Integer call() {
        refuseUnsupportedOptions();
        for (Map.Entry<String, Integer> positive : Map.of("--batch", batch, "--epochs", epochs,
                "--averaging-frequency", averagingFrequency).entrySet()) {
            if (positive.getValue() < 1) {
                throw new ParameterException(spec.commandLine(), "spark-train: " + positive.getKey()
                        + " must be at least 1, got " + positive.getValue());
            }
        }
        if (workers < 0) {
            throw new ParameterException(spec.commandLine(), "spark-train: --workers must be at least 1 (or 0 for "
                    + "Spark's default parallelism), got " + workers);
        }
        if ((devSource == null) != (devTarget == null)) {
            throw new ParameterException(spec.commandLine(), "spark-train: give both --dev-source and --dev-target, "
                    + "or neither");
        }
        modelOptions.builder(seed);                 // checks --preset and --optimizer before Spark starts
        TokenizerFactory tokenizer = tokenizerFactory();
        SparkConf conf = new SparkConf().setAppName("recurrent4j spark-train")
                .setIfMissing("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
                .setIfMissing("spark.kryo.registrator", "org.nd4j.kryo.Nd4jRegistrator");
        if (master != null) {
            conf.setMaster(master);
        }
        try (JavaSparkContext spark = new JavaSparkContext(conf)) {
            train(spark, tokenizer);
        }
        return 0;
    }

    private void train(JavaSparkContext spark, TokenizerFactory tokenizer) {
        int workerCount = workers > 0 ? workers : spark.defaultParallelism();
        JavaRDD<Tuple2<String, String>> text = SparkParallelCorpus.readLineAligned(spark, trainSource, trainTarget,
                workerCount).cache();
        long pairs = text.count();
        if (pairs == 0) {
            throw new IllegalArgumentException("the training corpus " + trainSource + " / " + trainTarget
                    + " has no sentence pairs");
        }
        Vocabulary sourceVocabulary = Vocabulary.fromCounts(SparkParallelCorpus.tokenCounts(text, 1, tokenizer),
                modelOptions.sourceWords(), 1);
        Vocabulary targetVocabulary = Vocabulary.fromCounts(SparkParallelCorpus.tokenCounts(text, 2, tokenizer),
                modelOptions.targetWords(), 1);
        Seq2SeqModel model = modelOptions.builder(seed).build(sourceVocabulary, targetVocabulary);
        modelOptions.store(model);
        model.setProperty("spark.workers", Integer.toString(workerCount));
        model.setProperty("spark.averagingFrequency", Integer.toString(averagingFrequency));
        model.setProperty("spark.batch", Integer.toString(batch));
        PairEncoding encoding = PairEncoding.of(tokenizer, sourceVocabulary, targetVocabulary,
                modelOptions.maxLength, model.reverseSource());
        List<SentencePair> dev = devSource == null ? List.of()
                : SparkParallelCorpus.readLineAligned(spark, devSource, devTarget, 1).collect().stream()
                        .map(p -> new SentencePair(p._1(), p._2())).toList();
        List<EncodedPair> devPairs = modelOptions.encoder(model, false).encode(dev).pairs();
        System.out.printf(Locale.ROOT, "%s on Spark: %d training pairs in %d partitions, %d workers averaging every "
                        + "%d minibatches of %d, vocabularies %d / %d, %d parameters%n",
                model.properties().get("attention"), pairs, text.getNumPartitions(), workerCount, averagingFrequency,
                batch, sourceVocabulary.size(), targetVocabulary.size(), model.parameterCount());
        if (modelOptions.optimizer.equalsIgnoreCase("adam")) {
            System.out.println("note: DL4J 1.0.0-M2's Spark workers start every averaging round at iteration 0, so "
                    + "Adam's bias correction restarts each round (AdaDelta has no such term)");
        }
        reportDev(model, devPairs, "before training");

        SparkComputationGraph distributed = new SparkComputationGraph(spark, model.graph(),
                new ParameterAveragingTrainingMaster.Builder(workerCount, batch).batchSizePerWorker(batch)
                        .averagingFrequency(averagingFrequency).saveUpdater(true).rngSeed(seed).build());
        if (clip > 0) {
            // the Collection overload: the varargs ones need deeplearning4j-core's StatsStorageRouter to compile
            distributed.setListeners(List.<TrainingListener>of(new GlobalNormClipping(clip)));
        }
        for (int epoch = 0; epoch < epochs; epoch++) {
            distributed.fitMultiDataSet(SparkParallelCorpus.minibatches(text, encoding, batch, seed, epoch));
            model = new Seq2SeqModel(distributed.getNetwork(), sourceVocabulary, targetVocabulary,
                    model.reverseSource(), model.properties());
            model.save(out, false);
            reportDev(model, devPairs, String.format(Locale.ROOT, "after epoch %d (DL4J iteration count %d)", epoch + 1,
                    model.graph().getIterationCount()));
        }
        if (!dev.isEmpty() && devBleuSentences > 0) {
            Tokenizer tok = tokenizer.create();
            List<SentencePair> part = dev.subList(0, Math.min(dev.size(), devBleuSentences));
            double bleu = new DevBleu(part.stream().map(p -> tok.tokenize(p.source())).toList(),
                    part.stream().map(p -> tok.tokenize(p.target())).toList(), 32).score(model);
            System.out.printf(Locale.ROOT, "dev BLEU (greedy, first %d sentences, tokenized): %.2f%n", part.size(),
                    bleu);
        }
        System.out.println("model written to " + out.toAbsolutePath());
    }

    private static void reportDev(Seq2SeqModel model, List<EncodedPair> devPairs, String when) {
        if (!devPairs.isEmpty()) {
            TeacherForcedPerplexity p = TeacherForcedPerplexity.evaluate(model.graph(), devPairs, 32);
            System.out.printf(Locale.ROOT, "dev %s: cross-entropy %.4f nats/token, perplexity %.2f%n", when,
                    p.crossEntropy(), p.perplexity());
        }
    }

    /** A serializable factory of the tokenizer of {@code --tokenizer} and {@code --lowercase} (checked here). */
    private TokenizerFactory tokenizerFactory() {
        modelOptions.tokenizer();
        String name = modelOptions.tokenizer;
        boolean lowercase = modelOptions.lowercase;
        return () -> Seq2SeqModelOptions.tokenizer(name, lowercase);
    }

    /** Refuses an option of {@link #REFUSED} with its message, and any other unknown option. */
    private void refuseUnsupportedOptions() {
        if (modelOptions.subwords != 0) {
            throw new UnsupportedOperationException("--subwords: BPE subwords are not supported on Spark: the "
                    + "vocabularies are counted on the executors, the BPE models would have to be learned on one "
                    + "machine first; use train --subwords on one machine, or the word vocabularies (--vocab) here");
        }
        if (unmatched == null || unmatched.isEmpty()) {
            return;
        }
        for (String argument : unmatched) {
            String name = argument.contains("=") ? argument.substring(0, argument.indexOf('=')) : argument;
            if (REFUSED.containsKey(name)) {
                throw new UnsupportedOperationException(name + ": " + REFUSED.get(name));
            }
        }
        throw new ParameterException(spec.commandLine(), "spark-train: unknown option or argument '"
                + unmatched.get(0) + "'");
    }
}
