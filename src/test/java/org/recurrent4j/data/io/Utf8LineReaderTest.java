package org.recurrent4j.data.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recurrent4j.data.DataFileException;
import org.recurrent4j.data.TestFiles;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Utf8LineReaderTest {

    @TempDir
    Path dir;

    private static List<String> readAll(Path file) {
        List<String> out = new ArrayList<>();
        try (Utf8LineReader r = new Utf8LineReader("test", file)) {
            String line;
            while ((line = r.readLine()) != null) {
                out.add(line);
            }
        }
        return out;
    }

    @Test
    void readsPlainGzipAndCrlfLines() {
        assertEquals(List.of("añ", "", "€ x"), readAll(TestFiles.lines(dir.resolve("a.txt"), "añ", "", "€ x")));
        assertEquals(List.of("añ", "b"), readAll(TestFiles.lines(dir.resolve("a.txt.gz"), "añ", "b")));
        assertEquals(List.of("a", "b", "c"), readAll(TestFiles.bytes(dir.resolve("crlf.txt"),
                "a\r\nb\r\nc".getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void invalidUtf8NamesFileAndLine() throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write("good\nalso good\nbad ".getBytes(StandardCharsets.UTF_8));
        b.write(new byte[]{(byte) 0xC3, (byte) 0x28}); // invalid 2-byte sequence
        b.write("\nnext\n".getBytes(StandardCharsets.UTF_8));
        Path file = TestFiles.bytes(dir.resolve("bad.txt"), b.toByteArray());
        DataFileException e = assertThrows(DataFileException.class, () -> readAll(file));
        assertEquals(3, e.line());
        assertEquals(file, e.file());
        assertTrue(e.getMessage().contains("bad.txt, line 3: invalid UTF-8"), e.getMessage());
    }

    @Test
    void missingFileIsNamed() {
        Path file = dir.resolve("nope.txt");
        DataFileException e = assertThrows(DataFileException.class, () -> readAll(file));
        assertTrue(e.getMessage().contains("nope.txt") && e.getMessage().contains("does not exist"), e.getMessage());
    }

    @Test
    void atomicWriteReplacesAndLeavesNoTemporaryFile() throws Exception {
        Path target = dir.resolve("out.txt");
        TextFiles.writeAtomically(target, out -> out.write("one".getBytes(StandardCharsets.UTF_8)));
        TextFiles.writeAtomically(target, out -> out.write("two".getBytes(StandardCharsets.UTF_8)));
        assertEquals("two", Files.readString(target));
        try (var files = Files.list(dir)) {
            assertEquals(List.of(target), files.toList());
        }
    }
}
