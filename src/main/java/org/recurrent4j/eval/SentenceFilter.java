package org.recurrent4j.eval;

import java.util.List;

/** Chooses the segments an evaluation keeps, e.g. {@link NoUnkFilter} for Bahdanau et al.'s "No UNK" column. */
@FunctionalInterface
public interface SentenceFilter {

    /** Keeps every segment. */
    SentenceFilter ALL = (source, references) -> true;

    /**
     * @param source     the source sentence
     * @param references the segment's references ({@code null} entries are absent references)
     * @return whether the segment takes part in the evaluation
     */
    boolean keep(String source, List<String> references);
}
