package org.recurrent4j.seq2seq;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.recurrent4j.data.vocab.Vocabulary;
import org.recurrent4j.nn.decoder.DecoderState;
import org.recurrent4j.nn.engine.NativeGarbage;
import org.recurrent4j.nn.engine.Nd4jViews;
import org.recurrent4j.nn.decoder.Encoded;
import org.recurrent4j.nn.decoder.StepResult;
import org.recurrent4j.nn.graph.AttentionDecoderGraphVertex;

/**
 * Beam search over a batch of encoded sentences, all live hypotheses of all sentences advancing together through
 * one decoder step (one row each). Beam width 1 is greedy decoding.
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
 */
final class BeamSearch {
    private final AttentionDecoderGraphVertex decoder;
    private final OutputDistribution output;
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

    BeamSearch(Seq2SeqModel model, OutputDistribution output, int beamWidth, int minLength) {
        this.decoder = model.decoder();
        this.output = output;
        this.beamWidth = beamWidth;
        this.minLength = minLength;
    }

    /**
     * @param encoded       one row per sentence
     * @param sourceLengths the real source length of every sentence (alignments are cut to it)
     * @param maxLengths    per sentence, the most words (without {@code </s>}) a hypothesis may have
     * @return per sentence its finished hypotheses (ending in {@code </s>}), in the order they finished
     */
    List<List<Node>> search(Encoded encoded, int[] sourceLengths, int[] maxLengths) {
        int sentences = (int) encoded.size();
        List<List<Node>> finished = new ArrayList<>();
        List<Node> live = new ArrayList<>();                    // one per row
        List<Integer> liveSentence = new ArrayList<>();         // the sentence of each row
        for (int s = 0; s < sentences; s++) {
            finished.add(new ArrayList<>());
            live.add(new Node(null, Vocabulary.BOS_ID, 0.0, null));
            liveSentence.add(s);
        }
        Encoded rowsEncoded = encoded;
        long[] rowsSentences = new long[sentences];                                      // the sentence of each row
        Arrays.setAll(rowsSentences, i -> i);
        DecoderState state = encoded.initialState();
        int vocabulary = output.vocabularySize();
        while (!live.isEmpty()) {
            NativeGarbage.collectIfGrown();                      // every step leaves small ND4J arrays behind
            int rows = live.size();
            int[] previous = live.stream().mapToInt(n -> n.token).toArray();
            StepResult step = decoder.step(rowsEncoded, state, output.embed(previous));
            OutputDistribution.Step logP = output.logProbabilities(step.output());      // [rows, Vy]
            int k = Math.min(beamWidth, vocabulary);
            double[][] topLogP = new double[rows][];
            int[][] topIds = new int[rows][];
            double[] rowLogP = new double[vocabulary];
            for (int r = 0; r < rows; r++) {
                allowedLogProbabilities(logP, r, live.get(r).length, maxLengths[liveSentence.get(r)], rowLogP);
                topWords(rowLogP, k, topLogP[r] = new double[k], topIds[r] = new int[k]);
            }
            double[][] alignment = step.alignment() == null ? null : Nd4jViews.toDoubleRows(step.alignment());   // [rows, Tx]

            List<Node> nextLive = new ArrayList<>();
            List<Integer> nextSentence = new ArrayList<>();
            List<Long> parentRows = new ArrayList<>();
            int row = 0;
            while (row < rows) {
                int s = liveSentence.get(row);
                int end = row;
                while (end < rows && liveSentence.get(end) == s) {
                    end++;
                }
                List<Candidate> candidates = new ArrayList<>();
                for (int r = row; r < end; r++) {
                    for (int j = 0; j < k; j++) {
                        if (topLogP[r][j] != Double.NEGATIVE_INFINITY) {
                            candidates.add(new Candidate(r, topIds[r][j], live.get(r).logProbability + topLogP[r][j]));
                        }
                    }
                }
                candidates.sort(Comparator.comparingDouble(Candidate::logProbability).reversed()
                        .thenComparingInt(Candidate::row).thenComparingInt(Candidate::token));
                int keep = Math.min(beamWidth - finished.get(s).size(), candidates.size());
                for (Candidate c : candidates.subList(0, keep)) {
                    double[] a = alignment == null ? null : Arrays.copyOf(alignment[c.row()], sourceLengths[s]);
                    Node n = new Node(live.get(c.row()), c.token(), c.logProbability(), a);
                    if (c.token() == Vocabulary.EOS_ID) {
                        finished.get(s).add(n);
                    } else {
                        nextLive.add(n);
                        nextSentence.add(s);
                        parentRows.add((long) c.row());
                    }
                }
                row = end;
            }
            if (nextLive.isEmpty()) {
                break;
            }
            long[] parents = parentRows.stream().mapToLong(Long::longValue).toArray();
            long[] sentenceRows = nextSentence.stream().mapToLong(Integer::longValue).toArray();
            state = step.state().selectRows(parents);
            if (!Arrays.equals(sentenceRows, rowsSentences)) {
                // the rows change sentence only when hypotheses finish: select the encoding again only then
                rowsEncoded = encoded.selectRows(sentenceRows);
                rowsSentences = sentenceRows;
            }
            live = nextLive;
            liveSentence = nextSentence;
        }
        return finished;
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
    private void allowedLogProbabilities(OutputDistribution.Step logP, int r, int words, int maxLength, double[] out) {
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
