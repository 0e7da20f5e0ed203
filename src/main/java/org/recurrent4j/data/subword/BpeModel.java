package org.recurrent4j.data.subword;

import org.recurrent4j.data.vocab.Vocabulary;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * A byte-pair-encoding model: the ordered pieces of SentencePiece's BPE (without its meta pieces), piece i having
 * score -i. {@link #segment} cuts words into pieces as SentencePiece's {@code bpe::Model::Encode} does: each word
 * becomes "▁" followed by its characters, then, repeatedly, the adjacent pair whose concatenation is the piece of
 * highest score is merged (ties: the leftmost pair), until no adjacent pair forms a piece. A character that is not a
 * piece stays a piece of its own (the model's vocabulary reads it as {@code <unk>}). {@link #join} is the inverse:
 * pieces are concatenated and split at "▁", so {@code join(segment(words))} equals {@code words} for words without
 * "▁" (U+2581).
 *
 * <p>The model is its piece list: {@link #vocabulary()} is the translation model's vocabulary with the pieces at
 * ids 4, 5, ... in this order, and {@link BpeModelFile} stores it in SentencePiece's {@code .vocab} format.
 */
public final class BpeModel {
    /** The word-boundary mark that starts every word's first piece. */
    public static final String WORD_START = SpmText.WORD_BOUNDARY_STRING;

    private final List<String> pieces;
    private final Map<String, Integer> rank;

    /** @param pieces pieces in score order (merges first, then characters), without {@code <unk> <s> </s>} */
    public BpeModel(List<String> pieces) {
        this.pieces = List.copyOf(pieces);
        this.rank = new HashMap<>(pieces.size() * 2);
        for (int i = 0; i < pieces.size(); i++) {
            String p = pieces.get(i);
            if (p.isEmpty() || Vocabulary.SPECIALS.contains(p) || rank.putIfAbsent(p, i) != null) {
                throw new IllegalArgumentException("BpeModel: piece " + i + " '" + p
                        + "' is empty, a special token or a repeat; expected distinct pieces");
            }
        }
    }

    /** @return the pieces in score order */
    public List<String> pieces() {
        return pieces;
    }

    /** @return SentencePiece's vocabulary size of this model: the pieces plus {@code <unk> <s> </s>} */
    public int size() {
        return pieces.size() + BpeTrainer.META_PIECES;
    }

    /** @return the translation model's vocabulary: the four specials, then the pieces in score order */
    public Vocabulary vocabulary() {
        return Vocabulary.of(pieces);
    }

    /** @return the pieces of {@code words}, each word's first piece starting with "▁" */
    public List<String> segment(List<String> words) {
        List<String> out = new ArrayList<>(words.size() * 2);
        for (String w : words) {
            if (!w.isEmpty()) {
                segmentWord(w, out);
            }
        }
        return out;
    }

    /** @return the words of {@code pieces}: concatenated, split before each "▁" (empty words dropped) */
    public static List<String> join(List<String> pieces) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        for (String piece : pieces) {
            int from = 0;
            int mark;
            while ((mark = piece.indexOf(WORD_START, from)) >= 0) {
                word.append(piece, from, mark);
                if (!word.isEmpty()) {
                    words.add(word.toString());
                }
                word.setLength(0);
                from = mark + WORD_START.length();
            }
            word.append(piece, from, piece.length());
        }
        if (!word.isEmpty()) {
            words.add(word.toString());
        }
        return words;
    }

    /** One word: "▁" + its characters, merged by score, SentencePiece's agenda. */
    private void segmentWord(String word, List<String> out) {
        int[] cps = (WORD_START + word).codePoints().toArray();
        int n = cps.length;
        int[] start = new int[n];                      // symbol i covers code points [start[i], end[i])
        int[] end = new int[n];
        int[] prev = new int[n];
        int[] next = new int[n];
        for (int i = 0; i < n; i++) {
            start[i] = i;
            end[i] = i + 1;
            prev[i] = i - 1;
            next[i] = i + 1 < n ? i + 1 : -1;
        }
        // candidate merges: [left, right, rank, length]; best = lowest rank, then leftmost
        PriorityQueue<int[]> agenda = new PriorityQueue<>((a, b) -> a[2] != b[2] ? Integer.compare(a[2], b[2])
                : Integer.compare(a[0], b[0]));
        for (int i = 1; i < n; i++) {
            offer(agenda, cps, start, end, i - 1, i);
        }
        while (!agenda.isEmpty()) {
            int[] top = agenda.poll();
            int l = top[0];
            int r = top[1];
            int lengthL = end[l] - start[l];
            int lengthR = end[r] - start[r];
            if (lengthL == 0 || lengthR == 0 || lengthL + lengthR != top[3]) {
                continue;                              // stale: one side has changed since it was offered
            }
            end[l] = end[r];
            next[l] = next[r];
            if (next[r] >= 0) {
                prev[next[r]] = l;
            }
            start[r] = end[r];                         // empty
            if (prev[l] >= 0) {
                offer(agenda, cps, start, end, prev[l], l);
            }
            if (next[l] >= 0) {
                offer(agenda, cps, start, end, l, next[l]);
            }
        }
        for (int i = 0; i != -1; i = next[i]) {
            out.add(new String(cps, start[i], end[i] - start[i]));
        }
    }

    private void offer(PriorityQueue<int[]> agenda, int[] cps, int[] start, int[] end, int l, int r) {
        String merged = new String(cps, start[l], end[r] - start[l]);
        Integer k = rank.get(merged);
        if (k != null) {
            agenda.add(new int[] {l, r, k, end[r] - start[l]});
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BpeModel m && m.pieces.equals(pieces);
    }

    @Override
    public int hashCode() {
        return pieces.hashCode();
    }
}
