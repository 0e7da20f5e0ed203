package org.recurrent4j.experiment;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recurrent4j.data.parallel.SentencePair;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CorpusSplitsTest {

    static void gzip(Path file, String text) throws IOException {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void readsWmtNewsSplitsByTheirFileNames(@TempDir Path dir) throws IOException {
        gzip(dir.resolve("enfr.test.en.gz"), "Gutach: Increased safety for pedestrians\nThey are not even 100 metres apart.\n");
        gzip(dir.resolve("enfr.test.fr.gz"), "Gutach : Davantage de sécurité pour les piétons\nIls ne sont même pas distants de 100 mètres.\n");
        List<SentencePair> test = CorpusSplits.wmtEnFr(dir).read(CorpusSplits.TEST);
        assertEquals(List.of(new SentencePair("Gutach: Increased safety for pedestrians",
                        "Gutach : Davantage de sécurité pour les piétons"),
                new SentencePair("They are not even 100 metres apart.", "Ils ne sont même pas distants de 100 mètres.")),
                test);
        assertEquals(dir.resolve("enfr.train.fr.gz"), CorpusSplits.wmtEnFr(dir).file(CorpusSplits.TRAIN, "fr"));
    }

    @Test
    void readsTheSharedNewstest2014() {
        Path shared = Path.of("../shared/datasets/wmt-newstest/news-splits");
        List<SentencePair> test = CorpusSplits.wmtEnFr(shared).read(CorpusSplits.TEST);
        assertEquals(3003, test.size(), "newstest2014 en-fr has 3,003 lines");
    }

    @Test
    void bibleFilesAreNamedBySplitAndLanguage() {
        CorpusSplits bible = CorpusSplits.bibleEnEs(Path.of("datasets/bible-en-es"));
        assertEquals(Path.of("datasets/bible-en-es/dev.es.gz"), bible.file(CorpusSplits.DEV, "es"));
        assertEquals(1022, bible.read(CorpusSplits.TEST).size());
    }

    @Test
    void aMissingFileIsNamed(@TempDir Path dir) throws IOException {
        gzip(dir.resolve("enfr.dev.en.gz"), "a\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CorpusSplits.wmtEnFr(dir).read(CorpusSplits.DEV));
        assertTrue(e.getMessage().contains("enfr.dev.fr.gz") && e.getMessage().contains("wmt-en-fr"), e.getMessage());
    }
}
