package org.recurrent4j.data.bible;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recurrent4j.cli.Main;
import org.recurrent4j.data.DataFileException;
import org.recurrent4j.data.parallel.ParallelCorpus;
import org.recurrent4j.data.parallel.SentencePair;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The Bible corpus against the real Debian packages, which the build fetches into {@code target/debs}
 * ({@code src/test/sh/fetch-debs.sh}; another directory with {@code -Drecurrent4j.debs=DIR}). Fails if they
 * are missing.
 */
class BibleCorpusTest {

    private static final KjvVersification KJV = KjvVersification.kjv();
    private static final Path COMMITTED = Path.of("datasets/bible-en-es");
    private static Path kjvDeb;
    private static Path rvDeb;
    private static ZTextModule english;
    private static ZTextModule spanish;

    @BeforeAll
    static void loadPackages() {
        Path dir = Path.of(System.getProperty("recurrent4j.debs", "target/debs"));
        kjvDeb = dir.resolve(BibleCorpusPreparer.KJV.debFileName());
        rvDeb = dir.resolve(BibleCorpusPreparer.RV1909.debFileName());
        for (Path deb : List.of(kjvDeb, rvDeb)) {
            if (!Files.isRegularFile(deb)) {
                fail("BibleCorpusTest: " + deb.toAbsolutePath() + " is missing; the build fetches it with "
                        + "src/test/sh/fetch-debs.sh (apt-get download), or pass -Drecurrent4j.debs=DIR");
            }
        }
        english = BibleCorpusPreparer.loadModule(kjvDeb, BibleCorpusPreparer.KJV);
        spanish = BibleCorpusPreparer.loadModule(rvDeb, BibleCorpusPreparer.RV1909);
    }

    @Test
    void versificationMatchesTheModulesOwnChapterMarkers() {
        // every chapter-header slot (the slot before verse 1) carries that chapter's OSIS id, in both modules
        int chapters = 0;
        for (VerseRef v : KJV.verses()) {
            if (v.verse() != 1) {
                continue;
            }
            chapters++;
            String marker = "osisID=\"" + v.book() + "." + v.chapter() + "\"";
            for (ZTextModule m : List.of(english, spanish)) {
                String header = m.slotText(KJV.testament(v), KJV.slot(v) - 1);
                assertTrue(header.contains("<chapter") && header.contains(marker),
                        m.name() + " " + v + ": chapter header slot is '" + header + "'");
            }
        }
        assertEquals(1189, chapters);
    }

    @Test
    void alignedVerseCountsAndKnownVerses() {
        AlignedBible bible = AlignedBible.align(english, spanish, KJV);
        assertEquals(31102 - 18, bible.verses().size());
        assertEquals(0, bible.emptySource());
        assertEquals(18, bible.emptyTarget());
        assertEquals(0, bible.emptyBoth());
        AlignedBible.AlignedVerse john316 = bible.verses().stream()
                .filter(v -> v.ref().toString().equals("John.3.16")).findFirst().orElseThrow();
        assertEquals("For God so loved the world, that he gave his only begotten Son, that whosoever believeth in him "
                + "should not perish, but have everlasting life.", john316.source());
        assertEquals("Porque de tal manera amó Dios al mundo, que ha dado á su Hijo unigénito, para que todo aquel que "
                + "en él cree, no se pierda, mas tenga vida eterna.", john316.target());
        AlignedBible.AlignedVerse gen11 = bible.verses().get(0);
        assertEquals("Gen.1.1", gen11.ref().toString());
        assertEquals("In the beginning God created the heaven and the earth.", gen11.source());
        assertEquals("EN el principio crió Dios los cielos y la tierra.", gen11.target());
        AlignedBible.AlignedVerse last = bible.verses().get(bible.verses().size() - 1);
        assertEquals("Rev.22.21", last.ref().toString());
        assertTrue(last.source().startsWith("The grace of our Lord Jesus Christ"), last.source());
    }

    @Test
    void prepareBibleCommandRebuildsTheCommittedCorpusByteForByte(@TempDir Path out) throws Exception {
        assertEquals(0, Main.run("prepare-bible", "--out", out.toString(), "--kjv-deb", kjvDeb.toString(),
                "--rv1909-deb", rvDeb.toString()));
        List<String> committed;
        try (Stream<Path> files = Files.list(COMMITTED)) {
            committed = files.map(p -> p.getFileName().toString()).sorted().toList();
        }
        List<String> rebuilt;
        try (Stream<Path> files = Files.list(out)) {
            rebuilt = files.map(p -> p.getFileName().toString()).sorted().toList();
        }
        assertEquals(committed, rebuilt);
        for (String name : committed) {
            assertArrayEquals(Files.readAllBytes(COMMITTED.resolve(name)), Files.readAllBytes(out.resolve(name)),
                    name + " differs from the committed file");
        }
        // the committed files read back through the project's own reader, line-aligned
        List<SentencePair> test = ParallelCorpus.readLineAligned(COMMITTED.resolve("test.en.gz"),
                COMMITTED.resolve("test.es.gz"));
        assertEquals(1022, test.size());
        assertEquals(968, ParallelCorpus.readLineAligned(COMMITTED.resolve("dev.en.gz"),
                COMMITTED.resolve("dev.ref.gz")).size());
        List<SentencePair> train = ParallelCorpus.readLineAligned(COMMITTED.resolve("train.ref.gz"),
                COMMITTED.resolve("train.en.gz"));
        assertEquals(29094, train.size());
        // the split rule: no test or dev chapter in train
        for (SentencePair p : train) {
            assertEquals(BibleSplit.TRAIN, BibleSplit.of(KJV.find(p.source())), p.source());
        }
    }

    @Test
    void aPackageWithAnotherChecksumIsRejected(@TempDir Path dir) throws Exception {
        Path fake = Files.write(dir.resolve(BibleCorpusPreparer.KJV.debFileName()), new byte[]{1, 2, 3});
        DataFileException e = assertThrows(DataFileException.class,
                () -> BibleCorpusPreparer.loadModule(fake, BibleCorpusPreparer.KJV));
        assertTrue(e.getMessage().contains("differs from the pinned " + BibleCorpusPreparer.KJV.sha256()), e.getMessage());
    }
}
