package org.recurrent4j.data.vocab;

import org.recurrent4j.data.DataFileException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A word vocabulary with stable ids and the four special tokens at fixed ids: {@code <pad>}=0,
 * {@code <unk>}=1, {@code <s>}=2, {@code </s>}=3. Ordinary tokens follow from id 4.
 *
 * <p>{@link #build} keeps a frequency shortlist (Bahdanau et al. 2014 kept the 30,000 most frequent words per
 * language; all others map to {@code <unk>}): tokens sorted by descending count, ties broken by the token's
 * string order, so the ids depend only on the counts, not on the order of the corpus. The file format is
 * {@link VocabularyFile}'s: one token per line, line n holds id n-1, specials first.
 */
public final class Vocabulary {

    public static final String PAD = "<pad>";
    public static final String UNK = "<unk>";
    public static final String BOS = "<s>";
    public static final String EOS = "</s>";
    public static final int PAD_ID = 0;
    public static final int UNK_ID = 1;
    public static final int BOS_ID = 2;
    public static final int EOS_ID = 3;
    /** The special tokens in id order. */
    public static final List<String> SPECIALS = List.of(PAD, UNK, BOS, EOS);

    private final List<String> tokens;
    private final Map<String, Integer> ids;

    private Vocabulary(List<String> tokens) {
        this.tokens = List.copyOf(tokens);
        Map<String, Integer> map = new HashMap<>(tokens.size() * 2);
        for (int i = 0; i < tokens.size(); i++) {
            if (map.putIfAbsent(tokens.get(i), i) != null) {
                throw new IllegalArgumentException("Vocabulary: duplicate token '" + tokens.get(i) + "' at id " + i);
            }
        }
        this.ids = map;
    }

    /**
     * Builds the shortlist of the {@code maxWords} most frequent tokens of {@code sentences}.
     *
     * @param sentences tokenized training sentences
     * @param maxWords  how many ordinary tokens to keep (the size is {@code maxWords + 4}); must be positive
     * @param minCount  tokens seen fewer times are dropped even if there is room; at least 1
     */
    public static Vocabulary build(Iterable<? extends List<String>> sentences, int maxWords, int minCount) {
        if (maxWords < 1) {
            throw new IllegalArgumentException("Vocabulary.build: maxWords must be >= 1, got " + maxWords);
        }
        if (minCount < 1) {
            throw new IllegalArgumentException("Vocabulary.build: minCount must be >= 1, got " + minCount);
        }
        Map<String, Integer> counts = new HashMap<>();
        for (List<String> sentence : sentences) {
            for (String token : sentence) {
                counts.merge(token, 1, Integer::sum);
            }
        }
        return fromCounts(counts, maxWords, minCount);
    }

    /**
     * Builds the shortlist of the {@code maxWords} most frequent tokens from token counts (as {@link #build} counts
     * them, e.g. counted by a distributed job): the specials first, then tokens by count descending, ties in token
     * order, each seen at least {@code minCount} times.
     */
    public static Vocabulary fromCounts(Map<String, ? extends Number> counts, int maxWords, int minCount) {
        if (maxWords < 1) {
            throw new IllegalArgumentException("Vocabulary.fromCounts: maxWords must be >= 1, got " + maxWords);
        }
        if (minCount < 1) {
            throw new IllegalArgumentException("Vocabulary.fromCounts: minCount must be >= 1, got " + minCount);
        }
        List<Map.Entry<String, Long>> entries = new ArrayList<>();
        counts.forEach((token, count) -> {
            if (!SPECIALS.contains(token)) {
                entries.add(Map.entry(token, count.longValue()));
            }
        });
        entries.sort(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
        List<String> tokens = new ArrayList<>(SPECIALS);
        for (Map.Entry<String, Long> e : entries) {
            if (tokens.size() - SPECIALS.size() >= maxWords || e.getValue() < minCount) {
                break;
            }
            tokens.add(e.getKey());
        }
        return new Vocabulary(tokens);
    }

    /** Builds a vocabulary of {@code SPECIALS} followed by {@code words} in the given order. */
    public static Vocabulary of(List<String> words) {
        List<String> tokens = new ArrayList<>(SPECIALS);
        tokens.addAll(words);
        return new Vocabulary(tokens);
    }

    /**
     * Loads a vocabulary written by {@link #save}.
     *
     * @throws DataFileException if the file is missing, malformed, has duplicates, or its first four lines
     *                           are not the special tokens in order
     */
    public static Vocabulary load(Path file) {
        List<String> tokens = VocabularyFile.read(file);
        for (int i = 0; i < SPECIALS.size(); i++) {
            if (i >= tokens.size() || !tokens.get(i).equals(SPECIALS.get(i))) {
                throw new DataFileException("Vocabulary", file, i + 1, "expected special token " + SPECIALS.get(i)
                        + " but found " + (i < tokens.size() ? "'" + tokens.get(i) + "'" : "end of file"));
            }
        }
        return new Vocabulary(tokens);
    }

    /** Saves the vocabulary atomically (see {@link VocabularyFile}). */
    public void save(Path file) {
        VocabularyFile.write(file, tokens);
    }

    /** @return the id of {@code token}, or {@link #UNK_ID} if it is not in the vocabulary */
    public int id(String token) {
        return ids.getOrDefault(token, UNK_ID);
    }

    /** @return whether {@code token} has its own id */
    public boolean contains(String token) {
        return ids.containsKey(token);
    }

    /** @return the token with id {@code id} */
    public String token(int id) {
        if (id < 0 || id >= tokens.size()) {
            throw new IllegalArgumentException("Vocabulary.token: id must be in [0, " + tokens.size() + "), got " + id);
        }
        return tokens.get(id);
    }

    /** @return the number of ids, specials included */
    public int size() {
        return tokens.size();
    }

    /** @return all tokens in id order (unmodifiable) */
    public List<String> tokens() {
        return Collections.unmodifiableList(tokens);
    }

    /** @return the ids of {@code sentence}, unknown tokens as {@link #UNK_ID}; no {@code <s>} or {@code </s>} added */
    public int[] encode(List<String> sentence) {
        int[] out = new int[sentence.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = id(sentence.get(i));
        }
        return out;
    }

    /** @return the tokens of {@code ids}, stopping before the first {@code </s>} and skipping {@code <pad>} */
    public List<String> decode(int[] ids) {
        List<String> out = new ArrayList<>(ids.length);
        for (int id : ids) {
            if (id == EOS_ID) {
                break;
            }
            if (id != PAD_ID) {
                out.add(token(id));
            }
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Vocabulary v && v.tokens.equals(tokens);
    }

    @Override
    public int hashCode() {
        return tokens.hashCode();
    }
}
