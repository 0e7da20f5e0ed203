package org.recurrent4j.data.parallel;

import org.datavec.api.writable.Text;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recurrent4j.data.DataFileException;
import org.recurrent4j.data.TestFiles;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ParallelTextRecordReaderTest {

    @TempDir
    Path dir;

    @Test
    void lineAlignedPlainAndGzipThroughDataVecInitialize() {
        Path src = TestFiles.lines(dir.resolve("train.en"), "a house", "the cat sat");
        Path tgt = TestFiles.lines(dir.resolve("train.es.gz"), "una casa", "el gato se sentó");
        ParallelTextRecordReader r = new ParallelTextRecordReader();
        r.initialize(ParallelTextRecordReader.split(src, tgt));
        assertEquals(List.of(new Text("a house"), new Text("una casa")), r.next());
        assertEquals(List.of(new Text("the cat sat"), new Text("el gato se sentó")), r.next());
        assertTrue(!r.hasNext());
        r.reset();
        assertEquals(List.of(new SentencePair("a house", "una casa"), new SentencePair("the cat sat", "el gato se sentó")),
                ParallelCorpus.read(r));
    }

    @Test
    void tsv() {
        Path f = TestFiles.lines(dir.resolve("pairs.tsv"), "a b\tc d", "e\tf");
        assertEquals(List.of(new SentencePair("a b", "c d"), new SentencePair("e", "f")), ParallelCorpus.readTsv(f));
        Path bad = TestFiles.lines(dir.resolve("bad.tsv"), "a\tb", "a\tb\tc");
        DataFileException e = assertThrows(DataFileException.class, () -> ParallelCorpus.readTsv(bad));
        assertEquals(2, e.line());
        assertTrue(e.getMessage().contains("exactly one tab"), e.getMessage());
        Path noTab = TestFiles.lines(dir.resolve("notab.tsv"), "a b");
        assertEquals(1, assertThrows(DataFileException.class, () -> ParallelCorpus.readTsv(noTab)).line());
    }

    @Test
    void raggedFilesFailOnEitherSide() {
        Path two = TestFiles.lines(dir.resolve("two.txt"), "a", "b");
        Path three = TestFiles.lines(dir.resolve("three.txt"), "a", "b", "c");
        DataFileException e = assertThrows(DataFileException.class, () -> ParallelCorpus.readLineAligned(two, three));
        assertEquals(three, e.file());
        assertEquals(3, e.line());
        assertTrue(e.getMessage().contains("ragged") && e.getMessage().contains("two.txt ends after 2 lines"),
                e.getMessage());
        e = assertThrows(DataFileException.class, () -> ParallelCorpus.readLineAligned(three, two));
        assertEquals(three, e.file());
    }

    @Test
    void emptySentenceIsRejectedNamingFileAndLine() {
        Path src = TestFiles.lines(dir.resolve("s.txt"), "a", "b", "c");
        Path tgt = TestFiles.lines(dir.resolve("t.txt"), "x", "  ", "z");
        DataFileException e = assertThrows(DataFileException.class, () -> ParallelCorpus.readLineAligned(src, tgt));
        assertEquals(tgt, e.file());
        assertEquals(2, e.line());
        assertTrue(e.getMessage().contains("empty target sentence"), e.getMessage());
    }

    @Test
    void invalidUtf8AndMissingFile() throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write("ok\n".getBytes(StandardCharsets.UTF_8));
        b.write(new byte[]{'x', (byte) 0xFF, '\n'});
        Path src = TestFiles.bytes(dir.resolve("s.txt"), b.toByteArray());
        Path tgt = TestFiles.lines(dir.resolve("t.txt"), "a", "b");
        DataFileException e = assertThrows(DataFileException.class, () -> ParallelCorpus.readLineAligned(src, tgt));
        assertEquals(src, e.file());
        assertEquals(2, e.line());
        Path missing = dir.resolve("missing.txt");
        e = assertThrows(DataFileException.class, () -> ParallelCorpus.readLineAligned(src, missing));
        assertEquals(missing, e.file());
    }
}
