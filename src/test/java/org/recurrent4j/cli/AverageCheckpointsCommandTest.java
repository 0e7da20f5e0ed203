package org.recurrent4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.recurrent4j.seq2seq.CheckpointAverage;
import org.recurrent4j.seq2seq.NumberedCheckpoints;
import org.recurrent4j.seq2seq.Seq2SeqModel;
import org.recurrent4j.seq2seq.Seq2SeqTrainer;

/** The {@code average-checkpoints} command: the library's average written to --out, help, errors and exit codes. */
class AverageCheckpointsCommandTest {

    @Test
    void writesTheLibrarysAverageOfTheGivenModels(@TempDir Path dir) {
        Path a = dir.resolve("a.zip");
        Path b = dir.resolve("b.zip");
        Path c = dir.resolve("c.zip");
        TranslateCommandTest.model(3).save(a);
        TranslateCommandTest.model(4).save(b);
        TranslateCommandTest.model(5).save(c);
        Path out = dir.resolve("out/averaged.zip");
        CommandRun r = CommandRun.of("average-checkpoints", "--out", out.toString(), a.toString(), b.toString(),
                c.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.err().contains("averaged 3 models") && r.err().contains(out.toString()), r.err());
        Seq2SeqModel expected = CheckpointAverage.average(List.of(Seq2SeqModel.load(a, false),
                Seq2SeqModel.load(b, false), Seq2SeqModel.load(c, false)));
        assertEquals(expected.graph().params(), Seq2SeqModel.load(out, false).graph().params());
    }

    @Test
    void lastTwoAveragesTheTwoNewestNumberedCheckpoints(@TempDir Path dir) {
        TranslateCommandTest.model(3).save(dir.resolve(NumberedCheckpoints.fileName(100)));
        TranslateCommandTest.model(4).save(dir.resolve(NumberedCheckpoints.fileName(300)));
        TranslateCommandTest.model(5).save(dir.resolve(NumberedCheckpoints.fileName(200)));
        TranslateCommandTest.model(6).save(dir.resolve(Seq2SeqTrainer.CHECKPOINT));
        Path out = dir.resolve("averaged.zip");
        CommandRun r = CommandRun.of("average-checkpoints", "--out", out.toString(), "--last", "2",
                "--checkpoint-dir", dir.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.err().contains("averaged 2 models"), r.err());
        INDArray a = Seq2SeqModel.load(dir.resolve(NumberedCheckpoints.fileName(200)), false).graph().params();
        INDArray b = Seq2SeqModel.load(dir.resolve(NumberedCheckpoints.fileName(300)), false).graph().params();
        INDArray mean = a.castTo(DataType.DOUBLE).add(b.castTo(DataType.DOUBLE)).div(2).castTo(a.dataType());
        assertEquals(mean, Seq2SeqModel.load(out, false).graph().params());
    }

    @Test
    void lastIsRefusedWithFewerCheckpointsOrWithModelFiles(@TempDir Path dir) {
        TranslateCommandTest.model(3).save(dir.resolve(NumberedCheckpoints.fileName(100)));
        TranslateCommandTest.model(4).save(dir.resolve(NumberedCheckpoints.fileName(200)));
        Path out = dir.resolve("averaged.zip");
        CommandRun r = CommandRun.of("average-checkpoints", "--out", out.toString(), "--last", "3",
                "--checkpoint-dir", dir.toString());
        assertEquals(1, r.exitCode(), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().contains("expected at least 3") && r.err().contains("found 2")
                && r.err().contains(dir.toAbsolutePath().toString()), r.err());

        Path a = dir.resolve(NumberedCheckpoints.fileName(100));
        r = CommandRun.of("average-checkpoints", "--out", out.toString(), "--last", "2", "--checkpoint-dir",
                dir.toString(), a.toString(), a.toString());
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().startsWith("average-checkpoints: give either MODEL files or --last N --checkpoint-dir DIR, "
                + "not both"), r.err());
        assertFalse(Files.exists(out));
    }

    @Test
    void helpHasAnExampleAndBadArgumentsFailWithOneLine(@TempDir Path dir) {
        CommandRun help = CommandRun.of("average-checkpoints", "--help");
        assertEquals(0, help.exitCode());
        assertTrue(help.out().contains("--out") && help.out().contains("Examples")
                && help.out().contains("average-checkpoints --out averaged.zip")
                && help.out().contains("--last") && !help.out().contains("copies of checkpoint.zip"), help.out());

        Path a = dir.resolve("a.zip");
        TranslateCommandTest.model(3).save(a, false);
        Path out = dir.resolve("averaged.zip");
        CommandRun r = CommandRun.of("average-checkpoints", "--out", out.toString(), a.toString());
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().contains("MODEL"), r.err());

        Path missing = dir.resolve("missing.zip");
        r = CommandRun.of("average-checkpoints", "--out", out.toString(), a.toString(), missing.toString());
        assertEquals(1, r.exitCode(), r.err());
        assertTrue(r.err().startsWith("recurrent4j average-checkpoints: ") && r.err().contains("no model file")
                && r.err().contains(missing.toAbsolutePath().toString()), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
    }
}
