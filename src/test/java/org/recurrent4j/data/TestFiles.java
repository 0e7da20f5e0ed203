package org.recurrent4j.data;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/** Writes small test files. */
public final class TestFiles {

    private TestFiles() {
    }

    /** Writes {@code lines}, each followed by a newline, as UTF-8; gzipped if the name ends in .gz. */
    public static Path lines(Path file, String... lines) {
        return bytes(file, (String.join("\n", List.of(lines)) + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** Writes raw bytes; gzipped if the name ends in .gz. */
    public static Path bytes(Path file, byte[] content) {
        try (OutputStream out = file.toString().endsWith(".gz")
                ? new GZIPOutputStream(Files.newOutputStream(file)) : Files.newOutputStream(file)) {
            out.write(content);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
