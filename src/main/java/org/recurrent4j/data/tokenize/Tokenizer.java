package org.recurrent4j.data.tokenize;

import java.util.List;

/**
 * Splits one line of text into tokens. Shared by the data pipeline (vocabularies, iterators) and by
 * the BLEU metric, so that a model is trained and scored on the same notion of a "word".
 */
public interface Tokenizer {

    /** @return the tokens of {@code text}, never null; an empty or blank line gives an empty list */
    List<String> tokenize(String text);
}
