package org.recurrent4j.data.io;

import org.recurrent4j.data.DataFileException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;
import java.util.zip.GZIPInputStream;

/**
 * Strict text I/O shared by the data components: UTF-8 only (malformed bytes are an error, never replaced),
 * transparent gzip for names ending in {@code .gz}, and atomic writes.
 */
public final class TextFiles {

    private TextFiles() {
    }

    /** A decoder that reports malformed or unmappable UTF-8 instead of replacing it. */
    public static CharsetDecoder strictUtf8() {
        return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
    }

    /**
     * Opens {@code file} for reading as strict UTF-8, gunzipping it if its name ends in {@code .gz}.
     *
     * @param component the caller, for the error message
     * @throws DataFileException if the file is missing or cannot be opened
     */
    public static BufferedReader openReader(String component, Path file) {
        return new BufferedReader(new InputStreamReader(openStream(component, file), strictUtf8()), 1 << 16);
    }

    /**
     * Opens {@code file} as bytes, gunzipping it if its name ends in {@code .gz}.
     *
     * @param component the caller, for the error message
     * @throws DataFileException if the file is missing or cannot be opened
     */
    public static InputStream openStream(String component, Path file) {
        InputStream in = null;
        try {
            in = Files.newInputStream(file);
            if (file.getFileName().toString().endsWith(".gz")) {
                in = new GZIPInputStream(in, 1 << 16);
            }
            return in;
        } catch (NoSuchFileException e) {
            throw new DataFileException(component, file, 0, "file does not exist", e);
        } catch (IOException e) {
            closeQuietly(in);
            throw new DataFileException(component, file, 0, "cannot open: " + e, e);
        }
    }

    /** Body of an atomic write: receives the stream of the temporary file. */
    @FunctionalInterface
    public interface StreamWriter {
        void write(OutputStream out) throws IOException;
    }

    /**
     * Writes a file atomically: the content goes to a temporary file in the same directory, which then
     * replaces {@code target} with {@link StandardCopyOption#ATOMIC_MOVE}.
     */
    public static void writeAtomically(Path target, StreamWriter body) {
        Path dir = target.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            // not Files.createTempFile, which makes the file private (0600): keep the umask's permissions
            tmp = dir.resolve("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
            try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                body.write(out);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the original error is the one to report
                }
            }
            throw new UncheckedIOException("cannot write " + target, e);
        }
    }

    private static void closeQuietly(InputStream in) {
        if (in != null) {
            try {
                in.close();
            } catch (IOException ignored) {
                // already failing
            }
        }
    }
}
