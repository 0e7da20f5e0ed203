package org.recurrent4j.experiment;

/**
 * One of the paper's four models.
 *
 * @param attention true for RNNsearch (Bahdanau attention), false for RNNenc (fixed context)
 * @param maxLength the training length filter (30 or 50 in the paper)
 */
public record ModelSpec(boolean attention, int maxLength) {

    /** Checks the length. */
    public ModelSpec {
        if (maxLength < 1) {
            throw new IllegalArgumentException("ModelSpec: maxLength must be >= 1, got " + maxLength);
        }
    }

    /** @return the paper's name: {@code RNNsearch-50}, {@code RNNenc-30} */
    public String name() {
        return (attention ? "RNNsearch-" : "RNNenc-") + maxLength;
    }
}
