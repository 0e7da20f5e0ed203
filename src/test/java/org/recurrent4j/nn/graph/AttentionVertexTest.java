package org.recurrent4j.nn.graph;

import org.recurrent4j.nn.RecurrentTestSupport;
import static org.junit.jupiter.api.Assertions.*;
import static org.recurrent4j.nn.RecurrentTestSupport.*;

import java.io.File;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.recurrent4j.conf.graph.AttentionVertexConf;
import org.recurrent4j.conf.graph.BahdanauAttentionVertex;
import org.recurrent4j.conf.graph.LuongAttentionVertex;
import org.recurrent4j.nn.attention.LuongScore;
import org.recurrent4j.nn.graph.AttentionGraphVertex;

/**
 * Bahdanau and Luong attention vertices: gradient checks (double) with query and memory masks of unequal lengths,
 * forward values against a naive double-loop implementation, masking invariance, all-padded rows, bad input,
 * training with fit, JSON and ModelSerializer round trips.
 */
public class AttentionVertexTest {
    private static final long MB = 3;
    private static final long DQ = 3;
    private static final long DK = 4;
    private static final long DV = 2;
    private static final long TQ = 4;
    private static final long TK = 5;
    private static final long CLASSES = 3;

    public static Stream<Arguments> vertices() {
        return Stream.of(
                Arguments.of("bahdanau", new BahdanauAttentionVertex.Builder().querySize(DQ).keySize(DK).attentionSize(3).build()),
                Arguments.of("bahdanau-wn-values", new BahdanauAttentionVertex.Builder().querySize(DQ).keySize(DK)
                        .attentionSize(3).weightNorm(true).valueSize(DV).build()),
                Arguments.of("luong-dot", new LuongAttentionVertex.Builder().score(LuongScore.Type.DOT).querySize(DK).keySize(DK).build()),
                Arguments.of("luong-dot-scaled-values", new LuongAttentionVertex.Builder().score(LuongScore.Type.DOT)
                        .querySize(DK).keySize(DK).scaled(true).valueSize(DV).build()),
                Arguments.of("luong-general", new LuongAttentionVertex.Builder().score(LuongScore.Type.GENERAL).querySize(DQ).keySize(DK).build()),
                Arguments.of("luong-general-scaled", new LuongAttentionVertex.Builder().score(LuongScore.Type.GENERAL)
                        .querySize(DQ).keySize(DK).scaled(true).build()),
                Arguments.of("luong-concat", new LuongAttentionVertex.Builder().score(LuongScore.Type.CONCAT)
                        .querySize(DQ).keySize(DK).attentionSize(3).scaled(true).build()));
    }

