package org.recurrent4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.recurrent4j.data.parallel.ParallelCorpus;
import org.recurrent4j.data.parallel.Seq2SeqIterator;
import org.recurrent4j.data.parallel.Seq2SeqEncoder;
import org.recurrent4j.data.parallel.SentencePair;
import org.recurrent4j.data.tokenize.Tokenizer;
import org.recurrent4j.seq2seq.DevBleu;
import org.recurrent4j.seq2seq.ScheduledSampler;
import org.recurrent4j.seq2seq.Seq2SeqModel;
import org.recurrent4j.seq2seq.Seq2SeqTrainer;
import org.recurrent4j.train.SamplingSchedule;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code train}: trains an encoder-decoder translation model (RNNsearch, RNNenc, Luong) on a parallel corpus. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "Train a translation model (Bahdanau et al. 2014 RNNsearch, RNNenc, or Luong et al. 2015) on a",
                "line-aligned parallel corpus: line n of --train-source translates to line n of --train-target",
                "(plain UTF-8 or .gz). Both sides are tokenized (--tokenizer), the most frequent words become the",
                "vocabularies, pairs longer than --max-length are dropped, and the model is trained with minibatches",
                "of similar lengths until the budget (--epochs, --updates, --minutes; whichever comes first) or early",
                "stopping on the dev set ends it. The model (graph, vocabularies, settings) is written to --out;",
                "translate with the translate command.",
                "",
                "Subwords: --subwords N learns a BPE model of N pieces per language from the training split (after",
                "--tokenizer), exactly as SentencePiece's spm_train --model_type=bpe does, keeps it in the model, and",
                "trains on pieces; translate and dev BLEU join the pieces back into words.",
                "",
                "Example (a quick model on Multi30k en-de):",
                "  train --train-source ../shared/datasets/multi30k/train.en.gz \\",
                "        --train-target ../shared/datasets/multi30k/train.de.gz \\",
                "        --dev-source ../shared/datasets/multi30k/val.en.gz --dev-target ../shared/datasets/multi30k/val.de.gz \\",
                "        --tokenizer 13a --lowercase --embedding 128 --encoder 256 --decoder 256 --maxout 128 \\",
                "        --attention-size 256 --vocab 8000 --optimizer adam --minutes 30 --eval-every 500 \\",
                "        --checkpoint-dir runs/m30k --out runs/m30k/model.zip",
                "",
                "Checkpoints: with --checkpoint-dir, checkpoint.zip (parameters, optimiser state, position in the data)",
                "is written atomically after every evaluation, every --checkpoint-every updates and at the end, and",
                "best.zip holds the best model by the dev metric. --resume continues checkpoint.zip with its saved",
                "settings (tokenizer, lengths, batch size, seed, sampling, clipping; architecture and vocabularies",
                "come from the model): the result equals an uninterrupted run with the same budget.",
                "--keep-checkpoints N also keeps each checkpoint as checkpoint-<update>.zip (8-digit update count, so",
                "names sort in update order), the newest N of them, for average-checkpoints --last N.",
                ""})
