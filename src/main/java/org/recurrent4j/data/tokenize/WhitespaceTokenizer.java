package org.recurrent4j.data.tokenize;

import java.util.List;
import java.util.Objects;

/**
 * Splits on whitespace only: sacreBLEU's {@code tok:none} ({@code NoneTokenizer} followed by the
 * {@code line.split()} of its n-gram extraction). Whitespace is Python's (see {@link PythonWhitespace}).
 * Stateless and thread-safe.
 */
public final class WhitespaceTokenizer implements Tokenizer {

    /** The name of this tokenizer in a sacreBLEU signature ({@code tok:none}). */
    public static final String SIGNATURE = "none";

    @Override
    public List<String> tokenize(String text) {
        Objects.requireNonNull(text, "WhitespaceTokenizer.tokenize: text must not be null");
        return PythonWhitespace.split(text);
    }
}
