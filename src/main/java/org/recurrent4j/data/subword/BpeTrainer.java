package org.recurrent4j.data.subword;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Learns a {@link BpeModel} of a given size from sentences, exactly as SentencePiece v0.1.97's BPE trainer
 * ({@code bpe_model_trainer.cc}, {@code trainer_interface.cc}) does when run as
 * <pre>
 * spm_train --model_type=bpe --vocab_size=N --character_coverage=1.0 --normalization_rule_name=identity \
 *           --split_by_unicode_script=false --byte_fallback=false --max_sentencepiece_length=16
 * </pre>
 * (every other setting at its default). The vocabulary size N counts SentencePiece's three meta pieces
 * {@code <unk> <s> </s>}, every character of the corpus (character coverage 1) and the merged pieces.
 *
 * <p>The algorithm: lines are normalized ({@link SpmText}), lines longer than 4,192 UTF-8 bytes or containing U+2585
 * are skipped, and the text {@code <unk>}, {@code <s>}, {@code </s>} becomes a tab (never part of a piece). Words
 * (a "▁" and what follows up to the next "▁") are counted and sorted by count, then by text. Every adjacent pair of
 * symbols is a candidate; the candidate of highest frequency becomes the next piece (ties: the shorter piece, then
 * the smaller text), every occurrence of it is merged (left to right; in "aaa" only the first "aa"), and the
 * frequencies of the neighbouring pairs are recounted. As in SentencePiece the search runs over an "active" set, the
 * 5% most frequent candidates (at least 1,000), refreshed every 100 pieces; pieces found after a refresh join it at
 * once. A candidate must not hold more than 16 characters, a tab or U+2585, nor a "▁" after its first character. A
 * candidate whose text is already a piece (made by another sequence of merges) is dropped. The pieces are the merges
 * in order, then the characters by count (then code point); piece i has score -i.
 *
 * <p>One choice is SentencePiece's own only by luck: when the active set is refreshed, candidates tied at its lower
 * edge are taken in SentencePiece's hash-table order; here they are taken by text. The two agree unless one of those
 * tied candidates would later be the most frequent of all, which the equality tests on the project's corpora check.
 */
public final class BpeTrainer {
    /** SentencePiece's meta pieces {@code <unk> <s> </s>}, counted in the vocabulary size. */
    public static final int META_PIECES = 3;
    /** Longest piece, in characters ({@code max_sentencepiece_length}). */
    public static final int MAX_PIECE_LENGTH = 16;
    /** Longest line used for training, in UTF-8 bytes ({@code max_sentence_length}). */
    public static final int MAX_SENTENCE_BYTES = 4192;
    private static final List<String> META_TEXT = List.of("<unk>", "<s>", "</s>");
    private static final int MIN_ACTIVE = 1000;
    private static final float ACTIVE_RATIO = 0.05f;
    private static final int REFRESH_EVERY = 100;

    private final int vocabularySize;

    /** @param vocabularySize N of {@code spm_train --vocab_size=N}; at least 4 */
    public BpeTrainer(int vocabularySize) {
        if (vocabularySize <= META_PIECES) {
            throw new IllegalArgumentException("BpeTrainer: the subword vocabulary size must exceed the "
                    + META_PIECES + " meta pieces <unk> <s> </s>, got " + vocabularySize);
        }
        this.vocabularySize = vocabularySize;
    }

