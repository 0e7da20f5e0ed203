package org.recurrent4j.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recurrent4j.experiment.BleuVsLengthExperiment;
import org.recurrent4j.experiment.BleuVsLengthPlot;
import org.recurrent4j.experiment.CurvesCsv;
import org.recurrent4j.experiment.ResultsTable;
import org.recurrent4j.experiment.SummaryCsv;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@code bleu-vs-length} command end to end on the project's Bible corpus, at toy sizes (a few updates, 40 test
 * verses): its files, its table on standard output, the claim check's exit status and report, and bad options.
 */
class BleuVsLengthCommandTest {

    private static CommandRun run(String... args) {
        return CommandRun.of(args);
    }

    @Test
    void writesEveryResultFileAndJudgesTheClaims(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("results");
        // a margin no toy model can reach: the check must fail, say why, and still leave every file behind
        CommandRun r = run("bleu-vs-length", "--quick", "--no-progress", "--out", out.toString(), "--updates", "3",
                "--embedding", "8", "--hidden", "8", "--maxout", "4", "--attention-size", "8", "--vocabulary", "200",
                "--beam", "2", "--test-limit", "40", "--min-bucket", "2", "--margin", "1000", "--check-paper-claims");
        assertEquals(1, r.exitCode(), r.err());
        assertTrue(r.err().contains("the paper's claims do not hold") && r.err().contains("required ≥ 1000.00: FAILS"),
                r.err());
        for (String f : List.of(CurvesCsv.FILE, SummaryCsv.FILE, ResultsTable.FILE, BleuVsLengthPlot.BASE + ".png",
                BleuVsLengthPlot.BASE + ".svg")) {
            assertTrue(Files.size(out.resolve(f)) > 0, f);
        }
        for (String model : List.of("RNNenc-30", "RNNsearch-30", "RNNenc-50", "RNNsearch-50")) {
            assertTrue(Files.size(out.resolve(BleuVsLengthExperiment.MODELS).resolve(model + ".zip")) > 0, model);
            assertEquals(40, Files.readAllLines(out.resolve(BleuVsLengthExperiment.TRANSLATIONS)
                    .resolve(model + ".txt")).size(), model);
        }
        String table = Files.readString(out.resolve(ResultsTable.FILE), StandardCharsets.UTF_8);
        assertTrue(r.out().contains(table.lines().findFirst().orElseThrow()), "the table is printed: " + r.out());
        assertTrue(table.contains("budget: 3 updates per model"), table);
    }

    @Test
    void claimOneAloneIsStillJudged(@TempDir Path dir) {
        CommandRun r = run("bleu-vs-length", "--quick", "--no-progress", "--out", dir.toString(), "--updates", "2",
                "--embedding", "8", "--hidden", "8", "--maxout", "4", "--attention-size", "8", "--vocabulary", "200",
                "--beam", "1", "--test-limit", "20", "--min-bucket", "2", "--margin", "1000", "--check-paper-claims",
                "--claims-checked", "LONG_SENTENCES", "--length-filters", "50");
        assertEquals(1, r.exitCode(), r.err());
        assertTrue(r.err().contains("claim 1 (judged alone: --claims-checked LONG_SENTENCES; claim 2 reported) does not hold")
                && r.err().contains("required ≥ 1000.00: FAILS"), r.err());
        CommandRun ok = run("bleu-vs-length", "--quick", "--no-progress", "--out", dir.resolve("ok").toString(),
                "--updates", "2", "--embedding", "8", "--hidden", "8", "--maxout", "4", "--attention-size", "8",
                "--vocabulary", "200", "--beam", "1", "--test-limit", "20", "--min-bucket", "2", "--margin", "-0",
                "--check-paper-claims", "--claims-checked", "LONG_SENTENCES", "--length-filters", "50");
        assertTrue((ok.out() + ok.err()).contains("claim 2 (falls faster with length)"), "claim 2 is reported: "
                + ok.out() + ok.err());
    }

    @Test
    void anUnknownCorpusIsNamed(@TempDir Path dir) {
        CommandRun r = run("bleu-vs-length", "--corpus", "europarl", "--out", dir.toString());
        assertNotEquals(0, r.exitCode());
        assertTrue(r.err().contains("--corpus must be bible-en-es or wmt-en-fr, got europarl"), r.err());
    }

    @Test
    void aLearningRateDecayOutsideZeroToOneIsRefusedInOneLine(@TempDir Path dir) {
        CommandRun r = run("bleu-vs-length", "--quick", "--lr-decay", "1.5", "--out", dir.toString());
        assertNotEquals(0, r.exitCode());
        assertTrue(r.err().contains("learningRateDecay must be in (0, 1], got 1.5"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
    }
}
