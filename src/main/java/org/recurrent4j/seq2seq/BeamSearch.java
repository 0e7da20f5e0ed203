package org.recurrent4j.seq2seq;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.recurrent4j.data.vocab.Vocabulary;

/**
 * Beam search over a batch of sentences, all live hypotheses of all sentences advancing together through one
 * {@link StepModel} step (one row each). Beam width 1 is greedy decoding.
 *
 * <p>The search of Bahdanau et al. (2014) (GroundHog's): each sentence has a budget of {@code K} hypotheses. At
 * every step, each live hypothesis is extended by every allowed word; of all extensions of a sentence the
 * {@code K − finished} with the highest log-probability are kept. Those ending in {@code </s>} are finished (set
 * aside, shrinking the live beam), the others stay live. A sentence is done when nothing is live, so it ends with
 * exactly {@code K} finished hypotheses (fewer only when fewer sequences exist). Pruning uses the log-probability;
 * length and coverage penalties only rank the finished hypotheses ({@link Translator}).
 *
 * <p>Allowed words: never {@code <pad>} or {@code <s>}; {@code </s>} only after {@code minLength} words; after
 * {@code maxLength} words only {@code </s>}. The distribution is not renormalised over the allowed words, so
 * every log-probability is the model's.
 *
 * <p>Each step: the model scores every live row ({@link StepModel#step}); the best allowed words of each row are
 * found by a primitive top-k heap ({@link #topWords}); each sentence's extensions are pruned to its remaining
 * budget; those ending in {@code </s>} are finished, the others become the next live rows, whose model state is
 * gathered by row index in one call ({@link StepModel#selectRows}).
 */
final class BeamSearch {
    private final StepModel model;
    private final int beamWidth;
    private final int minLength;

    /** A hypothesis as a node of the prefix tree (finished nodes end with {@code </s>}). */
    static final class Node {
        final Node parent;
        final int token;
        /** log-probability of the words from the root to this node inclusive */
        final double logProbability;
        /** the attention weights of the step that predicted {@code token}, model order, [Tx real] (null for NONE) */
        final double[] alignment;
        /** words after {@code <s>}, this one included */
        final int length;

        Node(Node parent, int token, double logProbability, double[] alignment) {
            this.parent = parent;
            this.token = token;
            this.logProbability = logProbability;
            this.alignment = alignment;
            this.length = parent == null ? 0 : parent.length + 1;
        }

        /** @return the predicted ids from the first word to this node's (inclusive) */
        int[] ids() {
            int[] out = new int[length];
            for (Node n = this; n.parent != null; n = n.parent) {
                out[n.length - 1] = n.token;
            }
            return out;
        }

        /** @return copies of the per-step alignments, first word first (rows of zero length for NONE) */
        double[][] alignments() {
            double[][] out = new double[length][];
            for (Node n = this; n.parent != null; n = n.parent) {
                out[n.length - 1] = n.alignment == null ? new double[0] : n.alignment.clone();   // prefixes are shared
            }
            return out;
        }
    }

    /** A candidate extension of a live row. */
    private record Candidate(int row, int token, double logProbability) {
    }

    /** The live hypotheses of one step, one per row, rows of a sentence next to each other. */
    private static final class LiveRows {
        final List<Node> nodes = new ArrayList<>();
        final List<Integer> sentences = new ArrayList<>();
        /** per row, the row of the previous step it continues */
        final List<Long> parentRows = new ArrayList<>();

        static LiveRows onePerSentence(int sentences) {
            LiveRows rows = new LiveRows();
            for (int s = 0; s < sentences; s++) {
                rows.add(new Node(null, Vocabulary.BOS_ID, 0.0, null), s, s);
            }
            return rows;
        }

        void add(Node node, int sentence, long parentRow) {
            nodes.add(node);
            sentences.add(sentence);
            parentRows.add(parentRow);
        }

        int size() {
            return nodes.size();
        }

        /** @return the row after the last row of the sentence that row {@code first} belongs to */
        int endOfSentence(int first) {
            int end = first;
            while (end < size() && sentences.get(end).equals(sentences.get(first))) {
                end++;
            }
            return end;
        }

