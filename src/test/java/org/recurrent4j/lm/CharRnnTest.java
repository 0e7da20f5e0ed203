package org.recurrent4j.lm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.recurrent4j.cli.Main;
import org.recurrent4j.data.TestFiles;
import org.recurrent4j.data.chars.CharacterCorpus;
import org.recurrent4j.eval.BitsPerCharacter;

/** char-rnn on a tiny text: training, bits per character, checkpoints, exact resume, sampling, bad input. */
class CharRnnTest {

    @TempDir
    static Path dir;
    static Path textFile;
    static CharacterCorpus corpus;

    @BeforeAll
    static void tinyText() {
        // a small, learnable text: words from a fixed list in a seeded random order
        String[] words = {"the", "cat", "sat", "on", "mat", "and", "a", "dog", "ran", "to", "it"};
        Random r = new Random(7);
        StringBuilder sb = new StringBuilder();
        while (sb.length() < 1200) {
            sb.append(words[r.nextInt(words.length)]).append(r.nextInt(6) == 0 ? ".\n" : " ");
        }
        textFile = TestFiles.bytes(dir.resolve("tiny.txt"), sb.toString().getBytes(StandardCharsets.UTF_8));
        corpus = CharacterCorpus.load(textFile, 0.2);
    }

    /** GRU 16, 4 streams × 24 steps, TBPTT(6, 9): 4 updates per minibatch, 10 minibatches per epoch. */
    private static CharRnnSettings settings(CellType cell, DataType dataType) {
        return new CharRnnSettings(cell, 16, 1, 4, 24, 6, 9, 5.0, 0.02, 123, 0.2, dataType);
    }

    private static CharRnnTrainer fresh(CharRnnSettings s) {
        int v = corpus.vocabulary().size();
        return new CharRnnTrainer(new CharRnnCheckpoint(s.newNetwork(v), corpus.vocabulary(), s, TrainingProgress.START,
                List.of()), corpus.train());
    }

    private static double validationBpc(MultiLayerNetwork net) {
        return BitsPerCharacter.evaluate(net, corpus.validation(), corpus.vocabulary().size(), 3, 17);
    }

    private static final CharRnnTrainer.Listener QUIET = (u, b, c) -> { };

    @Test
    void parameterCountsMatchTheNetworks() {
        int v = corpus.vocabulary().size();
        for (CellType cell : CellType.values()) {
            for (int layers = 1; layers <= 2; layers++) {
                CharRnnSettings s = new CharRnnSettings(cell, 7, layers, 2, 10, 5, 5, 0, 0.01, 1, 0.2, DataType.FLOAT);
                assertEquals(s.newNetwork(v).numParams(), cell.modelParameters(v, 7, layers), cell + " x" + layers);
            }
        }
        // equal-size rule: an Elman net of n_E units has about as many parameters as a GRU of n units
        long gru = CellType.GRU.modelParameters(65, 128, 1);
        int nElman = CellType.ELMAN.hiddenSizeMatching(gru, 65, 1);
        assertEquals(230, nElman);
        assertTrue(Math.abs(CellType.ELMAN.modelParameters(65, nElman, 1) - gru)
                <= Math.abs(CellType.ELMAN.modelParameters(65, nElman + 1, 1) - gru));
    }

    @Test
    void bitsPerCharacterEqualsOneFullForwardPass() {
        MultiLayerNetwork net = settings(CellType.GRU, DataType.DOUBLE).newNetwork(corpus.vocabulary().size());
        int[] ids = corpus.validation();
        int v = corpus.vocabulary().size();
        INDArray x = Nd4j.zeros(DataType.DOUBLE, 1, v, ids.length - 1);          // [1, V, N-1]
        for (int t = 0; t < ids.length - 1; t++) {
            x.putScalar(new long[] {0, ids[t], t}, 1.0);
        }
        INDArray probs = net.output(x);                                            // [1, V, N-1]
        double bits = 0;
        for (int t = 0; t < ids.length - 1; t++) {
            bits -= Math.log(probs.getDouble(0, ids[t + 1], t)) / Math.log(2);
        }
        double expected = bits / (ids.length - 1);
        assertEquals(expected, BitsPerCharacter.evaluate(net, ids, v, 1, 13), 1e-10);
        assertEquals(expected, BitsPerCharacter.evaluate(net, ids, v, 1, 1000), 1e-10);
    }

