package org.recurrent4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.recurrent4j.seq2seq.Seq2SeqModel;

/**
 * The {@code spark-train} command end to end in Spark's local mode, on a corpus the test writes: word reversal
 * into a second vocabulary ("a c b" → "B C A"), 240 training and 20 dev pairs, a tiny RNNsearch, two workers, three
 * epochs. The run must lower the dev cross-entropy by a fifth, write a model that {@link Seq2SeqModel#load} reads
 * with the settings of the run, and that {@code translate} translates. The options of {@code train} that Spark
 * training cannot honour are refused, before Spark starts, with one line naming the option and what to use instead.
 */
class SparkTrainCommandTest {
    private static final String[] WORDS = {"a", "b", "c", "d", "e", "f"};
    private static final Pattern DEV = Pattern.compile("dev (before training|after epoch \\d+)[^:]*: cross-entropy "
            + "([0-9.]+) nats/token");

    @BeforeAll
    static void localSparkWithoutWebUi() {
        System.setProperty("spark.ui.enabled", "false");
        System.setProperty("spark.driver.host", "127.0.0.1");
    }

    /** Writes {@code pairs} reversal pairs as line-aligned files {@code name.src} and {@code name.tgt}. */
    private static void writeReversals(Path dir, String name, int pairs, Random random) throws IOException {
        List<String> sources = new ArrayList<>();
        List<String> targets = new ArrayList<>();
        for (int i = 0; i < pairs; i++) {
            List<String> words = new ArrayList<>();
            for (int w = 0, n = 2 + random.nextInt(4); w < n; w++) {
                words.add(WORDS[random.nextInt(WORDS.length)]);
            }
            sources.add(String.join(" ", words));
            List<String> reversed = new ArrayList<>(words.stream().map(String::toUpperCase).toList());
            Collections.reverse(reversed);
            targets.add(String.join(" ", reversed));
        }
        Files.write(dir.resolve(name + ".src"), sources);
        Files.write(dir.resolve(name + ".tgt"), targets);
    }

    private static List<String> sparkTrain(Path dir, String... extra) {
        List<String> args = new ArrayList<>(List.of("--master", "local[2]",
                "--train-source", dir.resolve("train.src").toString(),
                "--train-target", dir.resolve("train.tgt").toUri().toString(),
                "--embedding", "8", "--encoder", "12", "--decoder", "12", "--maxout", "8", "--attention-size", "8",
                "--optimizer", "adam", "--lr", "0.02", "--batch", "10", "--averaging-frequency", "2",
                "--out", dir.resolve("model.zip").toString()));
        args.addAll(Arrays.asList(extra));
        return args;
    }

    @Test
    void trainsOnTwoLocalWorkersAndWritesAModelThatTranslates(@TempDir Path dir) throws IOException {
        Random random = new Random(7);
        writeReversals(dir, "train", 240, random);
        writeReversals(dir, "dev", 20, random);
        List<String> args = sparkTrain(dir, "--dev-source", dir.resolve("dev.src").toString(),
                "--dev-target", dir.resolve("dev.tgt").toString(), "--epochs", "3", "--dev-bleu-sentences", "20");
        CommandRun run = CommandRun.ofCommand(new SparkTrainCommand(), args.toArray(String[]::new));
        System.out.print(run.out());
        assertEquals(0, run.exitCode(), run.err());

        List<Double> devLoss = new ArrayList<>();
        Matcher m = DEV.matcher(run.out());
        while (m.find()) {
            devLoss.add(Double.parseDouble(m.group(2)));
        }
        assertEquals(4, devLoss.size(), "dev scored before training and after each of 3 epochs: " + run.out());
        double before = devLoss.get(0);
        double after = devLoss.get(devLoss.size() - 1);
        assertTrue(after < 0.8 * before, "dev cross-entropy " + before + " -> " + after);
        assertTrue(run.out().contains("2 workers averaging every 2 minibatches of 10"), run.out());
        assertTrue(run.out().contains("dev BLEU (greedy, first 20 sentences"), run.out());

        Seq2SeqModel model = Seq2SeqModel.load(dir.resolve("model.zip"), false);
        assertEquals(WORDS.length + 4, model.sourceVocabulary().size());
        assertEquals("whitespace", model.property(Seq2SeqModel.TOKENIZER));
        assertEquals("2", model.property("spark.workers"));
        assertTrue(model.graph().getIterationCount() > 0, "the saved graph counts its updates");

        CommandRun translate = CommandRun.of("translate", "--model", dir.resolve("model.zip").toString(),
                "--input", dir.resolve("dev.src").toString(), "--output", dir.resolve("dev.hyp").toString(),
                "--beam", "1");
        assertEquals(0, translate.exitCode(), translate.err());
        assertEquals(20, Files.readAllLines(dir.resolve("dev.hyp")).size());
    }

    @Test
    void raggedCorpusIsRefusedNamingBothFiles(@TempDir Path dir) throws IOException {
        writeReversals(dir, "train", 12, new Random(1));
        Files.write(dir.resolve("train.tgt"), List.of("A", "B"));
        CommandRun run = CommandRun.ofCommand(new SparkTrainCommand(),
                sparkTrain(dir, "--epochs", "1").toArray(String[]::new));
        assertOneLineRefusal(run, "train.src has 12 lines but", "train.tgt has 2");
    }

    @ParameterizedTest
    @ValueSource(strings = {"--sampling=linear:1,0.001,0", "--tbptt=20,20", "--patience=3", "--metric=bleu",
            "--checkpoint-dir=runs", "--keep-checkpoints=5", "--resume", "--updates=100", "--max-tokens=2000",
            "--subwords=500"})
    void trainOnlyOptionIsRefusedWithWhatToUseInstead(String option, @TempDir Path dir) {
        CommandRun run = CommandRun.ofCommand(new SparkTrainCommand(),
                sparkTrain(dir, "--epochs", "1", option).toArray(String[]::new));
        String name = option.split("=")[0];
        assertOneLineRefusal(run, name + ": ", "not supported on Spark", "use ");
        assertTrue(Files.notExists(dir.resolve("model.zip")));
    }

    @Test
    void unknownOptionIsAUsageError(@TempDir Path dir) {
        CommandRun run = CommandRun.ofCommand(new SparkTrainCommand(),
                sparkTrain(dir, "--epochs", "1", "--no-such-option").toArray(String[]::new));
        assertEquals(2, run.exitCode(), run.err());
        assertTrue(run.err().contains("unknown option or argument '--no-such-option'"), run.err());
    }

    /** Exit code 1 and one report line holding every part. */
    private static void assertOneLineRefusal(CommandRun run, String... parts) {
        assertEquals(1, run.exitCode(), run.err());
        List<String> report = run.err().lines().filter(l -> l.startsWith("recurrent4j spark-train: ")).toList();
        assertEquals(1, report.size(), run.err());
        for (String part : parts) {
            assertTrue(report.get(0).contains(part), report.get(0));
        }
    }
}