        int[] lastTokens() {
            return nodes.stream().mapToInt(n -> n.token).toArray();
        }

        long[] parentRows() {
            return parentRows.stream().mapToLong(Long::longValue).toArray();
        }

        long[] sentenceRows() {
            return sentences.stream().mapToLong(Integer::longValue).toArray();
        }
    }

    /** The {@code k} best allowed words of every row of one step, best first (−∞ where fewer are allowed). */
    private record BestWords(double[][] logProbabilities, int[][] ids) {
    }

    BeamSearch(StepModel model, int beamWidth, int minLength) {
        this.model = model;
        this.beamWidth = beamWidth;
        this.minLength = minLength;
    }

    /**
     * @param sourceIds     per sentence its source ids in the order the model reads them; none empty
     * @param sourceLengths the real source length of every sentence (alignments are cut to it)
     * @param maxLengths    per sentence, the most words (without {@code </s>}) a hypothesis may have
     * @return per sentence its finished hypotheses (ending in {@code </s>}), in the order they finished
     */
    List<List<Node>> search(List<int[]> sourceIds, int[] sourceLengths, int[] maxLengths) {
        model.encode(sourceIds);
        List<List<Node>> finished = new ArrayList<>();
        for (int s = 0; s < sourceIds.size(); s++) {
            finished.add(new ArrayList<>());
        }
        int k = Math.min(beamWidth, model.vocabularySize());
        double[] rowLogP = new double[model.vocabularySize()];
        LiveRows live = LiveRows.onePerSentence(sourceIds.size());
        while (live.size() > 0) {
            StepModel.Step step = model.step(live.lastTokens());
            BestWords best = bestAllowedWords(step, live, maxLengths, k, rowLogP);
            LiveRows next = new LiveRows();
            for (int first = 0; first < live.size(); ) {
                int end = live.endOfSentence(first);
                int s = live.sentences.get(first);
                List<Candidate> kept = bestCandidates(expand(live, best, first, end), beamWidth - finished.get(s).size());
                finishOrContinue(kept, live, step.alignment(), s, sourceLengths[s], finished.get(s), next);
                first = end;
            }
            if (next.size() == 0) {
                break;
            }
            model.selectRows(next.parentRows(), next.sentenceRows());
            live = next;
        }
        return finished;
    }

    /** @return the {@code k} best allowed next words of every live row ({@code rowLogP}: a buffer of Vy values) */
    private BestWords bestAllowedWords(StepModel.Step step, LiveRows live, int[] maxLengths, int k, double[] rowLogP) {
        int rows = live.size();
        double[][] topLogP = new double[rows][];
        int[][] topIds = new int[rows][];
        for (int r = 0; r < rows; r++) {
            allowedLogProbabilities(step, r, live.nodes.get(r).length, maxLengths[live.sentences.get(r)], rowLogP);
            topWords(rowLogP, k, topLogP[r] = new double[k], topIds[r] = new int[k]);
        }
        return new BestWords(topLogP, topIds);
    }

    /** @return every allowed extension of the live rows {@code first … end − 1} (one sentence) by its best words */
    private static List<Candidate> expand(LiveRows live, BestWords best, int first, int end) {
        List<Candidate> candidates = new ArrayList<>();
        for (int r = first; r < end; r++) {
            double prefix = live.nodes.get(r).logProbability;
            for (int j = 0; j < best.ids()[r].length; j++) {
                double logP = best.logProbabilities()[r][j];
                if (logP != Double.NEGATIVE_INFINITY) {
                    candidates.add(new Candidate(r, best.ids()[r][j], prefix + logP));
                }
            }
        }
        return candidates;
    }

    /**
     * @return the {@code budget} most probable candidates of one sentence, most probable first (ties: lower row,
     *     then lower word id)
     */
    private static List<Candidate> bestCandidates(List<Candidate> candidates, int budget) {
        candidates.sort(Comparator.comparingDouble(Candidate::logProbability).reversed()
                .thenComparingInt(Candidate::row).thenComparingInt(Candidate::token));
        return candidates.subList(0, Math.min(budget, candidates.size()));
    }

