package org.recurrent4j.seq2seq;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.recurrent4j.data.parallel.EncodedPair;
import org.recurrent4j.data.parallel.Seq2SeqIterator;
import org.recurrent4j.data.vocab.Vocabulary;

/**
 * Tiny translation models and an independent reference: sequence log-probabilities from the teacher-forced full
 * graph ({@code graph.output} over whole target sequences, double precision), not from the step-wise API.
 */
final class TranslatorFixtures {
    private TranslatorFixtures() {
    }

    static Vocabulary words(String prefix, int n) {
        List<String> w = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            w.add(prefix + i);
        }
        return Vocabulary.of(w);
    }

    /** A random-weight double-precision RNNsearch with tiny sizes. */
    static Seq2SeqModel randomModel(int sourceWords, int targetWords, boolean reverse, long seed) {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        return Seq2SeqBuilder.rnnSearch().embeddingSize(6).encoderSize(5).decoderSize(7).maxoutSize(4)
                .attentionSize(5).reverseSource(reverse).dataType(DataType.DOUBLE).seed(seed)
                .build(words("s", sourceWords), words("t", targetWords));
    }

    /**
     * A double-precision RNNsearch trained a few dozen steps on "translate s_i to t_i, reversed" (ids 4 … 4+n−1),
     * so that its distributions are far from uniform.
     */
    static Seq2SeqModel trainedReverser(int words, boolean reverseSource, int steps, long seed) {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        Seq2SeqModel model = Seq2SeqBuilder.rnnSearch().embeddingSize(8).encoderSize(8).decoderSize(10).maxoutSize(6)
                .attentionSize(8).reverseSource(reverseSource).dataType(DataType.DOUBLE).seed(seed)
                .updater(new Adam(0.02)).build(words("s", words), words("t", words));
        Random rnd = new Random(seed);
        for (int i = 0; i < steps; i++) {
            List<EncodedPair> pairs = new ArrayList<>();
            for (int b = 0; b < 16; b++) {
                int[] src = randomSentence(rnd, words, 2, 6);
                int[] tgt = new int[src.length];
                for (int t = 0; t < src.length; t++) {
                    tgt[t] = src[src.length - 1 - t];
                }
                if (reverseSource) {
                    reverse(src);
                }
                pairs.add(new EncodedPair(b, src, tgt));
            }
            model.graph().fit(Seq2SeqIterator.toMultiDataSet(pairs));
        }
        return model;
    }

    /**
     * @return a model sharing {@code model}'s graph whose target vocabulary has {@code word} in place of the word of
     *     id {@code id} (same size, one entry different)
     */
    static Seq2SeqModel withTargetWord(Seq2SeqModel model, int id, String word) {
        List<String> words = new ArrayList<>(model.targetVocabulary().tokens().subList(Vocabulary.SPECIALS.size(),
                model.targetVocabulary().size()));
        words.set(id - Vocabulary.SPECIALS.size(), word);
        return new Seq2SeqModel(model.graph(), model.sourceVocabulary(), Vocabulary.of(words), model.reverseSource(),
                model.properties());
    }

    static int[] randomSentence(Random rnd, int words, int minLength, int maxLength) {
        int[] s = new int[minLength + rnd.nextInt(maxLength - minLength + 1)];
        for (int t = 0; t < s.length; t++) {
            s[t] = Vocabulary.SPECIALS.size() + rnd.nextInt(words);
        }
        return s;
    }

    static List<String> tokens(Vocabulary v, int[] ids) {
        List<String> out = new ArrayList<>();
        for (int id : ids) {
            out.add(v.token(id));
        }
        return out;
    }

    static void reverse(int[] a) {
        for (int i = 0, j = a.length - 1; i < j; i++, j--) {
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /** Teacher-forced full-graph results for several targets of one source. */
    record Reference(double[] logProbability, double[][][] alignment) {
    }

    /**
     * @param source  source tokens in the original order
     * @param targets output ids without {@code </s>}
     * @return per target, log P(target </s> | source) from one teacher-forced pass of the whole graph, and the
     *     attention weights [n + 1][Tx] the decoder vertex recorded, columns in the original source order
     */
    static Reference reference(Seq2SeqModel model, List<String> source, List<int[]> targets) {
        int[] src = model.sourceVocabulary().encode(source);
        if (model.reverseSource()) {
            reverse(src);
        }
        List<EncodedPair> pairs = new ArrayList<>();
        for (int i = 0; i < targets.size(); i++) {
            pairs.add(new EncodedPair(i, src, targets.get(i)));
        }
        org.nd4j.linalg.dataset.api.MultiDataSet d = Seq2SeqIterator.toMultiDataSet(pairs);
        INDArray out = model.graph().output(false, d.getFeatures(), d.getFeaturesMaskArrays(),
                d.getLabelsMaskArrays())[0].castTo(DataType.DOUBLE);                  // [n, Vy, Ty]
        INDArray att = model.decoder().alignments();                                  // [n, Ty, Tx] or null
        double[] logP = new double[targets.size()];
        double[][][] alignment = new double[targets.size()][][];
        for (int i = 0; i < targets.size(); i++) {
            int[] y = targets.get(i);
            alignment[i] = new double[y.length + 1][src.length];
            for (int t = 0; t <= y.length; t++) {
                int label = t < y.length ? y[t] : Vocabulary.EOS_ID;
                logP[i] += Math.log(out.getDouble(i, label, t));
                for (int j = 0; att != null && j < src.length; j++) {
                    int original = model.reverseSource() ? src.length - 1 - j : j;
                    alignment[i][t][original] = att.getDouble(i, t, j);
                }
            }
        }
        return new Reference(logP, alignment);
    }

    static double[] referenceLogProbabilities(Seq2SeqModel model, List<String> source, List<int[]> targets) {
        return reference(model, source, targets).logProbability();
    }

    /** GNMT coverage Σ_j log(min(max(Σ_i α_ij, 1e-10), 1)), written out again for the reference scores. */
    static double referenceCoverage(double[][] alignment) {
        double sum = 0;
        for (int j = 0; j < alignment[0].length; j++) {
            double c = 0;
            for (double[] row : alignment) {
                c += row[j];
            }
            sum += Math.log(Math.min(Math.max(c, 1e-10), 1.0));
        }
        return sum;
    }

    /** @return every id sequence over {@code alphabet} of length 0 … maxLength */
    static List<int[]> allSequences(int[] alphabet, int maxLength) {
        List<int[]> out = new ArrayList<>();
        out.add(new int[0]);
        List<int[]> frontier = List.of(new int[0]);
        for (int len = 1; len <= maxLength; len++) {
            List<int[]> next = new ArrayList<>();
            for (int[] p : frontier) {
                for (int w : alphabet) {
                    int[] q = java.util.Arrays.copyOf(p, len);
                    q[len - 1] = w;
                    next.add(q);
                }
            }
            out.addAll(next);
            frontier = next;
        }
        return out;
    }

    /**
     * Greedy decoding with the full graph: at each step the whole prefix is fed teacher-forced and the most probable
     * allowed word of the last position is appended (never {@code <pad>}/{@code <s>}; {@code </s>} forced at
     * {@code maxLength} words).
     */
    static int[] referenceGreedy(Seq2SeqModel model, List<String> source, int maxLength) {
        int[] src = model.sourceVocabulary().encode(source);
        if (model.reverseSource()) {
            reverse(src);
        }
        List<Integer> y = new ArrayList<>();
        while (y.size() < maxLength) {
            int[] prefix = y.stream().mapToInt(Integer::intValue).toArray();
            org.nd4j.linalg.dataset.api.MultiDataSet d = Seq2SeqIterator.toMultiDataSet(
                    List.of(new EncodedPair(0, src, prefix)));
            INDArray out = model.graph().output(false, d.getFeatures(), d.getFeaturesMaskArrays(),
                    d.getLabelsMaskArrays())[0];                                       // [1, Vy, Ty]
            int t = prefix.length;
            int best = -1;
            for (int w = 0; w < out.size(1); w++) {
                if (w == Vocabulary.PAD_ID || w == Vocabulary.BOS_ID) {
                    continue;
                }
                if (best < 0 || out.getDouble(0, w, t) > out.getDouble(0, best, t)) {
                    best = w;
                }
            }
            if (best == Vocabulary.EOS_ID) {
                break;
            }
            y.add(best);
        }
        return y.stream().mapToInt(Integer::intValue).toArray();
    }
}
