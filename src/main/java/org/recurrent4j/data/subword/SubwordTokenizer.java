package org.recurrent4j.data.subword;

import org.recurrent4j.data.tokenize.Tokenizer;

import java.util.List;
import java.util.Objects;

/** A word tokenizer followed by a {@link BpeModel}: a line becomes the pieces of its words. */
public final class SubwordTokenizer implements Tokenizer {
    private final Tokenizer words;
    private final BpeModel model;

    /**
     * @param words splits a line into words
     * @param model cuts words into pieces
     */
    public SubwordTokenizer(Tokenizer words, BpeModel model) {
        this.words = Objects.requireNonNull(words, "SubwordTokenizer: words");
        this.model = Objects.requireNonNull(model, "SubwordTokenizer: model");
    }

    @Override
    public List<String> tokenize(String text) {
        return model.segment(words.tokenize(text));
    }
}
