package org.recurrent4j.experiment;

import org.recurrent4j.data.parallel.Seq2SeqEncoder;
import org.recurrent4j.data.parallel.SentencePair;
import org.recurrent4j.data.tokenize.LowercasingTokenizer;
import org.recurrent4j.data.tokenize.Tokenizer;
import org.recurrent4j.data.tokenize.Tokenizer13a;
import org.recurrent4j.data.vocab.Vocabulary;
import org.recurrent4j.eval.NoUnkFilter;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * A corpus ready for the experiment: training and test pairs, the tokenizer (sacreBLEU's 13a, lowercased, so that
 * the models' output is already in the form BLEU compares) and the source and target shortlists built from the
 * whole training split, shared by the -30 and -50 models as in the paper. The length filter
 * ({@link #trainingPairs(int)}) keeps pairs whose source and target both have at most n tokens.
 */
public final class PreparedCorpus {
    /** The name the models record as their tokenizer. */
    public static final String TOKENIZER_NAME = "13a-lowercase";

    private final String name;
    private final Tokenizer tokenizer;
    private final Vocabulary sourceVocabulary;
    private final Vocabulary targetVocabulary;
    private final List<SentencePair> train;
    private final List<SentencePair> test;

    /**
     * @param name  corpus name for results
     * @param train training pairs (vocabularies are built from them)
     * @param test  test pairs, in file order
     * @param vocabularyWords most frequent words kept per language
     */
    public PreparedCorpus(String name, List<SentencePair> train, List<SentencePair> test, int vocabularyWords) {
        this.name = Objects.requireNonNull(name, "PreparedCorpus: name");
        if (train == null || train.isEmpty() || test == null || test.isEmpty()) {
            throw new IllegalArgumentException("PreparedCorpus " + name + ": train and test must be non-empty, got "
                    + (train == null ? "null" : train.size()) + " and " + (test == null ? "null" : test.size())
                    + " pairs");
        }
        this.tokenizer = new LowercasingTokenizer(new Tokenizer13a());
        this.train = List.copyOf(train);
        this.test = List.copyOf(test);
        List<List<String>> sources = new ArrayList<>(train.size());
        List<List<String>> targets = new ArrayList<>(train.size());
        for (SentencePair p : train) {
            sources.add(tokenizer.tokenize(p.source()));
            targets.add(tokenizer.tokenize(p.target()));
        }
        this.sourceVocabulary = Vocabulary.build(sources, vocabularyWords, 1);
        this.targetVocabulary = Vocabulary.build(targets, vocabularyWords, 1);
    }

    /**
     * Reads the train and test splits.
     *
     * @param testLimit keep only the first n test pairs; 0 = all
     */
    public static PreparedCorpus read(CorpusSplits splits, int vocabularyWords, int testLimit) {
        List<SentencePair> test = splits.read(CorpusSplits.TEST);
        if (testLimit > 0 && testLimit < test.size()) {
            test = test.subList(0, testLimit);
        }
        return new PreparedCorpus(splits.name(), splits.read(CorpusSplits.TRAIN), test, vocabularyWords);
    }

    /** @return the corpus name */
    public String name() { return name; }
    /** @return the tokenizer of both sides (13a, lowercased) */
    public Tokenizer tokenizer() { return tokenizer; }
    /** @return the source shortlist */
    public Vocabulary sourceVocabulary() { return sourceVocabulary; }
    /** @return the target shortlist */
    public Vocabulary targetVocabulary() { return targetVocabulary; }
    /** @return all training pairs */
    public List<SentencePair> train() { return train; }
    /** @return the test pairs */
    public List<SentencePair> test() { return test; }

    /** @return an encoder with the length filter {@code maxLength} on both sides (no source reversal) */
    public Seq2SeqEncoder encoder(int maxLength) {
        return Seq2SeqEncoder.builder().sourceTokenizer(tokenizer).targetTokenizer(tokenizer)
                .sourceVocabulary(sourceVocabulary).targetVocabulary(targetVocabulary).maxLength(maxLength).build();
    }

    /** @return the training pairs whose source and target both have at most {@code maxLength} tokens, as ids */
    public Seq2SeqEncoder.Result trainingPairs(int maxLength) {
        return encoder(maxLength).encode(train);
    }

    /** @return the tokens of each test source */
    public List<List<String>> testSourceTokens() {
        return test.stream().map(p -> tokenizer.tokenize(p.source())).toList();
    }

    /** @return the test sources as text */
    public List<String> testSources() {
        return test.stream().map(SentencePair::source).toList();
    }

    /** @return the test references as text */
    public List<String> testReferences() {
        return test.stream().map(SentencePair::target).toList();
    }

    /** @return the "No UNK" filter of Table 1 for these vocabularies */
    public NoUnkFilter noUnkFilter() {
        return new NoUnkFilter(tokenizer, new HashSet<>(sourceVocabulary.tokens()), tokenizer,
                new HashSet<>(targetVocabulary.tokens()));
    }
}
