package org.recurrent4j.data.vocab;

import org.recurrent4j.data.DataFileException;
import org.recurrent4j.data.io.TextFiles;
import org.recurrent4j.data.io.Utf8LineReader;

import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The plain-text file format of a vocabulary: UTF-8, one token per line, the line number minus one is the
 * token's id. So that any token (a space or a newline character in a character vocabulary) fits on a line,
 * five characters are escaped: backslash as {@code \\}, newline {@code \n}, carriage return {@code \r},
 * tab {@code \t}, space {@code \s}. Empty lines, unknown escapes and duplicate tokens are errors naming the
 * file and line. Files are written atomically.
 */
final class VocabularyFile {

    private static final String COMPONENT = "VocabularyFile";

    private VocabularyFile() {
    }

    /** Writes {@code tokens} (id order) to {@code file} atomically. */
    public static void write(Path file, List<String> tokens) {
        TextFiles.writeAtomically(file, out -> {
            BufferedWriter w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
            for (String token : tokens) {
                w.write(escape(token));
                w.write('\n');
            }
            w.flush();
        });
    }

    /**
     * Reads the tokens of {@code file} in id order.
     *
     * @throws DataFileException for a missing file, invalid UTF-8, an empty line, a bad escape or a duplicate
     */
    public static List<String> read(Path file) {
        List<String> tokens = new ArrayList<>();
        Map<String, Long> firstLine = new HashMap<>();
        try (Utf8LineReader reader = new Utf8LineReader(COMPONENT, file)) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isEmpty()) {
                    throw reader.error("empty line; expected one (escaped) token per line");
                }
                String token = unescape(line, reader);
                Long previous = firstLine.putIfAbsent(token, reader.lineNumber());
                if (previous != null) {
                    throw reader.error("duplicate token '" + line + "', already on line " + previous);
                }
                tokens.add(token);
            }
        }
        return tokens;
    }

    static String escape(String token) {
        StringBuilder sb = new StringBuilder(token.length() + 2);
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case ' ' -> sb.append("\\s");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    private static String unescape(String line, Utf8LineReader reader) {
        StringBuilder sb = new StringBuilder(line.length());
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            if (i + 1 == line.length()) {
                throw reader.error("line ends with a lone backslash; expected one of \\\\ \\n \\r \\t \\s");
            }
            char e = line.charAt(++i);
            switch (e) {
                case '\\' -> sb.append('\\');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 's' -> sb.append(' ');
                default -> throw reader.error("unknown escape \\" + e + "; expected one of \\\\ \\n \\r \\t \\s");
            }
        }
        return sb.toString();
    }
}
