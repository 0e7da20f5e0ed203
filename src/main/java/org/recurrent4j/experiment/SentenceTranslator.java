package org.recurrent4j.experiment;

import java.util.List;

/** Translates tokenized source sentences into target tokens (one output per input, in order). */
@FunctionalInterface
public interface SentenceTranslator {
    /**
     * @param sources tokenized source sentences
     * @return the target tokens of each, without {@code <s>} or {@code </s>}
     */
    List<List<String>> translate(List<List<String>> sources);
}
