package org.recurrent4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A command that fails while running reports one line on standard error (exit 1); the stack trace only with --verbose. */
class MainErrorReportTest {

    private record Run(int exitCode, String err) {
        List<String> reportLines() {
            return err.lines().filter(l -> l.startsWith("recurrent4j ")).toList();
        }

        boolean hasStackTrace() {
            return err.lines().anyMatch(l -> l.startsWith("\tat "));
        }
    }

    private static Run run(String... args) {
        PrintStream old = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            return new Run(Main.run(args), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(old);
        }
    }

    @Test
    void aMissingModelFileIsOneLineNamingTheCommandAndTheFile(@TempDir Path dir) {
        String missing = dir.resolve("missing.zip").toString();
        Run r = run("translate", "--model", missing);
        assertEquals(1, r.exitCode(), r.err());
        assertEquals(1, r.reportLines().size(), r.err());
        String line = r.reportLines().get(0);
        assertTrue(line.startsWith("recurrent4j translate: ") && line.contains("no model file")
                && line.contains(missing), line);
        assertFalse(r.hasStackTrace(), r.err());
    }

    @Test
    void verboseAddsTheStackTrace(@TempDir Path dir) {
        Run r = run("translate", "--model", dir.resolve("missing.zip").toString(), "--verbose");
        assertEquals(1, r.exitCode(), r.err());
        assertEquals(1, r.reportLines().size(), r.err());
        assertTrue(r.hasStackTrace(), r.err());
    }

    @Test
    void aUsageErrorKeepsPicocliExitCode2() {
        assertEquals(2, run("translate", "--no-such-option").exitCode());
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
