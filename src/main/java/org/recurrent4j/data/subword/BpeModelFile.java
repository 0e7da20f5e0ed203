package org.recurrent4j.data.subword;

import org.recurrent4j.data.io.TextFiles;
import org.recurrent4j.data.io.Utf8LineReader;

import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link BpeModel} as SentencePiece's {@code .vocab} file (what {@code spm_train} writes beside the model): UTF-8,
 * one {@code piece<TAB>score} per line, first {@code <unk> <s> </s>} with score 0, then piece i with score -i
 * ({@code -0}, {@code -1}, ...; the scores are how C++ prints them, for models of fewer than a million pieces).
 * Files are written atomically; reading checks the meta pieces, the tabs and the scores and names file and line.
 */
public final class BpeModelFile {
    private static final String COMPONENT = "BpeModelFile";
    private static final List<String> META = List.of("<unk>", "<s>", "</s>");

    private BpeModelFile() {
    }

    /** Writes {@code model} to {@code file} atomically. */
    public static void write(Path file, BpeModel model) {
        TextFiles.writeAtomically(file, out -> {
            BufferedWriter w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
            for (String line : lines(model)) {
                w.write(line);
                w.write('\n');
            }
            w.flush();
        });
    }

    /** @return the lines of the file, without newlines */
    public static List<String> lines(BpeModel model) {
        List<String> lines = new ArrayList<>(model.size());
        META.forEach(m -> lines.add(m + "\t0"));
        for (int i = 0; i < model.pieces().size(); i++) {
            lines.add(model.pieces().get(i) + "\t-" + i);
        }
        return lines;
    }

    /**
     * Reads a model written by {@link #write} or by {@code spm_train --model_type=bpe}.
     *
     * @throws org.recurrent4j.data.DataFileException for a missing file, a line without a tab, a wrong meta piece
     *                                                or a score out of order
     */
    public static BpeModel read(Path file) {
        List<String> pieces = new ArrayList<>();
        try (Utf8LineReader reader = new Utf8LineReader(COMPONENT, file)) {
            String line;
            int index = 0;
            while ((line = reader.readLine()) != null) {
                int tab = line.lastIndexOf('\t');
                if (tab <= 0) {
                    throw reader.error("expected 'piece<TAB>score', got '" + line + "'");
                }
                String piece = line.substring(0, tab);
                String score = line.substring(tab + 1);
                if (index < META.size()) {
                    if (!piece.equals(META.get(index)) || !score.equals("0")) {
                        throw reader.error("expected meta piece '" + META.get(index) + "\t0', got '" + line + "'");
                    }
                } else {
                    String expected = "-" + (index - META.size());
                    if (!score.equals(expected)) {
                        throw reader.error("expected score " + expected + " for piece '" + piece + "', got " + score);
                    }
                    pieces.add(piece);
                }
                index++;
            }
            if (index < META.size()) {
                throw reader.error("the file ends before the meta pieces " + META + "; not a BPE model");
            }
        }
        return new BpeModel(pieces);
    }
}
