package org.recurrent4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recurrent4j.nn.loss.SoftmaxCrossEntropy;
import org.recurrent4j.seq2seq.Seq2SeqBuilder;
import org.recurrent4j.seq2seq.NumberedCheckpoints;
import org.recurrent4j.seq2seq.Seq2SeqModel;
import org.recurrent4j.seq2seq.Seq2SeqTrainer;

/**
 * The train command's {@code --label-smoothing} and {@code --max-tokens} reach the saved model; bad values are one
 * line naming the setting.
 */
class TrainCommandTest {
    private static final String[] SOURCES = {"a b c", "b c", "c a b d", "d a", "a", "b d c a"};
    private static final String[] TARGETS = {"x y", "y z z", "z x", "x", "y x z w", "w"};

    /** Asserts that the run failed with one report line holding every part. */
    private static void assertOneLineError(CommandRun r, String... parts) {
        assertEquals(1, r.exitCode(), r.err());
        List<String> report = r.err().lines().filter(l -> l.startsWith("recurrent4j ")).toList();
        assertEquals(1, report.size(), r.err());
        for (String part : parts) {
            assertTrue(report.get(0).contains(part), report.get(0));
        }
    }

    /** @return the train command on a six-pair corpus with a tiny model, one update, and the extra options */
    static String[] train(Path dir, String... extra) throws IOException {
        Path source = Files.write(dir.resolve("train.src"), List.of(SOURCES));
        Path target = Files.write(dir.resolve("train.tgt"), List.of(TARGETS));
        List<String> args = new ArrayList<>(List.of("train", "--train-source", source.toString(), "--train-target",
                target.toString(), "--embedding", "4", "--encoder", "3", "--decoder", "5", "--maxout", "4",
                "--attention-size", "3", "--batch", "2", "--updates", "1", "--no-progress", "--out",
                dir.resolve("model.zip").toString()));
        args.addAll(List.of(extra));
        return args.toArray(String[]::new);
    }

    private static SoftmaxCrossEntropy savedLoss(Path dir) {
        Seq2SeqModel model = Seq2SeqModel.load(dir.resolve("model.zip"), false);
        LayerVertex output = (LayerVertex) model.graph().getConfiguration().getVertices().get(Seq2SeqBuilder.OUTPUT);
        return (SoftmaxCrossEntropy) ((RnnOutputLayer) output.getLayerConf().getLayer()).getLossFn();
    }

    @Test
    void keepCheckpointsKeepsANumberedCopyOfTheCheckpoint(@TempDir Path dir) throws IOException {
        Path checkpoints = dir.resolve("run");
        CommandRun r = CommandRun.of(train(dir, "--checkpoint-dir", checkpoints.toString(), "--keep-checkpoints", "2"));
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(List.of(checkpoints.resolve(NumberedCheckpoints.fileName(1))),
                NumberedCheckpoints.newest(checkpoints, 1));
        assertArrayEquals(Files.readAllBytes(checkpoints.resolve(Seq2SeqTrainer.CHECKPOINT)),
                Files.readAllBytes(checkpoints.resolve(NumberedCheckpoints.fileName(1))));

        r = CommandRun.of(train(dir, "--keep-checkpoints", "2"));
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().startsWith("train: --keep-checkpoints needs --checkpoint-dir"), r.err());
    }

    @Test
    void labelSmoothingReachesTheSavedModelsLoss(@TempDir Path dir) throws IOException {
        CommandRun r = CommandRun.of(train(dir, "--label-smoothing", "0.1"));
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(0.1, savedLoss(dir).getLabelSmoothing());
    }

    @Test
    void withoutTheOptionTheLossIsUnsmoothed(@TempDir Path dir) throws IOException {
        CommandRun r = CommandRun.of(train(dir));
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(SoftmaxCrossEntropy.sparse(), savedLoss(dir));
    }

    @Test
    void labelSmoothingOutsideZeroToOneIsOneLine(@TempDir Path dir) throws IOException {
        assertOneLineError(CommandRun.of(train(dir, "--label-smoothing", "1.5")),
                "labelSmoothing must be in [0, 1], got 1.5");
    }

    @Test
    void maxTokensIsKeptInTheModelForResuming(@TempDir Path dir) throws IOException {
        CommandRun r = CommandRun.of(train(dir, "--max-tokens", "12"));
        assertEquals(0, r.exitCode(), r.err());
        assertEquals("12", Seq2SeqModel.load(dir.resolve("model.zip"), false).property("train.maxTokens"));
        CommandRun without = CommandRun.of(train(dir));
        assertEquals(0, without.exitCode(), without.err());
        assertEquals(null, Seq2SeqModel.load(dir.resolve("model.zip"), false).property("train.maxTokens"));
    }

    @Test
    void aPairLongerThanMaxTokensIsOneLineNamingThePairAndTheBound(@TempDir Path dir) throws IOException {
        assertOneLineError(CommandRun.of(train(dir, "--max-tokens", "4")), "alone needs 5 padded steps",
                "maxTokens 4");
    }
    @Test
    void tieTargetEmbeddingsTrainsATiedModelThatTranslates(@TempDir Path dir) throws IOException {
        CommandRun r = CommandRun.of(train(dir, "--tie-target-embeddings"));
        assertEquals(0, r.exitCode(), r.err());
        Seq2SeqModel model = Seq2SeqModel.load(dir.resolve("model.zip"), false);
        assertTrue(model.tiedTargetEmbeddings());
        Path input = Files.write(dir.resolve("in.txt"), List.of(SOURCES[0]));
        CommandRun t = CommandRun.of("translate", "--model", dir.resolve("model.zip").toString(), "--input",
                input.toString(), "--beam", "2", "--max-length", "3");
        assertEquals(0, t.exitCode(), t.err());
        CommandRun untied = CommandRun.of(train(dir));
        assertEquals(0, untied.exitCode(), untied.err());
        assertTrue(!Seq2SeqModel.load(dir.resolve("model.zip"), false).tiedTargetEmbeddings(), "off by default");
    }

    @Test
    void tieTargetEmbeddingsWithAnOutputSizeOtherThanTheEmbeddingSizeIsOneLineNamingBoth(@TempDir Path dir)
            throws IOException {
        // the Luong presets have no maxout: their output is the decoder state, 5 units here, against embedding 4
        assertOneLineError(CommandRun.of(train(dir, "--tie-target-embeddings", "--preset", "luong-general")),
                "decoderSize", "embeddingSize = 4", "got 5");
    }
}