    @Test
    void trainingLowersValidationBitsPerCharacter() {
        CharRnnTrainer trainer = fresh(settings(CellType.GRU, DataType.FLOAT));
        MultiLayerNetwork net = trainer.checkpoint(corpus.vocabulary()).net();
        double before = validationBpc(net);
        assertEquals(Math.log(corpus.vocabulary().size()) / Math.log(2), before, 0.5, "untrained ≈ uniform");
        double[] firstLoss = {Double.NaN};
        double[] lastLoss = {Double.NaN};
        trainer.train(80, 0, (u, bits, c) -> {
            if (Double.isNaN(firstLoss[0])) {
                firstLoss[0] = bits;
            }
            lastLoss[0] = bits;
        });
        assertEquals(80, trainer.updates());
        double after = validationBpc(net);
        assertTrue(after < before - 1.0, "validation bpc " + before + " -> " + after);
        assertTrue(lastLoss[0] < firstLoss[0] - 1.0, "training bpc " + firstLoss[0] + " -> " + lastLoss[0]);
        assertEquals(1, trainer.progress().epoch(), "80 updates = 20 minibatches = 2 epochs of 10");
        assertEquals(10, trainer.progress().batchInEpoch());
    }

    @Test
    void savedAndLoadedModelGivesTheSameBitsPerCharacter() {
        for (CellType cell : CellType.values()) {
            CharRnnTrainer trainer = fresh(settings(cell, DataType.FLOAT));
            trainer.train(8, 0, QUIET);
            CharRnnCheckpoint saved = trainer.checkpoint(corpus.vocabulary());
            Path ckpt = dir.resolve("save-" + cell.cliName());
            saved.save(ckpt);
            CharRnnCheckpoint loaded = CharRnnCheckpoint.load(ckpt);
            assertEquals(saved.settings(), loaded.settings());
            assertEquals(saved.progress(), loaded.progress());
            assertEquals(corpus.vocabulary(), loaded.vocabulary());
            assertEquals(saved.net().params(), loaded.net().params());
            assertEquals(validationBpc(saved.net()), validationBpc(loaded.net()), 0.0, cell.toString());
        }
    }

    @Test
    void resumeReproducesTheUninterruptedRunExactly() {
        for (DataType dataType : new DataType[] {DataType.DOUBLE, DataType.FLOAT}) {
            // 8 streams of 119 steps: 5 minibatches (4 updates each) per epoch
            CharRnnSettings s = new CharRnnSettings(CellType.GRU, 16, 1, 8, 24, 6, 9, 5.0, 0.02, 123, 0.2, dataType);
            CharRnnTrainer straight = fresh(s);
            straight.train(28, 0, QUIET);                      // crosses the epoch boundary at 20

            CharRnnTrainer first = fresh(s);
            first.train(12, 0, QUIET);
            Path ckpt = dir.resolve("resume-" + dataType);
            first.checkpoint(corpus.vocabulary()).save(ckpt);
            CharRnnCheckpoint loaded = CharRnnCheckpoint.load(ckpt);
            CharRnnTrainer resumed = new CharRnnTrainer(loaded, corpus.train());
            resumed.train(28, 0, QUIET);

            INDArray expected = straight.checkpoint(corpus.vocabulary()).net().params();
            assertEquals(28, resumed.updates());
            assertEquals(1, resumed.progress().epoch());
            assertEquals(expected, resumed.checkpoint(corpus.vocabulary()).net().params(), "resumed " + dataType);
            assertEquals(straight.progress().epoch(), resumed.progress().epoch());
            assertEquals(straight.progress().batchInEpoch(), resumed.progress().batchInEpoch());

            if (dataType == DataType.FLOAT) {
                continue;
            }
            // what the checkpoint's carried state is for: resuming from a zero state gives other parameters
            CharRnnCheckpoint again = CharRnnCheckpoint.load(ckpt);
            CharRnnTrainer withoutState = new CharRnnTrainer(new CharRnnCheckpoint(again.net(), again.vocabulary(),
                    again.settings(), again.progress(), List.of()), corpus.train());
            withoutState.train(28, 0, QUIET);
            assertNotEquals(expected, withoutState.checkpoint(corpus.vocabulary()).net().params());
        }
    }

    @Test
    void commandLineTrainResumeAndSample() throws Exception {
        Path straight = dir.resolve("cli-straight");
        Path split = dir.resolve("cli-split");
        String[] common = {"--text", textFile.toString(), "--cell", "elman", "--hidden", "12", "--batch", "4",
                "--chunk", "24", "--k1", "6", "--k2", "12", "--validation-fraction", "0.2", "--validation-streams", "2",
                "--no-progress"};
        assertEquals(0, Main.run(concat(new String[] {"char-rnn", "train", "--updates", "16", "--out", straight.toString()}, common)));
        assertEquals(0, Main.run(concat(new String[] {"char-rnn", "train", "--updates", "8", "--out", split.toString()}, common)));
        assertEquals(0, Main.run(concat(new String[] {"char-rnn", "train", "--resume", "--updates", "16", "--out", split.toString()}, common)));
        assertEquals(CharRnnCheckpoint.load(straight).net().params(), CharRnnCheckpoint.load(split).net().params());

        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        java.io.PrintStream old = System.out;
        System.setOut(new java.io.PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            assertEquals(0, Main.run("char-rnn", "sample", "--model", straight.toString(), "--prompt", "the ",
                    "--length", "40", "--seed", "3"));
        } finally {
            System.setOut(old);
        }
        String printed = captured.toString(StandardCharsets.UTF_8);
        assertTrue(printed.startsWith("the "), printed);
        assertEquals(4 + 40 + 1, printed.codePointCount(0, printed.length()), printed);   // prompt + text + newline
        // a budget is required; an unknown prompt character is an error (exit code 1)
        assertNotEquals(0, Main.run(concat(new String[] {"char-rnn", "train", "--out", split.toString()}, common)));
        assertNotEquals(0, Main.run("char-rnn", "sample", "--model", straight.toString(), "--prompt", "Z"));
    }

