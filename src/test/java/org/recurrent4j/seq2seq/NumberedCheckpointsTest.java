package org.recurrent4j.seq2seq;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link NumberedCheckpoints}: names, order by update count, the newest N, and keeping the newest N. */
class NumberedCheckpointsTest {

    private static Path write(Path dir, String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }

    @Test
    void namesAreZeroPaddedSoThatTheySortInUpdateOrder() {
        assertEquals("checkpoint-00000009.zip", NumberedCheckpoints.fileName(9));
        assertEquals("checkpoint-00001500.zip", NumberedCheckpoints.fileName(1500));
        assertEquals(-1, Integer.signum(NumberedCheckpoints.fileName(9).compareTo(NumberedCheckpoints.fileName(10))));
    }

    @Test
    void theNewestAreChosenByUpdateCountNotByFileTimeOrName(@TempDir Path dir) throws IOException {
        Path wide = write(dir, "checkpoint-123456789.zip", "wide");
        Path late = write(dir, NumberedCheckpoints.fileName(20), "20");
        Path early = write(dir, NumberedCheckpoints.fileName(3), "3");
        write(dir, "checkpoint.zip", "latest");
        write(dir, "best.zip", "best");
        write(dir, "checkpoint-x.zip", "foreign");
        Files.setLastModifiedTime(wide, FileTime.fromMillis(1_000));     // the oldest file is the newest checkpoint
        Files.setLastModifiedTime(late, FileTime.fromMillis(2_000));
        Files.setLastModifiedTime(early, FileTime.fromMillis(3_000));

        assertEquals(List.of(3L, 20L, 123456789L),
                NumberedCheckpoints.list(dir).stream().map(NumberedCheckpoints.Entry::update).toList());
        assertEquals(List.of(late, wide), NumberedCheckpoints.newest(dir, 2));
        assertEquals(List.of(), NumberedCheckpoints.list(dir.resolve("missing")));
    }

    @Test
    void fewerThanAskedIsRefusedNamingTheDirectoryAndTheCounts(@TempDir Path dir) throws IOException {
        write(dir, NumberedCheckpoints.fileName(5), "5");
        write(dir, NumberedCheckpoints.fileName(10), "10");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NumberedCheckpoints.newest(dir, 3));
        assertEquals("NumberedCheckpoints: expected at least 3 numbered checkpoints (checkpoint-<update>.zip) in "
                + dir.toAbsolutePath() + ", found 2", e.getMessage());
    }

    @Test
    void keepingCopiesTheCheckpointAndDeletesAllButTheNewest(@TempDir Path dir) throws IOException {
        write(dir, NumberedCheckpoints.fileName(2), "2");
        write(dir, NumberedCheckpoints.fileName(4), "4");
        write(dir, NumberedCheckpoints.fileName(6), "6");
        write(dir, NumberedCheckpoints.fileName(50), "a run that went further");
        Path checkpoint = write(dir, "checkpoint.zip", "8");

        Path written = NumberedCheckpoints.keep(checkpoint, 8, 2);

        assertEquals(dir.resolve(NumberedCheckpoints.fileName(8)), written);
        assertArrayEquals(Files.readAllBytes(checkpoint), Files.readAllBytes(written));
        assertEquals(List.of(6L, 8L), NumberedCheckpoints.list(dir).stream().map(NumberedCheckpoints.Entry::update)
                .toList());
        NumberedCheckpoints.keep(checkpoint, 8, 1);
        assertEquals(List.of(written), NumberedCheckpoints.newest(dir, 1));
    }
}
