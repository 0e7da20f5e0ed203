package org.recurrent4j.data;

import java.nio.file.Path;

/**
 * A data file that cannot be used as it is: missing, unreadable, not UTF-8, ragged, malformed. The message
 * names the component that rejected it, the file and (where known) the 1-based line, and what was expected.
 */
public class DataFileException extends RuntimeException {

    private final transient Path file;
    private final long line;

    /**
     * @param component the class or step that rejected the file
     * @param file      the offending file
     * @param line      1-based line number, or 0 if the problem is not tied to a line
     * @param problem   what was expected and what was found
     * @param cause     the underlying exception, or null
     */
    public DataFileException(String component, Path file, long line, String problem, Throwable cause) {
        super(component + ": " + file + (line > 0 ? ", line " + line : "") + ": " + problem, cause);
        this.file = file;
        this.line = line;
    }

    public DataFileException(String component, Path file, long line, String problem) {
        this(component, file, line, problem, null);
    }

    /** @return the offending file */
    public Path file() {
        return file;
    }

    /** @return the 1-based line number, or 0 if the problem concerns the whole file */
    public long line() {
        return line;
    }
}
