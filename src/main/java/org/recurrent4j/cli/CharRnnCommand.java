package org.recurrent4j.cli;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.recurrent4j.data.chars.CharacterCorpus;
import org.recurrent4j.data.io.TextFiles;
import org.recurrent4j.eval.BitsPerCharacter;
import org.recurrent4j.lm.CellType;
import org.recurrent4j.lm.CharRnnCheckpoint;
import org.recurrent4j.lm.CharRnnSettings;
import org.recurrent4j.lm.CharRnnTrainer;
import org.recurrent4j.lm.CharSampler;
import org.recurrent4j.lm.TrainingProgress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The character language model of the lecture (char-rnn): {@code train} and {@code sample}. */
@Command(name = "char-rnn", mixinStandardHelpOptions = true,
        description = "Character-level language models (GRU, Elman, DL4J LSTM) trained with truncated BPTT.",
        subcommands = {CharRnnCommand.Train.class, CharRnnCommand.Sample.class})
public final class CharRnnCommand implements Runnable {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** {@code char-rnn train}. */
    @Command(name = "train", mixinStandardHelpOptions = true,
            description = {"Train a character language model with TBPTT(k1, k2) on contiguous streams of the text (the",
                    "state carried from each minibatch to the next), then report validation bits per character and",
                    "save a checkpoint (model.zip with Adam's state and the carried state, vocabulary.txt,",
                    "training-state.properties, result.properties) to --out.",
                    "--resume continues that checkpoint with its saved settings (the architecture and training options",
                    "given now are ignored): parameters, Adam's state, iteration count, position in the stream and the",
                    "carried state are restored, so the result equals an uninterrupted run to the same --updates."})
    static final class Train implements Callable<Integer> {

        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Option(names = "--text", description = "UTF-8 training text (default: ${DEFAULT-VALUE})",
                defaultValue = "../shared/datasets/tinyshakespeare/input.txt")
        Path text;

        @Option(names = "--out", description = "checkpoint directory (default: ${DEFAULT-VALUE})",
                defaultValue = "results/char-rnn")
        Path out;

        @Option(names = "--resume", description = "continue the checkpoint in --out")
        boolean resume;

        @Option(names = "--cell", description = "gru, elman or lstm (default: ${DEFAULT-VALUE})", defaultValue = "gru")
        String cell;

        @Option(names = "--hidden", description = "units per recurrent layer (default: ${DEFAULT-VALUE})", defaultValue = "128")
        int hidden;

        @Option(names = "--match-params-of", paramLabel = "CELL:N",
                description = "choose --hidden so that the model has about as many parameters as CELL with N units, "
                        + "e.g. gru:128 (overrides --hidden)")
        String matchParamsOf;

        @Option(names = "--layers", description = "stacked recurrent layers (default: ${DEFAULT-VALUE})", defaultValue = "1")
        int layers;

        @Option(names = "--batch", description = "parallel streams per minibatch (default: ${DEFAULT-VALUE})", defaultValue = "32")
        int batch;

        @Option(names = "--chunk", description = "time steps per minibatch (default: ${DEFAULT-VALUE})", defaultValue = "100")
        int chunk;

        @Option(names = "--k1", description = "TBPTT: steps between updates (default: ${DEFAULT-VALUE})", defaultValue = "10")
        int k1;

        @Option(names = "--k2", description = "TBPTT: steps backpropagated per update (default: ${DEFAULT-VALUE})", defaultValue = "25")
        int k2;

        @Option(names = "--clip", description = "global gradient-norm threshold, 0 = none (default: ${DEFAULT-VALUE})", defaultValue = "5")
        double clip;

        @Option(names = "--lr", description = "Adam learning rate (default: ${DEFAULT-VALUE})", defaultValue = "0.002")
        double learningRate;

        @Option(names = "--seed", description = "initialisation seed (default: ${DEFAULT-VALUE})", defaultValue = "42")
        long seed;

        @Option(names = "--validation-fraction", description = "share of the text's end held out (default: ${DEFAULT-VALUE})",
                defaultValue = "0.1")
        double validationFraction;

        @Option(names = "--dtype", description = "float or double (default: ${DEFAULT-VALUE})", defaultValue = "float")
        String dtype;

        @Option(names = "--updates", description = "stop when the model has made this many updates in total "
                + "(checked after each minibatch)")
        Long updates;

