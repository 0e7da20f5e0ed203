package org.recurrent4j.data.subword;

import java.util.ArrayList;
import java.util.List;

/**
 * SentencePiece's text conventions with the {@code identity} normalization rule and the default
 * {@code add_dummy_prefix} and {@code remove_extra_whitespaces}: leading and trailing ASCII spaces are dropped, runs
 * of spaces become one, every space becomes the word-boundary mark {@value #WORD_BOUNDARY_STRING} (U+2581) and one
 * mark is put in front, so {@code "the  cat "} becomes {@code "▁the▁cat"}. Words are the pieces of that string that
 * start at a mark ({@code SplitIntoWords}). Text is handled as Unicode code points, as SentencePiece's
 * {@code UnicodeText} does.
 */
final class SpmText {
    /** U+2581, SentencePiece's {@code kWSChar}. */
    static final int WORD_BOUNDARY = 0x2581;
    static final String WORD_BOUNDARY_STRING = "\u2581";
    /** U+2585, {@code kUNKChar}: a sentence containing it is skipped in training. */
    static final int UNKNOWN_MARK = 0x2585;
    /** Tab, {@code kUPPBoundaryChar}: never part of a piece. */
    static final int BOUNDARY = '\t';

    private SpmText() {
    }

    /** @return {@code line} normalized as described above; "" for a blank line */
    static String normalize(String line) {
        int i = 0;
        while (i < line.length() && line.charAt(i) == ' ') {
            i++;
        }
        if (i == line.length()) {
            return "";
        }
        StringBuilder sb = new StringBuilder(line.length() + 4);
        sb.append(WORD_BOUNDARY_STRING);
        boolean previousSpace = true;
        for (; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == ' ') {
                if (!previousSpace) {
                    sb.append(WORD_BOUNDARY_STRING);
                }
                previousSpace = true;
            } else {
                sb.append(c);
                previousSpace = false;
            }
        }
        int end = sb.length();
        while (end > 0 && sb.charAt(end - 1) == '\u2581') {
            end--;
        }
        sb.setLength(end);
        return sb.toString();
    }

    /** @return the words of a normalized string: a new word starts at its first character and at every mark */
    static List<int[]> splitIntoWords(String normalized) {
        int[] cps = normalized.codePoints().toArray();
        List<int[]> words = new ArrayList<>();
        int start = 0;
        for (int i = 1; i <= cps.length; i++) {
            if (i == cps.length || cps[i] == WORD_BOUNDARY) {
                int[] w = new int[i - start];
                System.arraycopy(cps, start, w, 0, w.length);
                words.add(w);
                start = i;
            }
        }
        return cps.length == 0 ? List.of() : words;
    }

    /** @return SentencePiece's order of strings: by UTF-8 bytes, which is code-point order */
    static int compare(int[] a, int[] b) {
        int n = Math.min(a.length, b.length);
        for (int i = 0; i < n; i++) {
            if (a[i] != b[i]) {
                return Integer.compare(a[i], b[i]);
            }
        }
        return Integer.compare(a.length, b.length);
    }

    static String string(int[] codePoints) {
        return new String(codePoints, 0, codePoints.length);
    }
}
