package org.recurrent4j.seq2seq;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.recurrent4j.data.io.TextFiles;

/**
 * The numbered checkpoints of a checkpoint directory: copies of {@code checkpoint.zip} named
 * {@code checkpoint-<update>.zip}, the update count zero-padded to {@value #DIGITS} digits
 * ({@code checkpoint-00001500.zip}) so that a plain name sort is the update order. Order and selection always go
 * by the number in the name (never by file time), so a count beyond {@value #DIGITS} digits is still ordered right.
 *
 * <p>{@link Seq2SeqTrainer} keeps the newest N ({@link Seq2SeqTrainer.Builder#keepCheckpoints}) with
 * {@link #keep}; {@link #newest} picks the ones to average ({@link CheckpointAverage}).
 */
public final class NumberedCheckpoints {
    /** Digits of the zero-padded update count in a numbered checkpoint's name. */
    public static final int DIGITS = 8;

    private static final Pattern NAME = Pattern.compile("checkpoint-(\\d+)\\.zip");
    private static final String CONTEXT = "NumberedCheckpoints";

    /** One numbered checkpoint: its update count and its file. */
    public record Entry(long update, Path file) {
    }

    private NumberedCheckpoints() {
    }

    /** @return the name of the numbered checkpoint of {@code update}, e.g. {@code checkpoint-00001500.zip} */
    public static String fileName(long update) {
        return String.format(Locale.ROOT, "checkpoint-%0" + DIGITS + "d.zip", update);
    }

    /** @return the numbered checkpoints in {@code dir}, oldest (lowest update) first; none if it does not exist */
    public static List<Entry> list(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile).map(NumberedCheckpoints::entry)
                    .flatMap(Stream::ofNullable).sorted(Comparator.comparingLong(Entry::update)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(CONTEXT + ": cannot list " + dir.toAbsolutePath(), e);
        }
    }

    private static Entry entry(Path file) {
        Matcher m = NAME.matcher(file.getFileName().toString());
        return m.matches() ? new Entry(Long.parseLong(m.group(1)), file) : null;
    }

    /**
     * @param n how many, at least 1
     * @return the files of the newest {@code n} numbered checkpoints in {@code dir}, oldest first
     * @throws IllegalArgumentException if {@code dir} holds fewer than {@code n} (names the directory, expected and
     *                                  found counts)
     */
    public static List<Path> newest(Path dir, int n) {
        if (n < 1) {
            throw new IllegalArgumentException(CONTEXT + ": the number of checkpoints must be >= 1, got " + n);
        }
        List<Entry> all = list(dir);
        if (all.size() < n) {
            throw new IllegalArgumentException(CONTEXT + ": expected at least " + n + " numbered checkpoints ("
                    + "checkpoint-<update>.zip) in " + dir.toAbsolutePath() + ", found "
                    + all.size());
        }
        return all.subList(all.size() - n, all.size()).stream().map(Entry::file).toList();
    }

    /**
     * Copies {@code checkpoint} (atomically) to the numbered checkpoint of {@code update} in its directory, then
     * deletes the numbered checkpoints other than it and the {@code n - 1} newest before it; ones numbered after
     * {@code update} are left by an earlier run that went further and are deleted too.
     *
     * @param n how many numbered checkpoints to keep, at least 1
     * @return the numbered checkpoint written
     */
    public static Path keep(Path checkpoint, long update, int n) {
        if (n < 1) {
            throw new IllegalArgumentException(CONTEXT + ": the number of checkpoints to keep must be >= 1, got " + n);
        }
        Path dir = checkpoint.toAbsolutePath().getParent();
        Path written = dir.resolve(fileName(update));
        TextFiles.writeAtomically(written, out -> Files.copy(checkpoint, out));
        List<Entry> others = list(dir).stream().filter(e -> e.update() != update).toList();
        List<Entry> before = others.stream().filter(e -> e.update() < update).toList();
        List<Entry> keptBefore = before.subList(Math.max(0, before.size() - (n - 1)), before.size());
        for (Entry e : others) {
            if (!keptBefore.contains(e)) {
                delete(e.file());
            }
        }
        return written;
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException(CONTEXT + ": cannot delete " + file.toAbsolutePath(), e);
        }
    }
}
