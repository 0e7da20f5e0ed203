package org.recurrent4j.eval;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

import org.recurrent4j.data.tokenize.Tokenizer;

/**
 * Keeps a segment only if every source token is in the source vocabulary and every token of every (non-null)
 * reference is in the target vocabulary: the "No UNK" subset of Table 1 of Bahdanau et al. (2014), "sentences
 * without any unknown word" for the model. Tokens are those of the tokenizers the vocabularies were built with.
 * Stateless if its tokenizers and predicates are.
 */
public final class NoUnkFilter implements SentenceFilter {

    private final Tokenizer sourceTokenizer;
    private final Predicate<String> inSourceVocabulary;
    private final Tokenizer targetTokenizer;
    private final Predicate<String> inTargetVocabulary;

    /**
     * @param sourceTokenizer    splits source sentences as the source vocabulary was built
     * @param inSourceVocabulary whether a source token is known
     * @param targetTokenizer    splits references as the target vocabulary was built
     * @param inTargetVocabulary whether a target token is known
     */
    public NoUnkFilter(Tokenizer sourceTokenizer, Predicate<String> inSourceVocabulary,
                       Tokenizer targetTokenizer, Predicate<String> inTargetVocabulary) {
        this.sourceTokenizer = Objects.requireNonNull(sourceTokenizer, "NoUnkFilter: sourceTokenizer");
        this.inSourceVocabulary = Objects.requireNonNull(inSourceVocabulary, "NoUnkFilter: inSourceVocabulary");
        this.targetTokenizer = Objects.requireNonNull(targetTokenizer, "NoUnkFilter: targetTokenizer");
        this.inTargetVocabulary = Objects.requireNonNull(inTargetVocabulary, "NoUnkFilter: inTargetVocabulary");
    }

    /** Same, with vocabularies given as sets of tokens. */
    public NoUnkFilter(Tokenizer sourceTokenizer, Set<String> sourceVocabulary,
                       Tokenizer targetTokenizer, Set<String> targetVocabulary) {
        this(sourceTokenizer, Objects.requireNonNull(sourceVocabulary, "NoUnkFilter: sourceVocabulary")::contains,
                targetTokenizer, Objects.requireNonNull(targetVocabulary, "NoUnkFilter: targetVocabulary")::contains);
    }

    @Override
    public boolean keep(String source, List<String> references) {
        if (!sourceTokenizer.tokenize(source).stream().allMatch(inSourceVocabulary)) {
            return false;
        }
        for (String ref : references) {
            if (ref != null && !targetTokenizer.tokenize(ref).stream().allMatch(inTargetVocabulary)) {
                return false;
            }
        }
        return true;
    }
}
