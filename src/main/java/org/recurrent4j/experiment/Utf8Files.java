package org.recurrent4j.experiment;

import org.recurrent4j.data.io.TextFiles;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Writes text files atomically in UTF-8 (the result writers' one way to write). */
final class Utf8Files {
    private Utf8Files() {
    }

    static void write(Path file, String text) {
        TextFiles.writeAtomically(file, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }
}
