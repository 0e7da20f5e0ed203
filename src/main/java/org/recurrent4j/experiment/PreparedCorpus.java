package org.recurrent4j.experiment;

import org.recurrent4j.data.parallel.EncodedPair;
import org.recurrent4j.data.parallel.Seq2SeqEncoder;
import org.recurrent4j.data.parallel.SentencePair;
import org.recurrent4j.data.subword.BpeModel;
import org.recurrent4j.data.subword.BpeTrainer;
import org.recurrent4j.data.subword.SubwordModels;
import org.recurrent4j.data.subword.SubwordTokenizer;
import org.recurrent4j.data.tokenize.LowercasingTokenizer;
import org.recurrent4j.data.tokenize.Tokenizer;
import org.recurrent4j.data.tokenize.Tokenizer13a;
import org.recurrent4j.data.vocab.Vocabulary;
import org.recurrent4j.eval.NoUnkFilter;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.stream.IntStream;

/**
 * A corpus ready for the experiment: training and test pairs, the tokenizer (sacreBLEU's 13a, lowercased, so that
 * the models' output is already in the form BLEU compares) and the source and target shortlists built from the
 * whole training split, shared by the -30 and -50 models as in the paper. The length filter
 * ({@link #trainingPairs(int)}) keeps pairs whose source and target both have at most n tokens.
 *
 * <p>With subwords ({@code subwords} N &gt; 0) each language gets its own BPE model of N pieces
 * ({@link BpeTrainer}), learned from its side of the training split only; the models read and write pieces, and
 * the vocabularies are the pieces. Separate models, not one joint model: the models have separate source and target
 * embeddings, so a joint model would share nothing and would split the N pieces between the languages. Lengths (the
 * length filter, the length buckets, the long sentences) still count 13a words, and translations are joined back
 * into words ({@link #words}) before BLEU.
 */
public final class PreparedCorpus {
    /** The name the models record as their tokenizer. */
    public static final String TOKENIZER_NAME = "13a-lowercase";

    private final String name;
    private final Tokenizer tokenizer;
    private final SubwordModels subwords;
    private final Tokenizer sourceTokenizer;
    private final Tokenizer targetTokenizer;
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
        this(name, train, test, vocabularyWords, 0);
    }

    /**
     * @param subwords pieces per language of the BPE models learned from the training split (SentencePiece's
     *                 vocabulary size); 0 = none, words and the shortlist of {@code vocabularyWords}
     */
    public PreparedCorpus(String name, List<SentencePair> train, List<SentencePair> test, int vocabularyWords,
                          int subwords) {
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
        if (subwords > 0) {
            BpeTrainer trainer = new BpeTrainer(subwords);
            BpeModel source = trainer.train(sources.stream().map(t -> String.join(" ", t)).toList());
            BpeModel target = trainer.train(targets.stream().map(t -> String.join(" ", t)).toList());
            this.subwords = new SubwordModels(source, target);
            this.sourceTokenizer = new SubwordTokenizer(tokenizer, source);
            this.targetTokenizer = new SubwordTokenizer(tokenizer, target);
            this.sourceVocabulary = source.vocabulary();
            this.targetVocabulary = target.vocabulary();
        } else {
            this.subwords = null;
            this.sourceTokenizer = tokenizer;
            this.targetTokenizer = tokenizer;
            this.sourceVocabulary = Vocabulary.build(sources, vocabularyWords, 1);
            this.targetVocabulary = Vocabulary.build(targets, vocabularyWords, 1);
        }
    }

    /**
     * Reads the train and test splits.
     *
     * @param testLimit keep only the first n test pairs; 0 = all
     */
    public static PreparedCorpus read(CorpusSplits splits, int vocabularyWords, int testLimit) {
        return read(splits, vocabularyWords, 0, testLimit);
    }

    /**
     * Reads the train and test splits.
     *
     * @param subwords  BPE pieces per language, 0 = words
     * @param testLimit keep only the first n test pairs; 0 = all
     */
    public static PreparedCorpus read(CorpusSplits splits, int vocabularyWords, int subwords, int testLimit) {
        List<SentencePair> test = splits.read(CorpusSplits.TEST);
        if (testLimit > 0 && testLimit < test.size()) {
            test = test.subList(0, testLimit);
        }
        return new PreparedCorpus(splits.name(), splits.read(CorpusSplits.TRAIN), test, vocabularyWords, subwords);
    }

    /** @return the corpus name */
    public String name() { return name; }
    /** @return the word tokenizer of both sides (13a, lowercased): lengths and BLEU count its tokens */
    public Tokenizer tokenizer() { return tokenizer; }
    /** @return the BPE models, or null when the models read words */
    public SubwordModels subwords() { return subwords; }
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
        return Seq2SeqEncoder.builder().sourceTokenizer(sourceTokenizer).targetTokenizer(targetTokenizer)
                .sourceVocabulary(sourceVocabulary).targetVocabulary(targetVocabulary).maxLength(maxLength).build();
    }

    /** @return the training pairs whose source and target both have at most {@code maxLength} words, as ids */
    public Seq2SeqEncoder.Result trainingPairs(int maxLength) {
        if (subwords == null) {
            return encoder(maxLength).encode(train);
        }
        List<Integer> kept = IntStream.range(0, train.size()).filter(i -> tokenizer.tokenize(train.get(i).source())
                .size() <= maxLength && tokenizer.tokenize(train.get(i).target()).size() <= maxLength).boxed().toList();
        List<EncodedPair> pairs = encoder(Integer.MAX_VALUE).encode(kept.stream().map(train::get).toList()).pairs()
                .stream().map(p -> new EncodedPair(kept.get(p.index()), p.source(), p.target())).toList();
        return new Seq2SeqEncoder.Result(pairs, train.size() - kept.size());
    }

    /** @return the tokens the models read of each test source (words, or pieces with subwords) */
    public List<List<String>> testSourceTokens() {
        return test.stream().map(p -> sourceTokenizer.tokenize(p.source())).toList();
    }

    /** @return the words of a translation: its tokens, or its pieces joined into words */
    public List<String> words(List<String> translation) {
        return subwords == null ? translation : BpeModel.join(translation);
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
        return new NoUnkFilter(sourceTokenizer, new HashSet<>(sourceVocabulary.tokens()), targetTokenizer,
                new HashSet<>(targetVocabulary.tokens()));
    }
}
