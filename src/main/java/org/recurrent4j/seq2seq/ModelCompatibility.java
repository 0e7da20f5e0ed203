package org.recurrent4j.seq2seq;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.recurrent4j.conf.graph.AttentionDecoderVertex;
import org.recurrent4j.data.vocab.Vocabulary;

/**
 * Whether two {@link Seq2SeqModel}s can be combined, each check refusing with an {@link IllegalArgumentException}
 * that names both models (by file when loaded from one) and the first difference, expected (the reference model's)
 * versus actual:
 * <ul>
 *   <li>{@link #requireSameInputsAndOutputs}: the same source and target vocabularies (the same words in the same
 *       order: id {@code i} means the same word in both) and the same source order ({@code reverseSource}), as an
 *       ensemble needs;</li>
 *   <li>{@link #requireSameLayout}: the same graph, vertex by vertex (layer type; the decoder's cell and attention),
 *       and the same parameters, name by name with their shapes, as averaging parameters needs.</li>
 * </ul>
 */
final class ModelCompatibility {
    private ModelCompatibility() {
    }

    /** @return how messages name the model at {@code index} (from 0) of a list: "model 2 (b.zip)" or "model 2" */
    static String name(Seq2SeqModel model, int index) {
        return "model " + (index + 1) + (model.file() == null ? "" : " (" + model.file() + ")");
    }

    /**
     * @param context   what combines the models, the start of the message (e.g. "Translator ensemble")
     * @param reference the model the others must match, named {@code referenceName}
     * @throws IllegalArgumentException naming the vocabulary and its first differing entry, or the source order
     */
    static void requireSameInputsAndOutputs(String context, Seq2SeqModel reference, String referenceName,
                                            Seq2SeqModel other, String otherName) {
        requireSameVocabulary(context, "source", reference.sourceVocabulary(), referenceName, other.sourceVocabulary(),
                otherName);
        requireSameVocabulary(context, "target", reference.targetVocabulary(), referenceName, other.targetVocabulary(),
                otherName);
        if (reference.reverseSource() != other.reverseSource()) {
            throw new IllegalArgumentException(context + ": " + otherName + " reads the source "
                    + order(other.reverseSource()) + ", expected " + order(reference.reverseSource()) + " as "
                    + referenceName);
        }
    }

    /**
     * @throws IllegalArgumentException naming the first vertex whose type differs, or the first parameter that is
     *                                  missing, extra or shaped differently
     */
    static void requireSameLayout(String context, Seq2SeqModel reference, String referenceName,
                                  Seq2SeqModel other, String otherName) {
        List<String> expected = vertices(reference);
        List<String> actual = vertices(other);
        int i = firstDifference(expected, actual);
        if (i >= 0) {
            throw new IllegalArgumentException(context + ": " + otherName + " has a different architecture: vertex "
                    + entry(actual, i) + ", expected " + entry(expected, i) + " as " + referenceName);
        }
        expected = parameters(reference);
        actual = parameters(other);
        i = firstDifference(expected, actual);
        if (i >= 0) {
            throw new IllegalArgumentException(context + ": " + otherName + " has a different architecture: parameter "
                    + entry(actual, i) + ", expected " + entry(expected, i) + " as " + referenceName);
        }
    }

    private static void requireSameVocabulary(String context, String side, Vocabulary expected, String referenceName,
                                              Vocabulary actual, String otherName) {
        int i = firstDifference(expected.tokens(), actual.tokens());
        if (i >= 0) {
            throw new IllegalArgumentException(context + ": " + otherName + " has a different " + side
                    + " vocabulary (" + actual.size() + " words) from " + referenceName + " (" + expected.size()
                    + " words): entry " + i + " is " + entry(actual.tokens(), i) + ", expected "
                    + entry(expected.tokens(), i) + "; the models of an ensemble or an average must share their "
                    + "vocabularies");
        }
    }

    /** @return per vertex of the graph configuration "name: type", in name order */
    private static List<String> vertices(Seq2SeqModel model) {
        List<String> out = new ArrayList<>();
        Map<String, GraphVertex> vertices = model.graph().getConfiguration().getVertices();
        vertices.keySet().stream().sorted().forEach(name -> out.add(name + ": " + type(vertices.get(name))));
        return out;
    }

    private static String type(GraphVertex v) {
        if (v instanceof LayerVertex layer) {
            return layer.getLayerConf().getLayer().getClass().getSimpleName();
        }
        if (v instanceof AttentionDecoderVertex d) {
            return v.getClass().getSimpleName() + " (" + d.getCell() + ", " + d.getAttention() + " attention)";
        }
        return v.getClass().getSimpleName();
    }

    /** @return per parameter "name [shape]", in the graph's order */
    private static List<String> parameters(Seq2SeqModel model) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, INDArray> p : model.graph().paramTable().entrySet()) {
            out.add(p.getKey() + " " + Arrays.toString(p.getValue().shape()));
        }
        return out;
    }

    /** @return the first index where the lists differ (one ending counts), or −1 if they are equal */
    private static int firstDifference(List<String> a, List<String> b) {
        int n = Math.min(a.size(), b.size());
        for (int i = 0; i < n; i++) {
            if (!a.get(i).equals(b.get(i))) {
                return i;
            }
        }
        return a.size() == b.size() ? -1 : n;
    }

    private static String entry(List<String> list, int i) {
        return i < list.size() ? "'" + list.get(i) + "'" : "none (only " + list.size() + ")";
    }

    private static String order(boolean reversed) {
        return reversed ? "reversed" : "in order";
    }
}
