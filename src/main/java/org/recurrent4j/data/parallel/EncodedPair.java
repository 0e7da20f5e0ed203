package org.recurrent4j.data.parallel;

/**
 * A sentence pair as vocabulary ids, without {@code <s>} or {@code </s>} (the iterator adds them).
 *
 * @param index  position of the pair in the corpus it was read from (0-based, counting pairs that were
 *               filtered out), so that a batch row can be traced back to its line
 * @param source source ids, already reversed if the encoder was told to reverse the source
 * @param target target ids
 */
public record EncodedPair(int index, int[] source, int[] target) {
}