        @Option(names = "--minutes", description = "stop after this many minutes of training in this run")
        Double minutes;

        @Option(names = "--validation-streams", description = "parallel parts of the validation text (default: ${DEFAULT-VALUE})",
                defaultValue = "32")
        int validationStreams;

        @Mixin
        ProgressBarOption progress;

        @Override
        public Integer call() {
            if (updates == null && minutes == null) {
                throw new ParameterException(spec.commandLine(), "char-rnn train: give a budget, --updates N and/or --minutes M");
            }
            PrintStream console = System.out;
            CharRnnCheckpoint start;
            CharacterCorpus corpus;
            if (resume) {
                start = CharRnnCheckpoint.load(out);
                corpus = CharacterCorpus.load(text, start.settings().validationFraction());
                if (!corpus.vocabulary().equals(start.vocabulary())) {
                    throw new IllegalArgumentException("char-rnn train: --text " + text + " has a different character set ("
                            + corpus.vocabulary().size() + ") from the checkpoint's vocabulary (" + start.vocabulary().size()
                            + "); resume with the text it was trained on");
                }
                console.printf(Locale.ROOT, "Resuming %s at update %d (epoch %d, minibatch %d); saved settings: %s%n",
                        out, start.net().getIterationCount(), start.progress().epoch(), start.progress().batchInEpoch(),
                        start.settings());
            } else {
                corpus = CharacterCorpus.load(text, validationFraction);
                CharRnnSettings settings = settings(corpus.vocabulary().size());
                start = new CharRnnCheckpoint(settings.newNetwork(corpus.vocabulary().size()), corpus.vocabulary(),
                        settings, TrainingProgress.START, java.util.List.of());
            }
            CharRnnSettings s = start.settings();
            MultiLayerNetwork net = start.net();
            int v = corpus.vocabulary().size();
            console.printf(Locale.ROOT, "%s, %d layer(s) of %d units, vocabulary %d: %d parameters%n", s.cell().cliName(),
                    s.layers(), s.hidden(), v, net.numParams());
            for (CellType other : CellType.values()) {
                console.printf(Locale.ROOT, "  about as many parameters: %s with %d units (%d)%n", other.cliName(),
                        other.hiddenSizeMatching(net.numParams(), v, s.layers()),
                        other.modelParameters(v, other.hiddenSizeMatching(net.numParams(), v, s.layers()), s.layers()));
            }
            console.printf(Locale.ROOT, "train %d / validation %d characters; TBPTT k1 = %d, k2 = %d, %d streams x %d steps, clip %s%n",
                    corpus.train().length, corpus.validation().length, s.k1(), s.k2(), s.batchSize(), s.chunkLength(),
                    s.clipNorm() > 0 ? Double.toString(s.clipNorm()) : "none");

            CharRnnTrainer trainer = new CharRnnTrainer(start, corpus.train());
            long target = updates == null ? Long.MAX_VALUE : updates;
            double seconds = minutes == null ? 0 : minutes * 60;
            long startUpdates = trainer.updates();
            long t0 = System.nanoTime();
            double[] smoothed = {Double.NaN};
            long[] chars = {0};
            ProgressBarBuilder pb = new ProgressBarBuilder().setTaskName("char-rnn " + s.cell().cliName())
                    .setStyle(ProgressBarStyle.ASCII).setConsumer(new ConsoleProgressBarConsumer(System.err))
                    .setInitialMax(updates == null ? -1 : Math.max(0, updates - startUpdates)).setUnit(" updates", 1);
            try (ProgressBar bar = progress.show() ? pb.build() : null) {
                trainer.train(target, seconds, (done, bits, batchChars) -> {
                    smoothed[0] = Double.isNaN(smoothed[0]) ? bits : 0.9 * smoothed[0] + 0.1 * bits;
                    chars[0] += batchChars;
                    if (bar != null) {
                        bar.stepTo(done - startUpdates);
                        bar.setExtraMessage(String.format(Locale.ROOT, " loss %.3f bits/char, %.0f chars/s", smoothed[0],
                                chars[0] / ((System.nanoTime() - t0) / 1e9)));
                    }
                });
            }
            double trainSeconds = (System.nanoTime() - t0) / 1e9;
            CharRnnCheckpoint end = trainer.checkpoint(corpus.vocabulary());
            end.save(out);
            long v0 = System.nanoTime();
            double bpc = BitsPerCharacter.evaluate(net, corpus.validation(), v, validationStreams, 250);
            double validSeconds = (System.nanoTime() - v0) / 1e9;
            String result = String.format(Locale.ROOT, "cell=%s%nhidden=%d%nlayers=%d%nparameters=%d%nk1=%d%nk2=%d%n"
                            + "updates=%d%nepoch=%d%ncharacters=%d%ntrainingSeconds=%.1f%nsessionSeconds=%.1f%n"
                            + "sessionCharsPerSecond=%.0f%ntrainBitsPerCharSmoothed=%.4f%nvalidationBitsPerChar=%.4f%n",
                    s.cell().cliName(), s.hidden(), s.layers(), net.numParams(), s.k1(), s.k2(), trainer.updates(),
                    trainer.progress().epoch(), trainer.progress().characters(), trainer.progress().trainingSeconds(),
                    trainSeconds, chars[0] / trainSeconds, smoothed[0], bpc);
            TextFiles.writeAtomically(out.resolve("result.properties"), os -> os.write(result.getBytes(StandardCharsets.UTF_8)));
            console.printf(Locale.ROOT, "%d updates (%d this run, %.1f s, %.0f chars/s); validation: %.4f bits/char "
                            + "(%.1f s); checkpoint in %s%n", trainer.updates(), trainer.updates() - startUpdates, trainSeconds,
                    chars[0] / trainSeconds, bpc, validSeconds, out);
            return 0;
        }

