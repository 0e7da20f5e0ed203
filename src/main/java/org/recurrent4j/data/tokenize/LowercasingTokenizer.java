package org.recurrent4j.data.tokenize;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Decorator that lowercases the text ({@link Locale#ROOT}, so the result does not depend on the machine's
 * locale) before passing it to another tokenizer.
 */
public final class LowercasingTokenizer implements Tokenizer {

    private final Tokenizer delegate;

    /** @param delegate the tokenizer that splits the lowercased text */
    public LowercasingTokenizer(Tokenizer delegate) {
        this.delegate = Objects.requireNonNull(delegate, "LowercasingTokenizer: delegate");
    }

    @Override
    public List<String> tokenize(String text) {
        return delegate.tokenize(text.toLowerCase(Locale.ROOT));
    }
}
