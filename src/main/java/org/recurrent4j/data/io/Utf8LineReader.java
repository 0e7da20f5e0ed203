package org.recurrent4j.data.io;

import org.recurrent4j.data.DataFileException;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads a text file line by line as strict UTF-8 (plain or {@code .gz}) and knows the current line number,
 * so that every error names the file and the exact line. Lines end at {@code \n}; a {@code \r} before it is
 * dropped. Each line's bytes are decoded on their own, so invalid UTF-8 is reported on the line it occurs in.
 */
public final class Utf8LineReader implements Closeable {

    private final String component;
    private final Path file;
    private final InputStream in;
    private final CharsetDecoder decoder = TextFiles.strictUtf8();
    private byte[] buffer = new byte[256];
    private long lineNumber;

    /**
     * @param component the caller, for error messages
     * @param file      the file to read
     * @throws DataFileException if the file is missing or cannot be opened
     */
    public Utf8LineReader(String component, Path file) {
        this.component = component;
        this.file = file;
        this.in = new BufferedInputStream(TextFiles.openStream(component, file), 1 << 16);
    }

    /**
     * @return the next line without its terminator, or null at the end of the file
     * @throws DataFileException on invalid UTF-8 or an I/O error, naming the line
     */
    public String readLine() {
        int length = 0;
        int b;
        try {
            while ((b = in.read()) != -1 && b != '\n') {
                if (length == buffer.length) {
                    buffer = Arrays.copyOf(buffer, 2 * length);
                }
                buffer[length++] = (byte) b;
            }
        } catch (IOException e) {
            throw new DataFileException(component, file, lineNumber + 1, "read error: " + e, e);
        }
        if (b == -1 && length == 0) {
            return null;
        }
        lineNumber++;
        if (length > 0 && buffer[length - 1] == '\r') {
            length--;
        }
        try {
            return decoder.decode(ByteBuffer.wrap(buffer, 0, length)).toString();
        } catch (CharacterCodingException e) {
            throw new DataFileException(component, file, lineNumber, "invalid UTF-8 (" + e + ")", e);
        }
    }

    /** @return the 1-based number of the line last returned by {@link #readLine()} (0 before the first) */
    public long lineNumber() {
        return lineNumber;
    }

    /** @return the file being read */
    public Path file() {
        return file;
    }

    /** Builds an error about the line last read. */
    public DataFileException error(String problem) {
        return new DataFileException(component, file, lineNumber, problem);
    }

    @Override
    public void close() {
        try {
            in.close();
        } catch (IOException e) {
            throw new DataFileException(component, file, 0, "cannot close: " + e, e);
        }
    }
}
