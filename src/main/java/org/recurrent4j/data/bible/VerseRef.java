package org.recurrent4j.data.bible;

/**
 * One verse slot of the KJV versification.
 *
 * @param book            OSIS book id, e.g. {@code John}
 * @param chapter         1-based chapter number
 * @param verse           1-based verse number
 * @param chapterOrdinal  0-based position of the chapter among all 1,189 chapters (Gen 1 = 0)
 * @param verseOrdinal    0-based position of the verse among all 31,102 verses (Gen 1:1 = 0)
 */
record VerseRef(String book, int chapter, int verse, int chapterOrdinal, int verseOrdinal) {

    /** @return the OSIS reference, e.g. {@code John.3.16} */
    @Override
    public String toString() {
        return book + "." + chapter + "." + verse;
    }
}
