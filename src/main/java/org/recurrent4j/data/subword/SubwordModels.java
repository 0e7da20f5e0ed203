package org.recurrent4j.data.subword;

import java.util.Objects;

/**
 * The BPE models of a translation model's two languages.
 *
 * @param source cuts source words into the pieces of the source vocabulary
 * @param target cuts target words into the pieces of the target vocabulary
 */
public record SubwordModels(BpeModel source, BpeModel target) {
    public SubwordModels {
        Objects.requireNonNull(source, "SubwordModels: source");
        Objects.requireNonNull(target, "SubwordModels: target");
    }
}
