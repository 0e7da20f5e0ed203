package org.recurrent4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A command that fails while running reports one line on standard error (exit 1); the stack trace only with --verbose. */
class MainErrorReportTest {

    private static List<String> reportLines(CommandRun r) {
        return r.err().lines().filter(l -> l.startsWith("recurrent4j ")).toList();
    }

    private static boolean hasStackTrace(CommandRun r) {
        return r.err().lines().anyMatch(l -> l.startsWith("\tat "));
    }

    @Test
    void aMissingModelFileIsOneLineNamingTheCommandAndTheFile(@TempDir Path dir) {
        String missing = dir.resolve("missing.zip").toString();
        CommandRun r = CommandRun.of("translate", "--model", missing);
        assertEquals(1, r.exitCode(), r.err());
        assertEquals(1, reportLines(r).size(), r.err());
        String line = reportLines(r).get(0);
        assertTrue(line.startsWith("recurrent4j translate: ") && line.contains("no model file")
                && line.contains(missing), line);
        assertFalse(hasStackTrace(r), r.err());
    }

    @Test
    void verboseAddsTheStackTrace(@TempDir Path dir) {
        CommandRun r = CommandRun.of("translate", "--model", dir.resolve("missing.zip").toString(), "--verbose");
        assertEquals(1, r.exitCode(), r.err());
        assertEquals(1, reportLines(r).size(), r.err());
        assertTrue(hasStackTrace(r), r.err());
    }

    @Test
    void aUsageErrorKeepsPicocliExitCode2() {
        assertEquals(2, CommandRun.of("translate", "--no-such-option").exitCode());
    }

    @Test
    void causesAreJoinedOnOneLineEachOnce() {
        Exception e = new IllegalStateException("cannot read x.zip",
                new IllegalArgumentException("bad header\nat byte 4"));
        assertEquals("cannot read x.zip: bad header at byte 4", Main.messages(e));
        Exception wrapped = new RuntimeException(new IllegalArgumentException("bad header"));
        assertEquals("java.lang.IllegalArgumentException: bad header", Main.messages(wrapped));
        assertEquals("NullPointerException", Main.messages(new NullPointerException()));
    }
}
