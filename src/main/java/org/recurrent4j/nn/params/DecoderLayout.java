package org.recurrent4j.nn.params;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.recurrent4j.compute.LstmKernel;
import org.recurrent4j.compute.attention.AdditiveScore;
import org.recurrent4j.compute.decoder.DecoderShape;

/**
 * The parameters of an attention decoder, in the order of its flat parameter view, and their initialisation:
 * <pre>
 *   W [e, G·n], b [1, G·n], RW [n, G·n], RB [1, G·n] (reset-after GRU)       the cell (G gate blocks)
 *   C [dh, G·n]                      Bahdanau ordering and fixed context: c_t enters the gates
 *   V [dh, dh]                       fixed context (attention NONE): c = tanh(h_T V)
 *   F [n, G·n]                       Luong input feeding: h̃_{t−1} enters the gates
 *   Wc [dh + n, n]                   Luong output h̃ = tanh([c; h] W_c)
 *   att…                             the score's parameters ({@link ScoreLayout}), prefixed "att"
 *   s0 [1, n] | Ws [dh/2, n], bs [1, n]   LEARNED | BACKWARD_FIRST_ANNOTATION initial state
 *   U [n + e + dh, 2l], bu [1, 2l]   deep (maxout) output
 * </pre>
 * Weights are Xavier-uniform (per gate block for W, C, F), biases 0 except the LSTM's forget gate, 1 (as DL4J's
 * {@code LSTM} default {@code forgetGateBiasInit}); the score initialises its own.
 *
 * @param shape the decoder's sizes and switches
 * @param cell  the recurrent cell (G gate blocks, n = {@code shape.nOut()})
 * @param score the attention score, or null without attention ({@link DecoderShape.Ordering#FIXED_CONTEXT})
 */
public record DecoderLayout(DecoderShape shape, CellLayout cell, ScoreLayout score) implements ParamLayout {
    public static final String W = "W";
    public static final String B = "b";
    public static final String RW = "RW";
    public static final String RB = "RB";
    public static final String CONTEXT_WEIGHTS = "C";
    public static final String RNNENC_V = "V";
    public static final String FEED_WEIGHTS = "F";
    public static final String LUONG_OUT = "Wc";
    public static final String INIT_WEIGHTS = "Ws";
    public static final String INIT_BIAS = "bs";
    public static final String LEARNED_INIT = "s0";
    public static final String DEEP_WEIGHTS = "U";
    public static final String DEEP_BIAS = "bu";
    /** Prefix of the attention score's parameter keys. */
    public static final String ATTENTION_PREFIX = "att";   // no "_": DL4J splits gradient keys at the last "_"

    /** @return the parameter keys and shapes, in flat-view order */
    @Override
    public LinkedHashMap<String, long[]> paramShapes() {
        long e = shape.embeddingSize();
        long dh = shape.annotationSize();
        long n = shape.nOut();
        long gn = (long) cell.gates() * n;
        boolean luong = shape.ordering() == DecoderShape.Ordering.LUONG;
        LinkedHashMap<String, long[]> m = new LinkedHashMap<>();
        m.put(W, new long[] {e, gn});
        m.put(B, new long[] {1, gn});
        m.put(RW, new long[] {n, gn});
        if (cell.hasRecurrentBias()) {
            m.put(RB, new long[] {1, gn});
        }
        if (!luong) {
            m.put(CONTEXT_WEIGHTS, new long[] {dh, gn});
        }
        if (shape.ordering() == DecoderShape.Ordering.FIXED_CONTEXT) {
            m.put(RNNENC_V, new long[] {dh, dh});
        }
        if (shape.feeding()) {
            m.put(FEED_WEIGHTS, new long[] {n, gn});
        }
        if (luong) {
            m.put(LUONG_OUT, new long[] {dh + n, n});
        }
        if (score != null) {
            score.paramShapes().forEach((k, s) -> m.put(ATTENTION_PREFIX + k, s));
        }
        switch (shape.initialState()) {
            case LEARNED -> m.put(LEARNED_INIT, new long[] {1, n});
            case BACKWARD_FIRST_ANNOTATION -> {
                m.put(INIT_WEIGHTS, new long[] {dh / 2, n});
                m.put(INIT_BIAS, new long[] {1, n});
            }
            case ZERO -> { }
        }
        if (shape.maxoutSize() > 0) {
            m.put(DEEP_WEIGHTS, new long[] {n + e + dh, 2 * shape.maxoutSize()});
            m.put(DEEP_BIAS, new long[] {1, 2 * shape.maxoutSize()});
        }
        return m;
    }

    /** @return whether a parameter key is a bias */
    @Override
    public boolean isBias(String key) {
        return key.equals(B) || key.equals(RB) || key.equals(INIT_BIAS) || key.equals(DEEP_BIAS)
                || key.equals(ATTENTION_PREFIX + AdditiveScore.BIAS);
    }

    /** @return the score's parameters (or gradients) under their own keys; the same views */
    public static Map<String, INDArray> scoreParams(Map<String, INDArray> p) {
        Map<String, INDArray> m = new LinkedHashMap<>();
        p.forEach((k, v) -> {
            if (k.startsWith(ATTENTION_PREFIX)) {
                m.put(k.substring(ATTENTION_PREFIX.length()), v);
            }
        });
        return m;
    }

    /** Initialises parameter views (see the class documentation). */
    @Override
    public void initParams(Map<String, INDArray> p) {
        long n = shape.nOut();
        int gates = cell.gates();
        long gn = (long) gates * n;
        for (Map.Entry<String, INDArray> en : p.entrySet()) {
            String k = en.getKey();
            INDArray v = en.getValue();
            if (k.startsWith(ATTENTION_PREFIX)) {
                continue;
            }
            if (isBias(k) || k.equals(LEARNED_INIT)) {
                v.assign(0);
            } else if (v.size(1) == gn) {
                for (int g = 0; g < gates; g++) {
                    ScoreLayout.xavier(v.get(all(), interval(g * n, (g + 1) * n)), v.size(0), n);
                }
            } else {
                ScoreLayout.xavier(v, v.size(0), v.size(1));
            }
        }
        if (cell.kind() == CellLayout.Kind.LSTM) {
            p.get(B).get(all(), interval(LstmKernel.FORGET_GATE * n, (LstmKernel.FORGET_GATE + 1) * n)).assign(1.0);
        }
        if (score != null) {
            score.initParams(scoreParams(p));
        }
    }
}
