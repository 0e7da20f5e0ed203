package org.recurrent4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recurrent4j.seq2seq.Seq2SeqModel;

/**
 * {@code train --subwords N} keeps both BPE models in the model file, {@code translate} cuts its input with them and
 * writes words; too small an N and a model file that lost a BPE model are one-line errors.
 */
class SubwordsCommandTest {
    /** Sources have the characters ▁ a b c d, targets ▁ x y z w; 3 meta pieces + 5 + 2 merges. */
    private static final String SIZE = "10";

    @Test
    void theModelKeepsItsBpeModelsAndTranslatesIntoWords(@TempDir Path dir) throws IOException {
        CommandRun r = CommandRun.of(TrainCommandTest.train(dir, "--subwords", SIZE));
        assertEquals(0, r.exitCode(), r.err());
        Seq2SeqModel model = Seq2SeqModel.load(dir.resolve("model.zip"), false);
        assertNotNull(model.subwords());
        assertEquals(model.subwords().source().vocabulary(), model.sourceVocabulary());
        assertEquals(model.subwords().target().vocabulary(), model.targetVocabulary());
        assertEquals(7, model.subwords().source().pieces().size());

        Path input = Files.write(dir.resolve("in.txt"), List.of("a b c", "d a"));
        Path output = dir.resolve("out.txt");
        r = CommandRun.of("translate", "--model", dir.resolve("model.zip").toString(), "--input", input.toString(),
                "--output", output.toString(), "--beam", "2", "--max-length", "6");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.err().contains("0 with words unknown to the source vocabulary"), r.err());
        for (String line : Files.readAllLines(output)) {
            for (String word : line.split(" ")) {
                assertTrue(word.isEmpty() || Set.of("x", "y", "z", "w").contains(word) || word.matches("[xyzw<unk>]+"),
                        "a joined word, no ▁: '" + word + "' in '" + line + "'");
            }
        }
    }

    @Test
    void aSizeBelowTheAlphabetIsOneLine(@TempDir Path dir) throws IOException {
        CommandRun r = CommandRun.of(TrainCommandTest.train(dir, "--subwords", "7"));
        assertEquals(1, r.exitCode(), r.err());
        List<String> report = r.err().lines().filter(l -> l.startsWith("recurrent4j ")).toList();
        assertEquals(1, report.size(), r.err());
        assertTrue(report.get(0).contains("subword vocabulary size 7 is smaller than the 3 meta pieces plus the 5 "
                + "characters"), report.get(0));
    }

    @Test
    void aModelFileWithoutItsBpeModelIsRefusedByName(@TempDir Path dir) throws IOException {
        assertEquals(0, CommandRun.of(TrainCommandTest.train(dir, "--subwords", SIZE)).exitCode());
        Path zip = dir.resolve("model.zip");
        try (FileSystem fs = FileSystems.newFileSystem(URI.create("jar:" + zip.toUri()), Map.of())) {
            Files.delete(fs.getPath("recurrent4j-target-subwords.vocab"));
        }
        Path input = Files.write(dir.resolve("in.txt"), List.of("a b"));
        CommandRun r = CommandRun.of("translate", "--model", zip.toString(), "--input", input.toString());
        assertEquals(1, r.exitCode(), r.err());
        List<String> report = r.err().lines().filter(l -> l.startsWith("recurrent4j ")).toList();
        assertEquals(1, report.size(), r.err());
        assertTrue(report.get(0).contains("model.zip says it reads subwords (property subwords=bpe) but has no entry "
                + "recurrent4j-target-subwords.vocab"), report.get(0));
    }
}
