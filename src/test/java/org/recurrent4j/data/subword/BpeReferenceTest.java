package org.recurrent4j.data.subword;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Equality with the reference: SentencePiece 0.1.97's {@code spm_train --model_type=bpe} and {@code spm_encode}
 * (Debian's {@code sentencepiece}), run by {@code src/test/sh/generate-subword-fixtures.sh} with the settings
 * {@link BpeTrainer} documents, on the whole Bible training split of each language (encoding the test split) and on
 * 1,500 lines of newstest2014 (French) at two sizes. The vocabulary must match piece for piece in order, and every
 * line must be cut into the same pieces.
 */
class BpeReferenceTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "news-fr-200, newstest2014-fr-1500.txt.gz, newstest2014-fr-1500.txt.gz, 200",
            "news-fr-2000, newstest2014-fr-1500.txt.gz, newstest2014-fr-1500.txt.gz, 2000",
            "bible-en-8000, datasets/bible-en-es/train.en.gz, datasets/bible-en-es/test.en.gz, 8000",
            "bible-es-8000, datasets/bible-en-es/train.es.gz, datasets/bible-en-es/test.es.gz, 8000"})
    void vocabularyAndSegmentationEqualSentencePiece(String name, String train, String encode, int size) {
        BpeModel model = new BpeTrainer(size).train(read(train));

        assertEquals(read(name + ".vocab.gz"), BpeModelFile.lines(model), name + ": pieces and their order");
        List<String> lines = read(encode);
        List<String> expected = read(name + ".pieces.gz");
        assertEquals(lines.size(), expected.size(), name + ": encoded lines");
        for (int i = 0; i < lines.size(); i++) {
            assertEquals(expected.get(i), String.join(" ", model.segment(Arrays.asList(lines.get(i).split(" ")))),
                    name + ": line " + (i + 1) + " '" + lines.get(i) + "'");
        }
    }

    /** A fixture of this package (a bare name) or a project file (a path with a slash), gzip-compressed. */
    private static List<String> read(String name) {
        try (InputStream raw = name.contains("/") ? Files.newInputStream(Path.of(name))
                : BpeReferenceTest.class.getResourceAsStream(name);
             BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(raw),
                     StandardCharsets.UTF_8))) {
            List<String> lines = new ArrayList<>();
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                lines.add(line);
            }
            return lines;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + name, e);
        }
    }
}
