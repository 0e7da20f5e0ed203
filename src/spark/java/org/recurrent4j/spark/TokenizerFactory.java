package org.recurrent4j.spark;

import java.io.Serializable;
import org.recurrent4j.data.tokenize.Tokenizer;

/**
 * Makes the {@link Tokenizer} of a Spark task: tokenizers are not serializable, so a task builds its own from this
 * (a serializable lambda such as {@code () -> new Tokenizer13a()}).
 */
@FunctionalInterface
public interface TokenizerFactory extends Serializable {
    /** @return a new tokenizer */
    Tokenizer create();
}