        private CharRnnSettings settings(int vocabularySize) {
            CellType cellType = CellType.parse(cell);
            int n = hidden;
            if (matchParamsOf != null) {
                String[] parts = matchParamsOf.split(":");
                if (parts.length != 2) {
                    throw new ParameterException(spec.commandLine(), "char-rnn train: --match-params-of must be CELL:N, "
                            + "e.g. gru:128, got '" + matchParamsOf + "'");
                }
                CellType reference = CellType.parse(parts[0]);
                long target = reference.modelParameters(vocabularySize, Integer.parseInt(parts[1].trim()), layers);
                n = cellType.hiddenSizeMatching(target, vocabularySize, layers);
                System.out.printf(Locale.ROOT, "%s:%s has %d parameters; %s with %d units has %d%n", parts[0],
                        parts[1], target, cellType.cliName(), n, cellType.modelParameters(vocabularySize, n, layers));
            }
            DataType dataType = switch (dtype.toLowerCase(Locale.ROOT)) {
                case "float" -> DataType.FLOAT;
                case "double" -> DataType.DOUBLE;
                default -> throw new ParameterException(spec.commandLine(), "char-rnn train: --dtype must be float or double, got " + dtype);
            };
            return new CharRnnSettings(cellType, n, layers, batch, chunk, k1, k2, clip, learningRate, seed,
                    validationFraction, dataType);
        }
    }

    /** {@code char-rnn sample}. */
    @Command(name = "sample", mixinStandardHelpOptions = true,
            description = "Generate text from a checkpoint written by char-rnn train.")
    static final class Sample implements Callable<Integer> {

        @Option(names = "--model", description = "checkpoint directory (default: ${DEFAULT-VALUE})", defaultValue = "results/char-rnn")
        Path model;

        @Option(names = "--prompt", description = "priming text (default: a newline)", defaultValue = "\n")
        String prompt;

        @Option(names = "--length", description = "characters to generate (default: ${DEFAULT-VALUE})", defaultValue = "500")
        int length;

        @Option(names = "--temperature", description = "sampling temperature, 0 = greedy (default: ${DEFAULT-VALUE})",
                defaultValue = "0.8")
        double temperature;

        @Mixin
        RandomSeedOption seed;

        @Override
        public Integer call() {
            if (!Files.isDirectory(model)) {
                throw new IllegalArgumentException("char-rnn sample: --model " + model + " is not a checkpoint directory");
            }
            CharRnnCheckpoint checkpoint = CharRnnCheckpoint.load(model);
            String generated = new CharSampler(checkpoint.net(), checkpoint.vocabulary())
                    .sample(prompt, length, temperature, seed.seed);
            System.out.print(prompt + generated);
            System.out.println();
            return 0;
        }
    }
}
