package org.recurrent4j.data.bible;

import java.util.ArrayList;
import java.util.List;

/**
 * Two Bible modules of the same (KJV) versification aligned verse slot by verse slot, with cleaned text.
 * A verse whose cleaned text is empty on either side is skipped and counted (in RV1909 some verses are merged
 * into the following one, leaving an empty slot).
 *
 * @param verses       the aligned verses, canonical order
 * @param emptySource  verses skipped because only the source side was empty
 * @param emptyTarget  verses skipped because only the target side was empty
 * @param emptyBoth    verses skipped because both sides were empty
 */
public record AlignedBible(List<AlignedVerse> verses, int emptySource, int emptyTarget, int emptyBoth) {

    /** One verse in both languages. */
    public record AlignedVerse(VerseRef ref, String source, String target) {
    }

    /** Aligns every verse of {@code versification} between {@code source} and {@code target}. */
    public static AlignedBible align(ZTextModule source, ZTextModule target, KjvVersification versification) {
        List<AlignedVerse> verses = new ArrayList<>(versification.verses().size());
        int emptySource = 0;
        int emptyTarget = 0;
        int emptyBoth = 0;
        for (VerseRef ref : versification.verses()) {
            String s = OsisCleaner.clean(source.rawText(ref));
            String t = OsisCleaner.clean(target.rawText(ref));
            if (s.isEmpty() && t.isEmpty()) {
                emptyBoth++;
            } else if (s.isEmpty()) {
                emptySource++;
            } else if (t.isEmpty()) {
                emptyTarget++;
            } else {
                verses.add(new AlignedVerse(ref, s, t));
            }
        }
        return new AlignedBible(List.copyOf(verses), emptySource, emptyTarget, emptyBoth);
    }
}