    public static ComputationGraph graph(AttentionVertexConf v) {
        ComputationGraphConfiguration.GraphBuilder b = doubleBase(7).graphBuilder();
        if (v.separateValues()) {
            b.addInputs("q", "m", "v").setInputTypes(InputType.recurrent(v.getQuerySize()), InputType.recurrent(v.getKeySize()),
                    InputType.recurrent(v.getValueSize()));
            b.addVertex("attn", v, "q", "m", "v");
        } else {
            b.addInputs("q", "m").setInputTypes(InputType.recurrent(v.getQuerySize()), InputType.recurrent(v.getKeySize()));
            b.addVertex("attn", v, "q", "m");
        }
        b.addLayer("out", new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX)
                .nIn(v.contextSize()).nOut(CLASSES).build(), "attn").setOutputs("out");
        ComputationGraph g = new ComputationGraph(b.build());
        g.init();
        return g;
    }

    public static INDArray[] inputs(AttentionVertexConf v, long seed) {
        INDArray q = features(MB, v.getQuerySize(), TQ, org.deeplearning4j.nn.conf.RNNFormat.NCW, seed);
        INDArray m = features(MB, v.getKeySize(), TK, org.deeplearning4j.nn.conf.RNNFormat.NCW, seed + 1);
        return v.separateValues() ? new INDArray[] {q, m, features(MB, DV, TK, org.deeplearning4j.nn.conf.RNNFormat.NCW, seed + 2)}
                : new INDArray[] {q, m};
    }

    public static INDArray[] masks(AttentionVertexConf v) {
        INDArray qm = rightPaddedMask(TQ, 4, 2, 3);
        INDArray mm = rightPaddedMask(TK, 5, 3, 2);
        return v.separateValues() ? new INDArray[] {qm, mm, mm} : new INDArray[] {qm, mm};
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vertices")
    void gradientCheckWithMasks(String name, AttentionVertexConf v) {
        ComputationGraph g = graph(v);
        INDArray[] masks = masks(v);
        assertTrue(GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(g).inputs(inputs(v, 1))
                .labels(new INDArray[] {labels(MB, CLASSES, TQ, org.deeplearning4j.nn.conf.RNNFormat.NCW, 3)})
                .inputMask(masks).labelMask(new INDArray[] {masks[0]})), name);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vertices")
    void forwardMatchesNaiveLoops(String name, AttentionVertexConf v) {
        ComputationGraph g = graph(v);
        INDArray[] in = inputs(v, 11);
        INDArray[] masks = masks(v);
        g.setLayerMaskArrays(masks, null);
        INDArray out = g.feedForward(in, false).get("attn");                         // [mb, dv, Tq]
        Map<String, INDArray> p = g.getVertex("attn").paramTable(false);
        INDArray values = v.separateValues() ? in[2] : in[1];
        for (int b = 0; b < MB; b++) {
            for (int i = 0; i < TQ; i++) {
                double[] e = new double[(int) TK];
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < TK; j++) {
                    e[j] = naiveScore(v, p, in[0], in[1], b, i, j);
                    if (masks[1].getDouble(b, j) > 0) {
                        max = Math.max(max, e[j]);
                    }
                }
                double sum = 0;
                for (int j = 0; j < TK; j++) {
                    e[j] = masks[1].getDouble(b, j) > 0 ? Math.exp(e[j] - max) : 0;
                    sum += e[j];
                }
                for (int d = 0; d < v.contextSize(); d++) {
                    double c = 0;
                    for (int j = 0; j < TK; j++) {
                        c += e[j] / sum * values.getDouble(b, d, j);
                    }
                    c *= masks[0].getDouble(b, i);
                    assertEquals(c, out.getDouble(b, d, i), 1e-10, name + " b=" + b + " i=" + i + " d=" + d);
                }
            }
        }
    }

    private static double naiveScore(AttentionVertexConf v, Map<String, INDArray> p, INDArray q, INDArray k,
                                     int b, int i, int j) {
        long dq = v.getQuerySize();
        long dk = v.getKeySize();
        double scale = p.containsKey("s") ? p.get("s").getDouble(0) : 1.0;
        if (v instanceof LuongAttentionVertex l && l.getScore() != LuongScore.Type.CONCAT) {
            double e = 0;
            for (int x = 0; x < dq; x++) {
                for (int y = 0; y < dk; y++) {
                    double w = l.getScore() == LuongScore.Type.DOT ? (x == y ? 1 : 0) : p.get("W").getDouble(x, y);
                    e += q.getDouble(b, x, i) * w * k.getDouble(b, y, j);
                }
            }
            return scale * e;
        }
        INDArray vv = p.get("v");
        double norm = vv.norm2Number().doubleValue();
        double gain = p.containsKey("g") ? p.get("g").getDouble(0) / norm : 1.0;
        double e = 0;
        for (int a = 0; a < vv.size(0); a++) {
            double pre = p.containsKey("b") ? p.get("b").getDouble(0, a) : 0;
            for (int x = 0; x < dq; x++) {
                pre += p.get("Wq").getDouble(x, a) * q.getDouble(b, x, i);
            }
            for (int y = 0; y < dk; y++) {
                pre += p.get("Wk").getDouble(y, a) * k.getDouble(b, y, j);
            }
            e += gain * vv.getDouble(a, 0) * Math.tanh(pre);
        }
        return scale * e;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vertices")
    void paddedMemoryContentChangesNothing(String name, AttentionVertexConf v) {
        ComputationGraph g = graph(v);
        INDArray[] in = inputs(v, 21);
        INDArray[] masks = masks(v);
        INDArray[] changed = new INDArray[in.length];
        for (int x = 0; x < in.length; x++) {
            changed[x] = in[x].dup();
        }
        for (int x = 1; x < in.length; x++) {             // memory and values: overwrite padded positions
            for (int b = 0; b < MB; b++) {
                for (int j = 0; j < TK; j++) {
                    if (masks[1].getDouble(b, j) == 0) {
                        for (int d = 0; d < changed[x].size(1); d++) {
                            changed[x].putScalar(b, d, j, 1000.0 * (d + 1));
                        }
                    }
                }
            }
        }
        INDArray labels = labels(MB, CLASSES, TQ, org.deeplearning4j.nn.conf.RNNFormat.NCW, 3);
        MultiDataSet a = new MultiDataSet(in, new INDArray[] {labels}, masks, new INDArray[] {masks[0]});
        MultiDataSet c = new MultiDataSet(changed, new INDArray[] {labels}, masks, new INDArray[] {masks[0]});
        computeGradientAndScore(g, a);
        INDArray gradA = g.gradient().gradient().dup();
        double scoreA = g.score();
        computeGradientAndScore(g, c);
        assertEquals(scoreA, g.score(), 1e-12, name);
        assertEquals(gradA, g.gradient().gradient(), name);
    }

    @Test
    void allPaddedMemoryRowGivesZeroContextAndFiniteGradients() {
        AttentionVertexConf v = new BahdanauAttentionVertex.Builder().querySize(DQ).keySize(DK).attentionSize(3).build();
        ComputationGraph g = graph(v);
        INDArray[] in = inputs(v, 31);
        INDArray qm = Nd4j.ones(DataType.DOUBLE, MB, TQ);
        INDArray mm = rightPaddedMask(TK, 5, 0, 2);
        g.setLayerMaskArrays(new INDArray[] {qm, mm}, null);
        INDArray out = g.feedForward(in, false).get("attn");
        assertEquals(0.0, out.get(org.nd4j.linalg.indexing.NDArrayIndex.point(1)).amaxNumber().doubleValue(), 0.0);
        INDArray alignments = ((AttentionGraphVertex) g.getVertex("attn")).alignments();
        assertEquals(0.0, alignments.get(org.nd4j.linalg.indexing.NDArrayIndex.point(1)).amaxNumber().doubleValue(), 0.0);
        assertEquals(1.0, alignments.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0)).sum(1).minNumber().doubleValue(), 1e-12);
        computeGradientAndScore(g, new MultiDataSet(in, new INDArray[] {labels(MB, CLASSES, TQ,
                org.deeplearning4j.nn.conf.RNNFormat.NCW, 3)}, new INDArray[] {qm, mm}, null));
        assertFalse(g.gradient().gradient().isNaN().any());
        assertFalse(Double.isNaN(g.score()));
    }

    @Test
    void badInputNamesVertexArgumentAndShapes() {
        AttentionVertexConf v = new LuongAttentionVertex.Builder().querySize(DQ).keySize(DK).build();
        ComputationGraph g = graph(v);
        INDArray q = Nd4j.rand(DataType.DOUBLE, MB, DQ, TQ);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> g.output(q, Nd4j.rand(DataType.DOUBLE, MB, DK + 1, TK)));
        assertTrue(e.getMessage().contains("LuongAttentionVertex 'attn'") && e.getMessage().contains("memory")
                && e.getMessage().contains("size=" + DK) && e.getMessage().contains("[3, 5, 5]"), e.getMessage());
        g.setLayerMaskArrays(new INDArray[] {null, Nd4j.ones(DataType.DOUBLE, MB, TK + 1)}, null);
        IllegalArgumentException m = assertThrows(IllegalArgumentException.class,
                () -> g.feedForward(new INDArray[] {q, Nd4j.rand(DataType.DOUBLE, MB, DK, TK)}, false));
        assertTrue(m.getMessage().contains("mask of 'memory'") && m.getMessage().contains("[3, 6]"), m.getMessage());
        IllegalArgumentException dot = assertThrows(IllegalArgumentException.class,
                () -> new LuongAttentionVertex.Builder().score(LuongScore.Type.DOT).querySize(3).keySize(4).build());
        assertTrue(dot.getMessage().contains("query size 3, key size 4"), dot.getMessage());
    }

    @Test
    void trainsWithFitAndSurvivesJsonAndModelSerializer(@TempDir Path dir) throws Exception {
        AttentionVertexConf v = new BahdanauAttentionVertex.Builder().querySize(DQ).keySize(DK).attentionSize(3)
                .weightNorm(true).build();
        ComputationGraphConfiguration.GraphBuilder b = doubleBase(7).updater(new Adam(0.05)).graphBuilder()
                .addInputs("q", "m").setInputTypes(InputType.recurrent(DQ), InputType.recurrent(DK))
                .addVertex("attn", v, "q", "m")
                .addLayer("out", new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX)
                        .nIn(DK).nOut(CLASSES).build(), "attn").setOutputs("out");
        ComputationGraphConfiguration conf = b.build();
        assertEquals(conf, ComputationGraphConfiguration.fromJson(conf.toJson()));
        GraphVertex restoredVertex = ComputationGraphConfiguration.fromJson(conf.toJson()).getVertices().get("attn");
        assertEquals(v, restoredVertex);
        assertEquals(v, v.clone());
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        INDArray[] in = inputs(v, 41);
        INDArray[] masks = masks(v);
        MultiDataSet data = new MultiDataSet(in, new INDArray[] {labels(MB, CLASSES, TQ,
                org.deeplearning4j.nn.conf.RNNFormat.NCW, 3)}, masks, new INDArray[] {masks[0]});
        INDArray attnBefore = g.getVertex("attn").params().dup();
        computeGradientAndScore(g, data);
        double before = g.score();
        for (int i = 0; i < 60; i++) {
            g.fit(data);
        }
        computeGradientAndScore(g, data);
        assertTrue(g.score() < 0.7 * before, "score " + before + " -> " + g.score());
        assertNotEquals(attnBefore, g.getVertex("attn").params(), "the graph's updater must update vertex params");

        File f = dir.resolve("attn.zip").toFile();
        ModelSerializer.writeModel(g, f, true);
        ComputationGraph r = ModelSerializer.restoreComputationGraph(f, true);
        assertEquals(g.params(), r.params());
        assertEquals(g.getUpdater().getStateViewArray(), r.getUpdater().getStateViewArray());
        g.setLayerMaskArrays(masks, null);
        r.setLayerMaskArrays(masks, null);
        assertEquals(g.outputSingle(in), r.outputSingle(in));
        r.fit(data);   // continues training after restore
    }
}
