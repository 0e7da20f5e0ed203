package org.recurrent4j.seq2seq;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.recurrent4j.data.parallel.EncodedPair;
import org.recurrent4j.data.parallel.Seq2SeqIterator;
import org.recurrent4j.data.vocab.Vocabulary;

/** The generated task of the learning checks: reverse random strings of {@code words} tokens. */
public final class ReversalTask {
    private ReversalTask() {
    }

    /** Words w0 … w(n−1) after the specials; both sides use the same vocabulary. */
    public static Vocabulary vocabulary(int words) {
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < words; i++) {
            tokens.add("w" + i);
        }
        return Vocabulary.of(tokens);
    }

    /** {@code n} pairs (source, reversed source), lengths uniform in [minLength, maxLength]. */
    public static List<EncodedPair> pairs(Random random, int n, int words, int minLength, int maxLength) {
        List<EncodedPair> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int length = minLength + random.nextInt(maxLength - minLength + 1);
            int[] source = new int[length];
            int[] target = new int[length];
            for (int t = 0; t < length; t++) {
                source[t] = Vocabulary.SPECIALS.size() + random.nextInt(words);
            }
            for (int t = 0; t < length; t++) {
                target[t] = source[length - 1 - t];
            }
            out.add(new EncodedPair(i, source, target));
        }
        return out;
    }

    /**
     * Per pair, whether the model's argmax under teacher forcing is right at every target position (all words and
     * {@code </s>}). This is exactly whether greedy decoding reproduces the target: greedy feeds its own argmax,
     * which equals the gold prefix as long as every earlier argmax was right.
     */
    static boolean[] teacherForcedExact(Seq2SeqModel model, List<EncodedPair> pairs, int batchSize) {
        boolean[] exact = new boolean[pairs.size()];
        for (int start = 0; start < pairs.size(); start += batchSize) {
            List<EncodedPair> part = pairs.subList(start, Math.min(pairs.size(), start + batchSize));
            MultiDataSet batch = Seq2SeqIterator.toMultiDataSet(part);
            INDArray out = model.graph().output(false, batch.getFeatures(), batch.getFeaturesMaskArrays(),
                    batch.getLabelsMaskArrays())[0];                                  // [mb, V, Ty]
            long[][] predicted = out.argMax(1).toLongMatrix();                        // [mb, Ty]
            for (int r = 0; r < part.size(); r++) {
                int[] target = part.get(r).target();
                boolean ok = predicted[r][target.length] == Vocabulary.EOS_ID;
                for (int t = 0; t < target.length && ok; t++) {
                    ok = predicted[r][t] == target[t];
                }
                exact[start + r] = ok;
            }
        }
        return exact;
    }
}