    @Test
    void gradNormsCommandWritesCsvAndPlots() throws Exception {
        Path elman = dir.resolve("gn-elman");
        Path gru = dir.resolve("gn-gru");
        for (CellType cell : new CellType[] {CellType.ELMAN, CellType.GRU}) {
            CharRnnTrainer trainer = fresh(settings(cell, DataType.FLOAT));
            trainer.train(4, 0, QUIET);
            trainer.checkpoint(corpus.vocabulary()).save(cell == CellType.ELMAN ? elman : gru);
        }
        Path out = dir.resolve("gn-out");
        assertEquals(0, Main.run("grad-norms", "--text", textFile.toString(), "--elman-model", elman.toString(),
                "--gru-model", gru.toString(), "--length", "30", "--out", out.toString()));
        List<String> csv = java.nio.file.Files.readAllLines(out.resolve("grad-norms.csv"));
        assertEquals("t,Elman_init,Elman_trained,GRU_init,GRU_trained", csv.get(0));
        assertEquals(31, csv.size());
        assertTrue(java.nio.file.Files.size(out.resolve("grad-norms.png")) > 0);
        assertTrue(java.nio.file.Files.size(out.resolve("grad-norms.svg")) > 0);
        // the sequence is longer than the validation text: refused (exit code 1)
        assertNotEquals(0, Main.run("grad-norms", "--text", textFile.toString(), "--elman-model", elman.toString(),
                "--length", "100000", "--out", out.toString()));
    }

    @Test
    void samplingIsDeterministicAndEmitsOnlyVocabularyCharacters() {
        CharRnnTrainer trainer = fresh(settings(CellType.GRU, DataType.FLOAT));
        trainer.train(40, 0, QUIET);
        CharSampler sampler = new CharSampler(trainer.checkpoint(corpus.vocabulary()).net(), corpus.vocabulary());
        String a = sampler.sample("the ", 200, 1.0, 11);
        assertEquals(a, sampler.sample("the ", 200, 1.0, 11));
        assertNotEquals(a, sampler.sample("the ", 200, 1.0, 12));
        assertEquals(200, a.codePointCount(0, a.length()));
        a.codePoints().forEach(cp -> corpus.vocabulary().id(cp));    // throws for a character outside the vocabulary
        String greedy = sampler.sample("the ", 50, 0, 1);
        assertEquals(greedy, sampler.sample("the ", 50, 0, 999), "temperature 0 ignores the seed");
    }

    @Test
    void greedyAndTemperatureDrawFollowTheDistribution() {
        double[] p = {0.1, 0.6, 0.3};
        assertEquals(1, CharSampler.choose(p, 0, new Random(1)));
        // τ = 0.5 squares the probabilities: 0.01, 0.36, 0.09 → 0.0217, 0.7826, 0.1957
        int[] counts = new int[3];
        Random r = new Random(5);
        for (int i = 0; i < 20000; i++) {
            counts[CharSampler.choose(p, 0.5, r)]++;
        }
        assertEquals(0.7826, counts[1] / 20000.0, 0.015);
        assertEquals(0.1957, counts[2] / 20000.0, 0.015);
    }

    @Test
    void badInputIsRefusedClearly() {
        CharRnnTrainer trainer = fresh(settings(CellType.GRU, DataType.FLOAT));
        CharSampler sampler = new CharSampler(trainer.checkpoint(corpus.vocabulary()).net(), corpus.vocabulary());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> sampler.sample("the Q", 5, 1, 1));
        assertTrue(e.getMessage().contains("CharSampler") && e.getMessage().contains("prompt character 5")
                && e.getMessage().contains("'Q'") && e.getMessage().contains("not in the model's vocabulary"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> sampler.sample("", 5, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> sampler.sample("the", 5, -1, 1));
        IllegalArgumentException k = assertThrows(IllegalArgumentException.class,
                () -> new CharRnnSettings(CellType.GRU, 8, 1, 2, 10, 11, 5, 0, 0.01, 1, 0.2, DataType.FLOAT));
        assertTrue(k.getMessage().contains("k1") && k.getMessage().contains("got 11"), k.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CellType.parse("rnn"));
        assertThrows(IllegalArgumentException.class, () -> CharRnnCheckpoint.load(dir.resolve("missing")));
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
