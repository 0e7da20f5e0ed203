package org.recurrent4j.data.tokenize;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One token per non-whitespace Unicode code point: sacreBLEU's {@code tok:char} ({@code TokenizerChar}, which
 * joins all code points with spaces, followed by the {@code line.split()} of its n-gram extraction).
 * Whitespace is Python's (see {@link PythonWhitespace}). Stateless and thread-safe.
 */
public final class SacreBleuCharTokenizer implements Tokenizer {

    /** The name of this tokenizer in a sacreBLEU signature ({@code tok:char}). */
    public static final String SIGNATURE = "char";

    @Override
    public List<String> tokenize(String text) {
        Objects.requireNonNull(text, "SacreBleuCharTokenizer.tokenize: text must not be null");
        List<String> tokens = new ArrayList<>(text.length());
        text.codePoints()
                .filter(cp -> !PythonWhitespace.isWhitespace(cp))
                .forEach(cp -> tokens.add(new String(Character.toChars(cp))));
        return tokens;
    }
}