    /**
     * Turns the kept candidates of sentence {@code s} into hypotheses: those ending in {@code </s>} go to
     * {@code finished}, the others become rows of {@code next}.
     */
    private static void finishOrContinue(List<Candidate> kept, LiveRows live, double[][] alignment, int s,
                                         int sourceLength, List<Node> finished, LiveRows next) {
        for (Candidate c : kept) {
            double[] a = alignment == null ? null : Arrays.copyOf(alignment[c.row()], sourceLength);
            Node n = new Node(live.nodes.get(c.row()), c.token(), c.logProbability(), a);
            if (c.token() == Vocabulary.EOS_ID) {
                finished.add(n);
            } else {
                next.add(n, s, c.row());
            }
        }
    }

    /**
     * The {@code k} largest values of a row, largest first (equal values: lower id first), by one pass with a
     * k-element min-heap of word ids (primitive arrays: no boxing, nothing allocated per word): O(V log k).
     * (libnd4j's top_k took minutes on [32, 10000] rows in 1.0.0-M2.1, and ND4J's TopK class passes k in the wrong
     * integer argument.)
     */
    static void topWords(double[] row, int k, double[] values, int[] ids) {
        int[] heap = new int[k];                                 // heap[0]: the worst word kept
        int size = 0;
        for (int w = 0; w < row.length; w++) {
            if (size < k) {
                heap[size] = w;
                siftUp(row, heap, size++);
            } else if (row[w] > row[heap[0]]) {
                heap[0] = w;
                siftDown(row, heap, size);
            }
        }
        for (int i = size - 1; i >= 0; i--) {                    // pop the worst first: fill from the end
            values[i] = row[heap[0]];
            ids[i] = heap[0];
            heap[0] = heap[--size];
            siftDown(row, heap, size);
        }
    }

    /** @return whether word a ranks below word b: a smaller value, or an equal value and a larger id */
    private static boolean worse(double[] row, int a, int b) {
        return row[a] != row[b] ? row[a] < row[b] : a > b;
    }

    private static void siftUp(double[] row, int[] heap, int i) {
        while (i > 0) {
            int parent = (i - 1) / 2;
            if (!worse(row, heap[i], heap[parent])) {
                return;
            }
            int t = heap[i];
            heap[i] = heap[parent];
            heap[parent] = t;
            i = parent;
        }
    }

    private static void siftDown(double[] row, int[] heap, int size) {
        int i = 0;
        while (true) {
            int least = i;
            int left = 2 * i + 1;
            int right = left + 1;
            if (left < size && worse(row, heap[left], heap[least])) {
                least = left;
            }
            if (right < size && worse(row, heap[right], heap[least])) {
                least = right;
            }
            if (least == i) {
                return;
            }
            int t = heap[i];
            heap[i] = heap[least];
            heap[least] = t;
            i = least;
        }
    }

    /**
     * Fills {@code out} with row r's log-probabilities, −∞ for the words the row may not produce now (the others keep
     * the model's values): never {@code <pad>} or {@code <s>}; after {@code maxLength} words only {@code </s>}; before
     * {@code minLength} words not {@code </s>}.
     */
    private void allowedLogProbabilities(StepModel.Step logP, int r, int words, int maxLength, double[] out) {
        if (words >= maxLength) {
            Arrays.fill(out, Double.NEGATIVE_INFINITY);
            out[Vocabulary.EOS_ID] = logP.logProbability(r, Vocabulary.EOS_ID);
            return;
        }
        for (int w = 0; w < out.length; w++) {
            out[w] = logP.logProbability(r, w);
        }
        out[Vocabulary.PAD_ID] = Double.NEGATIVE_INFINITY;
        out[Vocabulary.BOS_ID] = Double.NEGATIVE_INFINITY;
        if (words < minLength) {
            out[Vocabulary.EOS_ID] = Double.NEGATIVE_INFINITY;
        }
    }
}
