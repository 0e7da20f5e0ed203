package org.recurrent4j.nn.params;

import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The parameters of an attention decoder whose target embeddings and output projection are one matrix (Press &amp;
 * Wolf 2017, "Using the Output Embedding to Improve Language Models"): the decoder's own ({@link DecoderLayout}), then
 * <pre>
 *   E  [Vy, e]    the target embeddings: row w is the input of a step after word w, and the output weights of word w
 *   bo [1, Vy]    the output bias: logits z_t = o_t Eᵀ + bo, o_t the decoder's step output (size e)
 * </pre>
 * E is Xavier-uniform over (Vy, e), as the decoder's other weights are; bo starts at 0.
 *
 * @param decoder        the decoder's own parameters (its output size must equal e)
 * @param vocabularySize Vy, the number of target words
 */
public record TiedDecoderLayout(DecoderLayout decoder, long vocabularySize) implements ParamLayout {
    /** the tied target-embedding / output-weight matrix E [Vy, e] */
    public static final String EMBEDDINGS = "E";
    /** the output bias bo [1, Vy] */
    public static final String OUTPUT_BIAS = "bo";

    /** @return the decoder's parameters, then E and bo */
    @Override
    public LinkedHashMap<String, long[]> paramShapes() {
        LinkedHashMap<String, long[]> m = decoder.paramShapes();
        m.put(EMBEDDINGS, new long[] {vocabularySize, decoder.shape().embeddingSize()});
        m.put(OUTPUT_BIAS, new long[] {1, vocabularySize});
        return m;
    }

    @Override
    public boolean isBias(String key) {
        return key.equals(OUTPUT_BIAS) || decoder.isBias(key);
    }

    /** @return the decoder's own parameters (or gradients) of a map of this layout's views; the same views */
    public static Map<String, INDArray> decoderParams(Map<String, INDArray> p) {
        Map<String, INDArray> m = new LinkedHashMap<>(p);
        m.remove(EMBEDDINGS);
        m.remove(OUTPUT_BIAS);
        return m;
    }

    @Override
    public void initParams(Map<String, INDArray> p) {
        decoder.initParams(decoderParams(p));
        ScoreLayout.xavier(p.get(EMBEDDINGS), vocabularySize, decoder.shape().embeddingSize());
        p.get(OUTPUT_BIAS).assign(0);
    }
}