public final class TrainCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    // ---- data
    @Option(names = "--train-source", paramLabel = "FILE", description = "training source sentences, one per line")
    Path trainSource;

    @Option(names = "--train-target", paramLabel = "FILE", description = "their translations, line-aligned")
    Path trainTarget;

    @Option(names = "--dev-source", paramLabel = "FILE", description = "development source sentences (for evaluation "
            + "and early stopping)")
    Path devSource;

    @Option(names = "--dev-target", paramLabel = "FILE", description = "their translations")
    Path devTarget;

    @Mixin
    Seq2SeqModelOptions modelOptions;

    @Option(names = "--clip", description = "global gradient-norm threshold, 0 = none (paper: 1; default: ${DEFAULT-VALUE})",
            defaultValue = "1")
    double clip;

    @Option(names = "--sampling", description = "scheduled sampling: teacher-forcing, constant:E, linear:K,C,MIN "
            + "(eps = max(MIN, K - C*update)), exponential:K (K^update) or inverse-sigmoid:K (K/(K+exp(update/K))); "
            + "eps is the probability of feeding the gold previous word (default: ${DEFAULT-VALUE})",
            defaultValue = "teacher-forcing")
    String sampling;

    @Option(names = "--sampling-mode", description = "sample (draw from the softmax) or argmax "
            + "(default: ${DEFAULT-VALUE})", defaultValue = "sample")
    String samplingMode;

    @Option(names = "--batch", description = "sentence pairs per minibatch (paper: 80; default: ${DEFAULT-VALUE})",
            defaultValue = "80")
    int batch;

    @Option(names = "--max-tokens", paramLabel = "N", description = "also bound each minibatch's padded size, "
            + "rows x max(longest source, longest target + 1), by N; a pair that alone exceeds N is refused "
            + "(0 = no bound; default: ${DEFAULT-VALUE})", defaultValue = "0")
    long maxTokens;

    @Option(names = "--seed", description = "seed of initialisation, shuffling, dropout and sampling "
            + "(default: ${DEFAULT-VALUE})", defaultValue = "42")
    long seed;

    // ---- budget and evaluation
    @Option(names = "--epochs", description = "stop after this many epochs in total")
    Integer epochs;

    @Option(names = "--updates", description = "stop when the model has made this many updates in total")
    Long updates;

    @Option(names = "--minutes", description = "stop after this many minutes in this run")
    Double minutes;

    @Option(names = "--eval-every", description = "evaluate on the dev set every N updates, 0 = never "
            + "(default: ${DEFAULT-VALUE})", defaultValue = "1000")
    long evalEvery;

    @Option(names = "--metric", description = "perplexity (teacher-forced) or bleu (greedy decoding) selects the best "
            + "model and drives early stopping (default: ${DEFAULT-VALUE})", defaultValue = "perplexity")
    String metric;

    @Option(names = "--patience", description = "stop after N evaluations without improvement, 0 = never "
            + "(default: ${DEFAULT-VALUE})", defaultValue = "0")
    int patience;

    @Option(names = "--dev-bleu-sentences", description = "decode at most this many dev sentences for dev BLEU "
            + "(default: ${DEFAULT-VALUE})", defaultValue = "1000")
    int devBleuSentences;

    // ---- files
    @Option(names = "--checkpoint-dir", paramLabel = "DIR", description = "where checkpoint.zip and best.zip go")
    Path checkpointDir;

    @Option(names = "--checkpoint-every", description = "also checkpoint every N updates, 0 = only after evaluations "
            + "and at the end (default: ${DEFAULT-VALUE})", defaultValue = "0")
    long checkpointEvery;

    @Option(names = "--keep-checkpoints", paramLabel = "N", description = "also keep the newest N checkpoints as "
            + "checkpoint-<update>.zip (0 = only checkpoint.zip; default: ${DEFAULT-VALUE})", defaultValue = "0")
    int keepCheckpoints;

    @Option(names = "--resume", description = "continue checkpoint.zip in --checkpoint-dir (see above)")
    boolean resume;

    @Option(names = "--out", paramLabel = "FILE", required = true, description = "the trained model (the best by the "
            + "dev metric if the dev set was evaluated, else the last), written atomically")
    Path out;

    @Mixin
    ProgressBarOption progress;

    private static final String P = "train.";

    @Override
    public Integer call() {
        if (trainSource == null || trainTarget == null) {
            throw new ParameterException(spec.commandLine(), "train: --train-source and --train-target are required");
        }
        if (epochs == null && updates == null && minutes == null && patience == 0) {
            throw new ParameterException(spec.commandLine(), "train: give a budget: --epochs, --updates and/or --minutes "
                    + "(or early stopping with --patience)");
        }
        if ((devSource == null) != (devTarget == null)) {
            throw new ParameterException(spec.commandLine(), "train: give both --dev-source and --dev-target, or neither");
        }
        if (resume && checkpointDir == null) {
            throw new ParameterException(spec.commandLine(), "train: --resume needs --checkpoint-dir");
        }
        if (keepCheckpoints != 0 && checkpointDir == null) {
            throw new ParameterException(spec.commandLine(), "train: --keep-checkpoints needs --checkpoint-dir");
        }
        Seq2SeqModel model = resume ? Seq2SeqTrainer.loadCheckpoint(checkpointDir) : null;
        if (model != null) {
            restoreSettings(model);
        }
        Tokenizer tok = modelOptions.tokenizer();
        List<SentencePair> trainText = ParallelCorpus.readLineAligned(trainSource, trainTarget);
        if (trainText.isEmpty()) {
            throw new IllegalArgumentException("train: the training corpus " + trainSource + " / " + trainTarget
                    + " has no sentence pairs");
        }
        if (model == null) {
            model = modelOptions.newModel(trainText, seed);
            storeSettings(model);
        }
        Seq2SeqEncoder.Result train = modelOptions.encoder(model, true).encode(trainText);
        if (train.pairs().isEmpty()) {
            throw new IllegalArgumentException("train: all " + trainText.size() + " training pairs are longer than "
                    + "--max-length " + modelOptions.maxLength);
        }
        System.out.printf(Locale.ROOT, "%s: %d training pairs (%d dropped as longer than %d), vocabularies %d / %d, "
                        + "%d parameters%n", model.properties().get("attention"), train.pairs().size(),
                train.droppedTooLong(), modelOptions.maxLength, model.sourceVocabulary().size(),
                model.targetVocabulary().size(),
                model.parameterCount());
        Seq2SeqTrainer.Builder t = Seq2SeqTrainer.builder().model(model)
                .trainingData(Seq2SeqIterator.builder().pairs(train.pairs()).batchSize(batch).maxTokens(maxTokens)
                        .seed(seed).build())
                .clipNorm(clip).samplingSchedule(SamplingSchedule.parse(sampling)).samplingMode(mode()).seed(seed)
                .maxEpochs(epochs == null ? 0 : epochs).maxUpdates(updates == null ? 0 : updates)
                .maxMinutes(minutes == null ? 0 : minutes).checkpointDir(checkpointDir).checkpointEvery(checkpointEvery)
                .keepCheckpoints(keepCheckpoints);
        if (progress.show()) {
            t.runListeners(new TrainingProgressBar("train"));
        }
        Seq2SeqTrainer.Metric m = parseMetric();
        if (devSource != null && evalEvery > 0) {
            List<SentencePair> devText = ParallelCorpus.readLineAligned(devSource, devTarget);
            if (devText.isEmpty()) {
                throw new IllegalArgumentException("train: the dev corpus " + devSource + " has no sentence pairs");
            }
            t.evaluateEvery(evalEvery).patience(patience).metric(m).devPairs(modelOptions.encoder(model, false)
                    .encode(devText).pairs());
            if (m == Seq2SeqTrainer.Metric.BLEU) {
                List<SentencePair> part = devText.subList(0, Math.min(devText.size(), devBleuSentences));
                Tokenizer devSource = modelOptions.sourceTokenizer(model);
                t.devBleu(new DevBleu(part.stream().map(p -> devSource.tokenize(p.source())).toList(),
                        part.stream().map(p -> tok.tokenize(p.target())).toList(), 32));
            }
        } else if (patience > 0) {
            throw new ParameterException(spec.commandLine(), "train: --patience needs --dev-source/--dev-target and "
                    + "--eval-every > 0");
        }
        Seq2SeqTrainer trainer = t.build();
        Seq2SeqTrainer.Result r = trainer.train();
        Seq2SeqModel result = r.evaluations().isEmpty() && trainer.state().evaluations() == 0 ? model : trainer.bestModel();
        result.save(out, false);
        System.out.printf(Locale.ROOT, "stopped (%s) at update %d, epoch %d; %d updates this run in %.1f s "
                        + "(%.0f target tokens/s, %.1f s producing scheduled-sampling inputs)%n", r.stopReason(),
                r.updates(), r.state().epoch(), r.sessionUpdates(), r.sessionSeconds(),
                r.sessionTokens() / Math.max(1e-9, r.sessionSeconds()), r.samplingSeconds());
        if (trainer.state().evaluations() > 0) {
            System.out.printf(Locale.ROOT, "best dev %s %.4f at update %d%n", m, r.state().bestScore(),
                    r.state().bestUpdate());
        }
        System.out.println("model written to " + out.toAbsolutePath());
        return 0;
    }

    private ScheduledSampler.Mode mode() {
        return switch (samplingMode.toLowerCase(Locale.ROOT)) {
            case "sample" -> ScheduledSampler.Mode.SAMPLE;
            case "argmax" -> ScheduledSampler.Mode.ARGMAX;
            default -> throw new ParameterException(spec.commandLine(), "train: --sampling-mode must be sample or "
                    + "argmax, got '" + samplingMode + "'");
        };
    }

    private Seq2SeqTrainer.Metric parseMetric() {
        return switch (metric.toLowerCase(Locale.ROOT)) {
            case "perplexity" -> Seq2SeqTrainer.Metric.PERPLEXITY;
            case "bleu" -> Seq2SeqTrainer.Metric.BLEU;
            default -> throw new ParameterException(spec.commandLine(), "train: --metric must be perplexity or bleu, "
                    + "got '" + metric + "'");
        };
    }

    /** The settings that decide the data and the random draws, kept in the model so --resume can reproduce them. */
    private void storeSettings(Seq2SeqModel model) {
        modelOptions.store(model);
        model.setProperty(P + "batch", Integer.toString(batch));
        if (maxTokens > 0) {
            model.setProperty(P + "maxTokens", Long.toString(maxTokens));
        }
        model.setProperty(P + "seed", Long.toString(seed));
        model.setProperty(P + "sampling", SamplingSchedule.parse(sampling).toString());
        model.setProperty(P + "samplingMode", samplingMode.toLowerCase(Locale.ROOT));
        model.setProperty(P + "clip", Double.toString(clip));
    }

    private void restoreSettings(Seq2SeqModel model) {
        if (model.property(P + "seed") == null) {
            throw new IllegalArgumentException("train: " + checkpointDir.resolve(Seq2SeqTrainer.CHECKPOINT)
                    + " was not written by the train command (no " + P + "seed property); resume it with Seq2SeqTrainer");
        }
        modelOptions.restore(model);
        batch = Integer.parseInt(model.property(P + "batch"));
        maxTokens = model.property(P + "maxTokens") == null ? 0 : Long.parseLong(model.property(P + "maxTokens"));
        seed = Long.parseLong(model.property(P + "seed"));
        sampling = model.property(P + "sampling");
        samplingMode = model.property(P + "samplingMode");
        clip = Double.parseDouble(model.property(P + "clip"));
        System.out.printf(Locale.ROOT, "resuming %s at update %d with its saved settings: tokenizer %s%s, max length %d, "
                        + "batch %d%s, seed %d, sampling %s (%s), clip %s%n", checkpointDir,
                model.graph().getIterationCount(), model.property(Seq2SeqModel.TOKENIZER),
                modelOptions.lowercase ? " (lowercased)" : "", modelOptions.maxLength, batch,
                maxTokens > 0 ? " (at most " + maxTokens + " padded tokens)" : "", seed,
                sampling, samplingMode, clip);
        if (!Files.isDirectory(checkpointDir)) {
            throw new IllegalArgumentException("train: --checkpoint-dir " + checkpointDir + " is not a directory");
        }
    }
}
