package org.recurrent4j.data.bible;

/**
 * The fixed train/dev/test split of the Bible corpus, by whole chapters so that neighbouring verses (which
 * often repeat each other) never straddle two splits: with {@code c} the 0-based chapter ordinal in canonical
 * order (Genesis 1 = 0, Revelation 22 = 1,188), {@code c % 30 == 7} is test, {@code c % 30 == 22} is dev, all
 * other chapters are train. That is 40 test and 40 dev chapters spread evenly over both testaments.
 */
public enum BibleSplit {
    TRAIN("train"), DEV("dev"), TEST("test");

    private final String fileStem;

    BibleSplit(String fileStem) {
        this.fileStem = fileStem;
    }

    /** @return the stem of the split's file names: {@code train}, {@code dev}, {@code test} */
    public String fileStem() {
        return fileStem;
    }

    /** @return the split of {@code verse} */
    public static BibleSplit of(VerseRef verse) {
        return switch (verse.chapterOrdinal() % 30) {
            case 7 -> TEST;
            case 22 -> DEV;
            default -> TRAIN;
        };
    }
}
