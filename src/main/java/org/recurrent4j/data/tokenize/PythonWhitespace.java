package org.recurrent4j.data.tokenize;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Whitespace exactly as Python 3's {@code str.isspace()}, {@code str.split()} and {@code str.rstrip()} see it.
 * sacreBLEU splits tokens with {@code line.split()}, so a byte-compatible BLEU must use this set rather than
 * {@link Character#isWhitespace(int)}, which (unlike Python) excludes the no-break spaces U+00A0, U+2007,
 * U+202F and includes nothing of U+0085.
 *
 * <p>The set: U+0009..U+000D, U+001C..U+001F, U+0020, U+0085, U+00A0, U+1680, U+2000..U+200A, U+2028, U+2029,
 * U+202F, U+205F, U+3000. Stateless and thread-safe.
 */
public final class PythonWhitespace {

    private PythonWhitespace() {
    }

    /** @return whether Python 3's {@code chr(codePoint).isspace()} is true */
    public static boolean isWhitespace(int codePoint) {
        if (codePoint <= 0x20) {
            return (codePoint >= 0x09 && codePoint <= 0x0D) || (codePoint >= 0x1C);
        }
        switch (codePoint) {
            case 0x85, 0xA0, 0x1680, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
                return true;
            default:
                return codePoint >= 0x2000 && codePoint <= 0x200A;
        }
    }

    /** Python's {@code text.split()}: the maximal runs of non-whitespace code points, in order. */
    public static List<String> split(String text) {
        Objects.requireNonNull(text, "PythonWhitespace.split: text must not be null");
        List<String> tokens = new ArrayList<>();
        int start = -1;
        int i = 0;
        while (i < text.length()) {
            int cp = text.codePointAt(i);
            if (isWhitespace(cp)) {
                if (start >= 0) {
                    tokens.add(text.substring(start, i));
                    start = -1;
                }
            } else if (start < 0) {
                start = i;
            }
            i += Character.charCount(cp);
        }
        if (start >= 0) {
            tokens.add(text.substring(start));
        }
        return tokens;
    }

    /** Python's {@code text.rstrip()}: {@code text} without its trailing whitespace. */
    public static String stripTrailing(String text) {
        Objects.requireNonNull(text, "PythonWhitespace.stripTrailing: text must not be null");
        int end = text.length();
        while (end > 0) {
            int cp = text.codePointBefore(end);
            if (!isWhitespace(cp)) {
                break;
            }
            end -= Character.charCount(cp);
        }
        return text.substring(0, end);
    }
}
