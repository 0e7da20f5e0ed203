package org.recurrent4j.data.parallel;

/** One source sentence and its translation, as text. */
public record SentencePair(String source, String target) {
}
