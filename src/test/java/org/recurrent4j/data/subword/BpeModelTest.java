package org.recurrent4j.data.subword;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recurrent4j.data.DataFileException;
import org.recurrent4j.data.parallel.ParallelCorpus;
import org.recurrent4j.data.parallel.SentencePair;
import org.recurrent4j.data.tokenize.LowercasingTokenizer;
import org.recurrent4j.data.tokenize.Tokenizer;
import org.recurrent4j.data.tokenize.Tokenizer13a;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Segmentation round trip on the Bible, the file format, and bad files. */
class BpeModelTest {
    private static final Path BIBLE = Path.of("datasets/bible-en-es");

    /** The Bible's dev verses, 13a-tokenized and lowercased, cut by a model of the dev English and joined again. */
    @Test
    void joiningTheSegmentsRestoresTheWords() {
        Tokenizer words = new LowercasingTokenizer(new Tokenizer13a());
        List<SentencePair> dev = ParallelCorpus.readLineAligned(BIBLE.resolve("dev.en.gz"), BIBLE.resolve("dev.es.gz"));
        List<List<String>> english = dev.stream().map(p -> words.tokenize(p.source())).toList();
        BpeModel model = new BpeTrainer(500).train(english.stream().map(t -> String.join(" ", t)).toList());
        SubwordTokenizer pieces = new SubwordTokenizer(words, model);
        int cut = 0;
        for (SentencePair p : dev) {
            for (String text : List.of(p.source(), p.target())) {          // Spanish: unseen letters stay pieces
                List<String> segmented = pieces.tokenize(text);
                assertEquals(words.tokenize(text), BpeModel.join(segmented), text);
                cut += segmented.size() - words.tokenize(text).size();
            }
        }
        assertTrue(cut > 0, "a model of 500 pieces must cut some words");
    }

    @Test
    void fileRoundTripKeepsThePiecesInOrder(@TempDir Path dir) {
        BpeModel model = new BpeTrainer(10).train(List.of("ab ab ab", "abc"));
        Path file = dir.resolve("m.vocab");
        BpeModelFile.write(file, model);
        assertEquals(model, BpeModelFile.read(file));
    }

    @Test
    void aScoreOutOfOrderNamesFileAndLine(@TempDir Path dir) throws IOException {
        Path file = Files.write(dir.resolve("bad.vocab"), List.of("<unk>\t0", "<s>\t0", "</s>\t0", "ab\t-0", "a\t-2"));
        DataFileException e = assertThrows(DataFileException.class, () -> BpeModelFile.read(file));
        assertTrue(e.getMessage().contains("bad.vocab") && e.getMessage().contains("5")
                && e.getMessage().contains("expected score -1 for piece 'a', got -2"), e.getMessage());
    }
}
