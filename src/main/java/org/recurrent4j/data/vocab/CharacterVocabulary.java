package org.recurrent4j.data.vocab;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The vocabulary of a character language model: one id per Unicode code point seen in the training text,
 * ids in ascending code-point order (so they are stable for a given character set), no special tokens.
 * Saved and loaded in {@link VocabularyFile}'s format, one (escaped) character per line.
 */
public final class CharacterVocabulary {

    private final int[] codePoints;
    private final Map<Integer, Integer> ids = new HashMap<>();

    private CharacterVocabulary(int[] codePoints) {
        this.codePoints = codePoints.clone();
        for (int i = 0; i < codePoints.length; i++) {
            if (ids.putIfAbsent(codePoints[i], i) != null) {
                throw new IllegalArgumentException("CharacterVocabulary: duplicate character U+"
                        + Integer.toHexString(codePoints[i]) + " at id " + i);
            }
        }
    }

    /** Builds the vocabulary of all distinct code points of {@code text}. */
    public static CharacterVocabulary of(CharSequence text) {
        return new CharacterVocabulary(text.codePoints().distinct().sorted().toArray());
    }

    /** Loads a vocabulary written by {@link #save}; each line must hold exactly one (escaped) character. */
    public static CharacterVocabulary load(Path file) {
        List<String> tokens = VocabularyFile.read(file);
        int[] cps = new int[tokens.size()];
        for (int i = 0; i < cps.length; i++) {
            String t = tokens.get(i);
            if (t.codePointCount(0, t.length()) != 1) {
                throw new org.recurrent4j.data.DataFileException("CharacterVocabulary", file, i + 1,
                        "expected exactly one character per line, found '" + t + "'");
            }
            cps[i] = t.codePointAt(0);
        }
        return new CharacterVocabulary(cps);
    }

    /** Saves the vocabulary atomically. */
    public void save(Path file) {
        List<String> tokens = new ArrayList<>(codePoints.length);
        for (int cp : codePoints) {
            tokens.add(new String(Character.toChars(cp)));
        }
        VocabularyFile.write(file, tokens);
    }

    /** @return the number of characters */
    public int size() {
        return codePoints.length;
    }

    /**
     * @return the id of code point {@code codePoint}
     * @throws IllegalArgumentException if the character is not in the vocabulary
     */
    public int id(int codePoint) {
        Integer id = ids.get(codePoint);
        if (id == null) {
            throw new IllegalArgumentException("CharacterVocabulary: character U+" + Integer.toHexString(codePoint)
                    + " ('" + new String(Character.toChars(codePoint)) + "') is not in the vocabulary of " + size());
        }
        return id;
    }

    /** @return the code point with id {@code id} */
    public int codePoint(int id) {
        if (id < 0 || id >= codePoints.length) {
            throw new IllegalArgumentException("CharacterVocabulary: id must be in [0, " + size() + "), got " + id);
        }
        return codePoints[id];
    }

    /** @return the ids of the code points of {@code text} */
    public int[] encode(CharSequence text) {
        return text.codePoints().map(this::id).toArray();
    }

    /** @return the text of {@code ids} */
    public String decode(int[] ids) {
        StringBuilder sb = new StringBuilder(ids.length);
        for (int id : ids) {
            sb.appendCodePoint(codePoint(id));
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CharacterVocabulary v && Arrays.equals(v.codePoints, codePoints);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(codePoints);
    }
}
