package org.recurrent4j.data.bible;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.List;

/**
 * The KJV versification (66 books, 1,189 chapters, 31,102 verses) and how a SWORD zText module lays it out.
 *
 * <p>Each testament has its own verse index. Its slots are: 0 (module header), 1 (testament header), then for
 * each book one book-header slot followed, for each chapter, by one chapter-header slot and one slot per verse.
 * The Old Testament is the first 39 books, the New Testament the other 27. The verse counts per chapter are the
 * resource {@code kjv-versification.txt}.
 */
final class KjvVersification {

    /** Number of books in the Old Testament. */
    public static final int OLD_TESTAMENT_BOOKS = 39;

    private static final KjvVersification INSTANCE = load();

    private final List<String> books;
    private final List<int[]> versesPerChapter;
    private final List<VerseRef> verses;
    private final List<Integer> slots;
    private final Map<String, VerseRef> byOsisId = new HashMap<>();
    private final int[] slotCounts = new int[2];

    private KjvVersification(List<String> books, List<int[]> versesPerChapter) {
        this.books = List.copyOf(books);
        this.versesPerChapter = List.copyOf(versesPerChapter);
        List<VerseRef> v = new ArrayList<>(31_102);
        List<Integer> s = new ArrayList<>(31_102);
        int chapterOrdinal = 0;
        for (Testament t : Testament.values()) {
            int slot = 2;
            for (int b = t.firstBook(); b < t.firstBook() + t.bookCount(); b++) {
                slot++; // book header
                int[] chapters = versesPerChapter.get(b);
                for (int c = 0; c < chapters.length; c++) {
                    slot++; // chapter header
                    for (int verse = 1; verse <= chapters[c]; verse++) {
                        v.add(new VerseRef(books.get(b), c + 1, verse, chapterOrdinal, v.size()));
                        s.add(slot++);
                    }
                    chapterOrdinal++;
                }
            }
            slotCounts[t.ordinal()] = slot;
        }
        v.forEach(ref -> byOsisId.put(ref.toString(), ref));
        this.verses = Collections.unmodifiableList(v);
        this.slots = Collections.unmodifiableList(s);
    }

    /** @return the KJV versification */
    public static KjvVersification kjv() {
        return INSTANCE;
    }

    /** The two testaments, each a separate set of zText files ({@code ot.*}, {@code nt.*}). */
    public enum Testament {
        OLD("ot", 0, OLD_TESTAMENT_BOOKS), NEW("nt", OLD_TESTAMENT_BOOKS, 27);

        private final String filePrefix;
        private final int firstBook;
        private final int bookCount;

        Testament(String filePrefix, int firstBook, int bookCount) {
            this.filePrefix = filePrefix;
            this.firstBook = firstBook;
            this.bookCount = bookCount;
        }

        /** @return {@code ot} or {@code nt}, the stem of the testament's zText files */
        public String filePrefix() {
            return filePrefix;
        }

        int firstBook() {
            return firstBook;
        }

        int bookCount() {
            return bookCount;
        }
    }

    /** @return all verses in canonical order (Gen 1:1 first, Rev 22:21 last) */
    public List<VerseRef> verses() {
        return verses;
    }

    /** @return the OSIS ids of the 66 books in order */
    public List<String> books() {
        return books;
    }

    /** @return the number of chapters of all books */
    public int chapterCount() {
        return versesPerChapter.stream().mapToInt(c -> c.length).sum();
    }

    /** @return the testament holding {@code ref} */
    public Testament testament(VerseRef ref) {
        return books.indexOf(ref.book()) < OLD_TESTAMENT_BOOKS ? Testament.OLD : Testament.NEW;
    }

    /** @return the slot of {@code ref} in its testament's verse index */
    public int slot(VerseRef ref) {
        return slots.get(ref.verseOrdinal());
    }

    /** @return the number of slots of the testament's verse index (headers included) */
    public int slotCount(Testament testament) {
        return slotCounts[testament.ordinal()];
    }

    /** @return the verse {@code book chapter:verse} */
    public VerseRef find(String book, int chapter, int verse) {
        return find(book + "." + chapter + "." + verse);
    }

    /** @return the verse with OSIS id {@code osisId}, e.g. {@code John.3.16} */
    public VerseRef find(String osisId) {
        VerseRef ref = byOsisId.get(osisId);
        if (ref == null) {
            throw new IllegalArgumentException("KjvVersification: no verse " + osisId + " in the KJV versification");
        }
        return ref;
    }

    private static KjvVersification load() {
        String name = "kjv-versification.txt";
        try (InputStream in = KjvVersification.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("KjvVersification: resource " + name + " is missing from the classpath");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            List<String> books = new ArrayList<>();
            List<int[]> chapters = new ArrayList<>();
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.trim().split(" ");
                books.add(f[0]);
                int[] counts = new int[f.length - 1];
                for (int i = 1; i < f.length; i++) {
                    counts[i - 1] = Integer.parseInt(f[i]);
                }
                chapters.add(counts);
            }
            if (books.size() != OLD_TESTAMENT_BOOKS + 27) {
                throw new IllegalStateException("KjvVersification: " + name + " has " + books.size()
                        + " books; expected 66");
            }
            return new KjvVersification(books, chapters);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