    /**
     * @param lines training text, one sentence per element, words separated by spaces
     * @return the learned model
     * @throws IllegalArgumentException if no line has text, if N is smaller than the meta pieces plus the
     *                                  characters, or if the corpus cannot give N pieces
     */
    public BpeModel train(Iterable<String> lines) {
        List<String> sentences = loadSentences(lines);
        Map<Integer, Long> requiredChars = requiredCharacters(sentences);
        int merges = vocabularySize - META_PIECES - requiredChars.size();
        if (merges < 0) {
            throw new IllegalArgumentException("BpeTrainer: the subword vocabulary size " + vocabularySize
                    + " is smaller than the " + META_PIECES + " meta pieces plus the " + requiredChars.size()
                    + " characters of the training text (" + (META_PIECES + requiredChars.size())
                    + "); give at least that");
        }
        List<String> pieces = new Merger(countWords(sentences, requiredChars), requiredChars).run(merges);
        if (pieces.size() < merges) {
            throw new IllegalArgumentException("BpeTrainer: the training text allows only " + pieces.size()
                    + " merged pieces, so at most " + (META_PIECES + requiredChars.size() + pieces.size())
                    + " subwords, but " + vocabularySize + " were asked for");
        }
        requiredChars.entrySet().stream()
                .sorted(Map.Entry.<Integer, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .forEach(e -> pieces.add(Character.toString(e.getKey())));
        return new BpeModel(pieces);
    }

    /** Normalized non-empty lines, SentencePiece's {@code LoadSentences}. */
    private static List<String> loadSentences(Iterable<String> lines) {
        List<String> out = new ArrayList<>();
        for (String line : lines) {
            if (line.isEmpty() || line.getBytes(StandardCharsets.UTF_8).length > MAX_SENTENCE_BYTES
                    || line.indexOf(SpmText.UNKNOWN_MARK) >= 0) {
                continue;
            }
            String s = SpmText.normalize(line);
            for (String meta : META_TEXT) {
                s = s.replace(meta, "\t");
            }
            if (!s.isEmpty()) {
                out.add(s);
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("BpeTrainer: the training text has no non-blank line to learn "
                    + "subwords from");
        }
        return out;
    }

    /** Every character (coverage 1.0, computed in float as SentencePiece does) with its count; tabs are left out. */
    private static Map<Integer, Long> requiredCharacters(List<String> sentences) {
        Map<Integer, Long> counts = new HashMap<>();
        long all = 0;
        for (String s : sentences) {
            for (int c : s.codePoints().toArray()) {
                if (!validCodePoint(c) || c == 0) {
                    continue;
                }
                counts.merge(c, 1L, Long::sum);
                all++;
            }
        }
        Map<Integer, Long> required = new HashMap<>();
        long accumulated = 0;
        List<Map.Entry<Integer, Long>> sorted = new ArrayList<>(counts.entrySet());
        sorted.sort(Map.Entry.<Integer, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
        for (Map.Entry<Integer, Long> e : sorted) {
            float coverage = (float) (1.0 * accumulated / all);
            if (coverage >= 1.0f) {
                break;
            }
            accumulated += e.getValue();
            if (e.getKey() != SpmText.BOUNDARY) {
                required.put(e.getKey(), e.getValue());
            }
        }
        return required;
    }

    /** Words with counts, characters outside {@code required} replaced by U+2585; by count, then by text. */
    private static List<Word> countWords(List<String> sentences, Map<Integer, Long> required) {
        Map<String, Long> counts = new HashMap<>();
        for (String s : sentences) {
            int[] cps = s.codePoints().map(c -> required.containsKey(c) ? c : SpmText.UNKNOWN_MARK).toArray();
            for (int[] w : SpmText.splitIntoWords(SpmText.string(cps))) {
                counts.merge(SpmText.string(w), 1L, Long::sum);
            }
        }
        List<Word> words = new ArrayList<>(counts.size());
        counts.forEach((w, n) -> words.add(new Word(w.codePoints().toArray(), n)));
        words.sort(Comparator.comparingLong(Word::count).reversed().thenComparing((a, b) -> SpmText.compare(a.chars, b.chars)));
        return words;
    }

    static boolean validCodePoint(int c) {
        return c < 0xD800 || (c >= 0xE000 && c <= 0x10FFFF);
    }

    /** @return whether SentencePiece accepts {@code chars} as a piece (with the settings above) */
    static boolean validPiece(int[] chars) {
        if (chars.length == 0 || chars.length > MAX_PIECE_LENGTH) {
            return false;
        }
        for (int pos = 0; pos < chars.length; pos++) {
            int c = chars[pos];
            if (c == SpmText.UNKNOWN_MARK || c == 0 || c == SpmText.BOUNDARY || c == ' ' || !validCodePoint(c)) {
                return false;
            }
            if (c == SpmText.WORD_BOUNDARY && pos > 0) {
                return false;
            }
        }
        return true;
    }

    private record Word(int[] chars, long count) {
    }

    /** A character or a candidate pair, SentencePiece's {@code Symbol}. */
    private static final class Symbol {
        final Symbol left;
        final Symbol right;
        final int[] chars;
        final boolean unknown;
        /** SentencePiece's fingerprint: the code point of a character, a hash of the two halves' for a pair */
        final long fingerprint;
        /** creation order; stands in for SentencePiece's pointer order of its active set */
        final long serial;
        long freq;
        /** occurrences, encoded (word << 32 | left << 16 | right) as in SentencePiece, in that order */
        final TreeSet<Long> positions = new TreeSet<>();
        private String text;

        Symbol(Symbol left, Symbol right, int[] chars, boolean unknown, long fingerprint, long serial, long freq) {
            this.left = left;
            this.right = right;
            this.chars = chars;
            this.unknown = unknown;
            this.fingerprint = fingerprint;
            this.serial = serial;
            this.freq = freq;
        }

        boolean isPair() {
            return left != null;
        }

        String text() {
            if (text == null) {
                text = SpmText.string(chars);
            }
            return text;
        }
    }

    /** The merge loop of {@code bpe::Trainer::Train}. */
    private static final class Merger {
        private final List<Word> words;
        private final Map<Integer, Long> requiredChars;
        private final Symbol[][] symbols;               // [word][character position], null where merged away
        private final Map<Long, Symbol> cache = new HashMap<>();
        private final TreeMap<Long, Symbol> active = new TreeMap<>();   // by serial
        private long serials;

        Merger(List<Word> words, Map<Integer, Long> requiredChars) {
            this.words = words;
            this.requiredChars = requiredChars;
            this.symbols = new Symbol[words.size()][];
            for (int w = 0; w < words.size(); w++) {
                int[] chars = words.get(w).chars;
                symbols[w] = new Symbol[chars.length];
                for (int i = 0; i < chars.length; i++) {
                    symbols[w][i] = charSymbol(chars[i]);
                }
            }
            for (int w = 0; w < symbols.length; w++) {
                for (int i = 1; i < symbols[w].length; i++) {
                    addNewPair(w, i - 1, i);
                }
            }
        }

        List<String> run(int merges) {
            List<String> pieces = new ArrayList<>();
            java.util.Set<String> seen = new java.util.HashSet<>();
            while (pieces.size() < merges) {
                if (pieces.size() % REFRESH_EVERY == 0) {
                    refreshActive();
                }
                Symbol best = null;
                for (Symbol s : active.values()) {
                    computeFreq(s);
                    if (best == null || better(s, best)) {
                        best = s;
                    }
                }
                if (best == null) {
                    break;
                }
                if (!seen.add(best.text())) {
                    cache.remove(best.fingerprint);
                    active.remove(best.serial);
                    continue;
                }
                pieces.add(best.text());
                for (long encoded : best.positions) {
                    int w = (int) (encoded >>> 32);
                    int left = (int) ((encoded >>> 16) & 0xffff);
                    int right = (int) (encoded & 0xffff);
                    if (symbols[w][left] == null) {
                        continue;                       // merged in this loop already ("aaa")
                    }
                    int next = nextIndex(w, right);
                    int prev = prevIndex(w, left);
                    resetFreq(w, prev, left, best);
                    resetFreq(w, right, next, best);
                    symbols[w][left] = best;
                    symbols[w][right] = null;
                    addNewPair(w, prev, left);
                    addNewPair(w, left, next);
                }
                cache.remove(best.fingerprint);
                active.remove(best.serial);
            }
            return pieces;
        }

        /** Higher frequency, then fewer characters, then the smaller text. */
        private static boolean better(Symbol s, Symbol best) {
            if (s.freq != best.freq) {
                return s.freq > best.freq;
            }
            if (s.chars.length != best.chars.length) {
                return s.chars.length < best.chars.length;
            }
            return SpmText.compare(s.chars, best.chars) < 0;
        }

        private Symbol charSymbol(int c) {
            Symbol s = cache.get((long) c);
            if (s == null) {
                s = new Symbol(null, null, new int[] {c}, c == SpmText.UNKNOWN_MARK, c, serials++,
                        requiredChars.getOrDefault(c, 1L));
                cache.put((long) c, s);
            }
            return s;
        }

        private Symbol pairSymbol(Symbol left, Symbol right) {
            if (left == null || right == null || left.unknown || right.unknown) {
                return null;
            }
            long fp = fingerprint(left.fingerprint, right.fingerprint);
            Symbol s = cache.get(fp);
            if (s != null) {
                return s;
            }
            int[] chars = new int[left.chars.length + right.chars.length];
            System.arraycopy(left.chars, 0, chars, 0, left.chars.length);
            System.arraycopy(right.chars, 0, chars, left.chars.length, right.chars.length);
            if (!validPiece(chars)) {
                return null;
            }
            s = new Symbol(left, right, chars, false, fp, serials++, 0);
            cache.put(fp, s);
            return s;
        }

        /** A 64-bit mix of the halves' fingerprints (a pair's identity is the pair of its halves). */
        private static long fingerprint(long left, long right) {
            long h = left * 0x9E3779B97F4A7C15L + 0x632BE59BD9B4E019L;
            h ^= Long.rotateLeft(right * 0xC2B2AE3D27D4EB4FL, 31);
            h ^= h >>> 33;
            h *= 0xFF51AFD7ED558CCDL;
            h ^= h >>> 33;
            return h | Long.MIN_VALUE;                  // never equal to a code point
        }

        /** Recounts a pair whose count was reset, dropping stale and overlapping occurrences. */
        private void computeFreq(Symbol symbol) {
            if (symbol.freq > 0) {
                return;
            }
            int prevWord = -1;
            int prevRight = 0;
            var it = symbol.positions.iterator();
            while (it.hasNext()) {
                long encoded = it.next();
                int w = (int) (encoded >>> 32);
                int left = (int) ((encoded >>> 16) & 0xffff);
                int right = (int) (encoded & 0xffff);
                if ((w == prevWord && left == prevRight) || symbol.left != symbols[w][left]
                        || symbol.right != symbols[w][right]) {
                    it.remove();
                    prevWord = -1;
                    prevRight = 0;
                } else {
                    symbol.freq += words.get(w).count;
                    prevWord = w;
                    prevRight = right;
                }
            }
        }

        private int nextIndex(int w, int index) {
            for (int i = index + 1; i < symbols[w].length; i++) {
                if (symbols[w][i] != null) {
                    return i;
                }
            }
            return -1;
        }

        private int prevIndex(int w, int index) {
            for (int i = index - 1; i >= 0; i--) {
                if (symbols[w][i] != null) {
                    return i;
                }
            }
            return -1;
        }

        private void addNewPair(int w, int left, int right) {
            if (left == -1 || right == -1) {
                return;
            }
            Symbol s = pairSymbol(symbols[w][left], symbols[w][right]);
            if (s != null) {
                active.put(s.serial, s);
                s.positions.add(((long) w << 32) | ((long) left << 16) | right);
            }
        }

        private void resetFreq(int w, int left, int right, Symbol best) {
            if (left == -1 || right == -1) {
                return;
            }
            Symbol s = pairSymbol(symbols[w][left], symbols[w][right]);
            if (s != null && s != best) {
                s.freq = 0;
            }
        }

        /** Keeps the 5% most frequent pairs (at least 1,000), SentencePiece's {@code UpdateActiveSymbols}. */
        private void refreshActive() {
            List<Symbol> pairs = new ArrayList<>();
            for (Symbol s : cache.values()) {
                if (s.isPair()) {
                    computeFreq(s);
                    pairs.add(s);
                }
            }
            int size = Math.min(Math.max(MIN_ACTIVE, (int) (cache.size() * ACTIVE_RATIO)), pairs.size());
            pairs.sort((a, b) -> {
                if (a.freq != b.freq) {
                    return Long.compare(b.freq, a.freq);
                }
                return better(a, b) ? -1 : better(b, a) ? 1 : Long.compare(a.serial, b.serial);
            });
            active.clear();
            for (Symbol s : pairs.subList(0, size)) {
                active.put(s.serial, s);
            }
        }
    }
}
