package org.recurrent4j.seq2seq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recurrent4j.cli.Main;
import org.recurrent4j.data.parallel.EncodedPair;

/** The {@code train} command: a small run with dev BLEU, resume by command line, help, bad input. */
class Seq2SeqTrainCommandTest {

    /** Writes the reversal task as text: source lines and their reversals. */
    private static void corpus(Path source, Path target, int n, long seed) throws IOException {
        List<String> s = new ArrayList<>();
        List<String> t = new ArrayList<>();
        for (EncodedPair p : ReversalTask.pairs(new Random(seed), n, 6, 2, 6)) {
            List<String> words = new ArrayList<>();
            for (int id : p.source()) {
                words.add("w" + (id - 4));
            }
            s.add(String.join(" ", words));
            java.util.Collections.reverse(words);
            t.add(String.join(" ", words));
        }
        Files.write(source, s, StandardCharsets.UTF_8);
        Files.write(target, t, StandardCharsets.UTF_8);
    }

    private static String[] args(Path dir, String... more) {
        List<String> a = new ArrayList<>(List.of("train", "--train-source", dir.resolve("train.src").toString(),
                "--train-target", dir.resolve("train.tgt").toString(), "--dev-source", dir.resolve("dev.src").toString(),
                "--dev-target", dir.resolve("dev.tgt").toString(), "--embedding", "4", "--encoder", "3", "--decoder", "5",
                "--maxout", "4", "--attention-size", "3", "--batch", "4", "--optimizer", "adam", "--lr", "0.01",
                "--dropout", "0.1", "--sampling", "linear:1,0.2,0.5", "--no-progress"));
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    private record Run(int code, String err) {
    }

    private static Run run(String... args) {
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            int code = Main.run(args);
            return new Run(code, captured.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(err);
        }
    }

    @Test
    void trainsWithDevBleuAndResumesExactlyFromTheCommandLine(@TempDir Path dir) throws IOException {
        corpus(dir.resolve("train.src"), dir.resolve("train.tgt"), 10, 1);
        corpus(dir.resolve("dev.src"), dir.resolve("dev.tgt"), 4, 2);
        Run straight = run(args(dir, "--updates", "6", "--eval-every", "2", "--metric", "bleu",
                "--checkpoint-dir", dir.resolve("a").toString(), "--out", dir.resolve("a.zip").toString()));
        assertEquals(0, straight.code(), straight.err());
        Seq2SeqModel a = Seq2SeqModel.load(dir.resolve("a").resolve(Seq2SeqTrainer.CHECKPOINT), true);
        assertEquals(6, a.graph().getIterationCount());
        assertTrue(Files.isRegularFile(dir.resolve("a.zip")));
        assertEquals("6", a.property(Seq2SeqModel.MAX_TRAINING_SOURCE_LENGTH));

        Run first = run(args(dir, "--updates", "3", "--eval-every", "2", "--metric", "bleu",
                "--checkpoint-dir", dir.resolve("b").toString(), "--out", dir.resolve("b.zip").toString()));
        assertEquals(0, first.code(), first.err());
        // resumed with other settings on the command line: the saved ones are used
        Run second = run(args(dir, "--updates", "6", "--eval-every", "2", "--metric", "bleu", "--seed", "99",
                "--max-length", "5", "--checkpoint-dir", dir.resolve("b").toString(), "--resume",
                "--out", dir.resolve("b.zip").toString()));
        assertEquals(0, second.code(), second.err());
        Seq2SeqModel b = Seq2SeqModel.load(dir.resolve("b").resolve(Seq2SeqTrainer.CHECKPOINT), true);
        assertEquals(a.graph().params(), b.graph().params());
        assertEquals(a.property("training.bestScore"), b.property("training.bestScore"));
    }

    @Test
    void helpExplainsTheCommandAndBadInputIsNamed(@TempDir Path dir) throws IOException {
        Run help = run("train", "--help");
        assertEquals(0, help.code());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            Main.run("train", "--help");
        } finally {
            System.setOut(stdout);
        }
        String usage = out.toString(StandardCharsets.UTF_8);
        assertTrue(usage.contains("--train-source") && usage.contains("Example") && usage.contains("--resume")
                && usage.contains("inverse-sigmoid"), usage);

        corpus(dir.resolve("train.src"), dir.resolve("train.tgt"), 10, 1);
        corpus(dir.resolve("dev.src"), dir.resolve("dev.tgt"), 4, 2);
        // mismatched line counts
        Files.write(dir.resolve("short.tgt"), List.of("w1 w2"), StandardCharsets.UTF_8);
        Run ragged = run("train", "--train-source", dir.resolve("train.src").toString(), "--train-target",
                dir.resolve("short.tgt").toString(), "--updates", "1", "--out", dir.resolve("x.zip").toString());
        assertNotEquals(0, ragged.code());
        assertTrue(ragged.err().contains("equal line counts"), ragged.err());
        // empty corpus
        Files.write(dir.resolve("empty.src"), new byte[0]);
        Files.write(dir.resolve("empty.tgt"), new byte[0]);
        Run empty = run("train", "--train-source", dir.resolve("empty.src").toString(), "--train-target",
                dir.resolve("empty.tgt").toString(), "--updates", "1", "--out", dir.resolve("x.zip").toString());
        assertNotEquals(0, empty.code());
        assertTrue(empty.err().contains("has no sentence pairs"), empty.err());
        // no budget; unknown preset
        Run noBudget = run(args(dir, "--out", dir.resolve("x.zip").toString(), "--eval-every", "0"));
        assertNotEquals(0, noBudget.code());
        assertTrue(noBudget.err().contains("give a budget"), noBudget.err());
        Run preset = run(args(dir, "--updates", "1", "--preset", "transformer", "--out", dir.resolve("x.zip").toString()));
        assertNotEquals(0, preset.code());
        assertTrue(preset.err().contains("--preset must be rnnsearch"), preset.err());
        Run resume = run(args(dir, "--updates", "1", "--resume", "--checkpoint-dir", dir.resolve("none").toString(),
                "--out", dir.resolve("x.zip").toString()));
        assertNotEquals(0, resume.code());
        assertTrue(resume.err().contains("no checkpoint.zip"), resume.err());
        assertTrue(!Files.exists(dir.resolve("x.zip")));
    }
}
