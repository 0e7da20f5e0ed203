package org.recurrent4j.nn.params;

import java.util.LinkedHashMap;
import java.util.Map;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.recurrent4j.compute.ComputeEngine;
import org.recurrent4j.compute.attention.AdditiveScore;
import org.recurrent4j.compute.attention.DotScore;
import org.recurrent4j.compute.attention.ScaledScore;
import org.recurrent4j.compute.attention.ScoreFunction;
import org.recurrent4j.nn.attention.LuongScore;

/**
 * The parameters of an attention score, in the order of the flat parameter view, their initialisation, and the
 * engine's {@link ScoreFunction} that computes with them:
 * <pre>
 *   additive (Bahdanau; Luong concat without b):  Wq [dq, a], Wk [dk, a], b [1, a], v [a, 1], g [1, 1] (weight norm)
 *   dot (Luong):      nothing
 *   general (Luong):  W [dq, dk]
 *   scaled (Luong):   s [1, 1] after the score's own
 * </pre>
 * Weights are Xavier-uniform, biases 0, the gain and the scale 1.
 *
 * @param kind       the score function
 * @param querySize  dq
 * @param keySize    dk
 * @param attnSize   a, the additive score's hidden size (0 for the others)
 * @param bias       whether the additive score adds b
 * @param weightNorm whether the additive score's v is weight-normalised
 * @param scaled     whether the score is multiplied by a learned s
 */
public record ScoreLayout(Kind kind, long querySize, long keySize, long attnSize, boolean bias, boolean weightNorm,
                          boolean scaled) implements ParamLayout {

    /** The score functions. */
    public enum Kind { ADDITIVE, DOT, GENERAL }

    /** @return Bahdanau's additive score (with bias) */
    public static ScoreLayout bahdanau(long querySize, long keySize, long attnSize, boolean weightNorm) {
        return new ScoreLayout(Kind.ADDITIVE, querySize, keySize, attnSize, true, weightNorm, false);
    }

    /** @return one of Luong's scores ({@code concat} is the additive score without bias) */
    public static ScoreLayout luong(LuongScore.Type type, long querySize, long keySize, long attnSize, boolean scaled) {
        if (type == LuongScore.Type.DOT && querySize != keySize) {
            throw new IllegalArgumentException("LuongScore DOT: query size must equal key size; got query size "
                    + querySize + ", key size " + keySize + ". Use GENERAL or CONCAT for different sizes.");
        }
        Kind kind = switch (type) {
            case DOT -> Kind.DOT;
            case GENERAL -> Kind.GENERAL;
            case CONCAT -> Kind.ADDITIVE;
        };
        return new ScoreLayout(kind, querySize, keySize, type == LuongScore.Type.CONCAT ? attnSize : 0, false, false,
                scaled);
    }

    /** @return parameter key → shape, in the order of the flat parameter view */
    @Override
    public LinkedHashMap<String, long[]> paramShapes() {
        LinkedHashMap<String, long[]> m = new LinkedHashMap<>();
        switch (kind) {
            case ADDITIVE -> {
                m.put(AdditiveScore.QUERY_WEIGHTS, new long[] {querySize, attnSize});
                m.put(AdditiveScore.KEY_WEIGHTS, new long[] {keySize, attnSize});
                if (bias) {
                    m.put(AdditiveScore.BIAS, new long[] {1, attnSize});
                }
                m.put(AdditiveScore.V, new long[] {attnSize, 1});
                if (weightNorm) {
                    m.put(AdditiveScore.GAIN, new long[] {1, 1});
                }
            }
            case GENERAL -> m.put(DotScore.WEIGHTS, new long[] {querySize, keySize});
            case DOT -> { }
        }
        if (scaled) {
            m.put(ScaledScore.SCALE, new long[] {1, 1});
        }
        return m;
    }

    /** @return whether the parameter is a bias (no regularisation, bias updater) */
    @Override
    public boolean isBias(String key) {
        return kind == Kind.ADDITIVE && AdditiveScore.BIAS.equals(key);
    }

    /** Initialises the parameter views (weights Xavier-uniform, biases 0, gains and scales 1). */
    @Override
    public void initParams(Map<String, INDArray> p) {
        if (kind == Kind.ADDITIVE) {
            xavier(p.get(AdditiveScore.QUERY_WEIGHTS), querySize, attnSize);
            xavier(p.get(AdditiveScore.KEY_WEIGHTS), keySize, attnSize);
            xavier(p.get(AdditiveScore.V), attnSize, 1);
            if (bias) {
                p.get(AdditiveScore.BIAS).assign(0);
            }
            if (weightNorm) {
                p.get(AdditiveScore.GAIN).assign(1);
            }
        }
        if (kind == Kind.GENERAL) {
            xavier(p.get(DotScore.WEIGHTS), querySize, keySize);
        }
        if (scaled) {
            p.get(ScaledScore.SCALE).assign(1);
        }
    }

    /** @return the engine's implementation of this score */
    public ScoreFunction create(ComputeEngine engine) {
        ScoreFunction f = switch (kind) {
            case ADDITIVE -> new AdditiveScore(engine, attnSize, bias, weightNorm);
            case DOT -> new DotScore(engine, querySize, keySize, false);
            case GENERAL -> new DotScore(engine, querySize, keySize, true);
        };
        return scaled ? new ScaledScore(engine, f) : f;
    }

    /** Xavier-uniform initialisation of a [fanIn, fanOut] weight view. */
    static void xavier(INDArray view, long fanIn, long fanOut) {
        view.assign(WeightInit.XAVIER_UNIFORM.getWeightInitFunction().init(fanIn, fanOut, view.shape(), 'c',
                view.ulike()));
    }
}
