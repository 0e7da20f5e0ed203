package org.recurrent4j.nn.decoder;

import org.recurrent4j.nn.RecurrentTestSupport;
import static org.junit.jupiter.api.Assertions.*;
import static org.recurrent4j.nn.RecurrentTestSupport.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.recurrent4j.conf.graph.AttentionDecoderVertex;
import org.recurrent4j.conf.graph.AttentionDecoderVertex.Attention;
import org.recurrent4j.conf.graph.AttentionDecoderVertex.Cell;
import org.recurrent4j.conf.graph.AttentionDecoderVertex.InitialState;
import org.recurrent4j.nn.decoder.DecoderState;
import org.recurrent4j.nn.decoder.Encoded;
import org.recurrent4j.nn.decoder.StepResult;
import org.recurrent4j.nn.graph.AttentionDecoderGraphVertex;

/**
 * The attention decoder vertex: gradient checks (double) for every cell, attention, ordering, input feeding, initial
 * state and output, with source and target masks of unequal lengths; step-wise decoding against the full pass; masking
 * invariance; all-padded sources; bad input.
 */
public class AttentionDecoderTest {
    static final long MB = 3;
    static final long E = 3;
    static final long DH = 4;
    static final long N = 4;
    static final long TY = 4;
    static final long TX = 5;
    static final long CLASSES = 3;

    static AttentionDecoderVertex.Builder base() {
        return new AttentionDecoderVertex.Builder().embeddingSize(E).annotationSize(DH).nOut(N).attentionSize(3);
    }

    /** Every attention, ordering, feeding, initial state and output with the GRU; the other cells on a cross-section. */
    public static Stream<Arguments> variants() {
        List<Arguments> a = new ArrayList<>();
        a.add(Arguments.of("GRU BAHDANAU", base().build()));
        a.add(Arguments.of("GRU BAHDANAU hidden recomputed", base().keepAttentionHidden(false).build()));
        a.add(Arguments.of("GRU BAHDANAU wn deep backwardInit", base().weightNorm(true).maxoutSize(2)
                .initialState(InitialState.BACKWARD_FIRST_ANNOTATION).build()));
        a.add(Arguments.of("GRU NONE learnedInit", base().attention(Attention.NONE).initialState(InitialState.LEARNED).build()));
        a.add(Arguments.of("GRU NONE deep", base().attention(Attention.NONE).maxoutSize(3).build()));
        for (Attention at : new Attention[] {Attention.LUONG_DOT, Attention.LUONG_GENERAL, Attention.LUONG_CONCAT}) {
            for (boolean feed : new boolean[] {true, false}) {
                a.add(Arguments.of("GRU " + at + " feeding=" + feed, base().attention(at).inputFeeding(feed).scaled(feed).build()));
            }
        }
        a.add(Arguments.of("GRU LUONG_GENERAL learnedInit", base().attention(Attention.LUONG_GENERAL)
                .initialState(InitialState.LEARNED).build()));
        a.add(Arguments.of("GRU LUONG_DOT backwardInit", base().attention(Attention.LUONG_DOT)
                .initialState(InitialState.BACKWARD_FIRST_ANNOTATION).build()));
        for (Cell c : new Cell[] {Cell.GRU, Cell.ELMAN, Cell.LSTM}) {
            boolean resetAfter = c == Cell.GRU;
            String cn = resetAfter ? "GRU-resetAfter" : c.toString();
            a.add(Arguments.of(cn + " BAHDANAU deep backwardInit", base().cell(c).resetAfter(resetAfter).maxoutSize(2)
                    .initialState(InitialState.BACKWARD_FIRST_ANNOTATION).build()));
            a.add(Arguments.of(cn + " NONE", base().cell(c).resetAfter(resetAfter).attention(Attention.NONE).build()));
            a.add(Arguments.of(cn + " LUONG_GENERAL feeding", base().cell(c).resetAfter(resetAfter)
                    .attention(Attention.LUONG_GENERAL).build()));
            a.add(Arguments.of(cn + " LUONG_CONCAT no feeding", base().cell(c).resetAfter(resetAfter)
                    .attention(Attention.LUONG_CONCAT).inputFeeding(false).build()));
        }
        a.add(Arguments.of("LSTM BAHDANAU learnedInit", base().cell(Cell.LSTM).initialState(InitialState.LEARNED).build()));
        return a.stream();
    }

    public static ComputationGraph graph(AttentionDecoderVertex v, long seed) {
        return graph(v, doubleBase(seed));
    }

    /** The decoder vertex on inputs y [mb, E, Ty] and h [mb, DH, Tx], a softmax output on top; initialised. */
    static ComputationGraph graph(AttentionDecoderVertex v, NeuralNetConfiguration.Builder base) {
        ComputationGraphConfiguration conf = base.graphBuilder()
                .addInputs("y", "h").setInputTypes(InputType.recurrent(E), InputType.recurrent(DH))
                .addVertex("dec", v, "y", "h")
                .addLayer("out", new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX)
                        .nIn(v.outputSize()).nOut(CLASSES).build(), "dec")
                .setOutputs("out").build();
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        return g;
    }

    public static INDArray[] inputs(long seed) {
        return new INDArray[] {features(MB, E, TY, RNNFormat.NCW, seed), features(MB, DH, TX, RNNFormat.NCW, seed + 1)};
    }

    public static INDArray targetMask() {
        return rightPaddedMask(TY, 4, 2, 3);
    }

    public static INDArray sourceMask() {
        return rightPaddedMask(TX, 3, 5, 2);
    }

    static AttentionDecoderGraphVertex vertex(ComputationGraph g) {
        return (AttentionDecoderGraphVertex) g.getVertex("dec");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void gradientCheckWithUnequalMasks(String name, AttentionDecoderVertex v) {
        ComputationGraph g = graph(v, 5);
        assertTrue(GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(g).inputs(inputs(1))
                .labels(new INDArray[] {labels(MB, CLASSES, TY, RNNFormat.NCW, 2)})
                .inputMask(new INDArray[] {targetMask(), sourceMask()}).labelMask(new INDArray[] {targetMask()})
                .subset(true).maxPerParam(4)), name);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void stepwiseTeacherForcingReproducesFullPass(String name, AttentionDecoderVertex v) {
        ComputationGraph g = graph(v, 6);
        INDArray[] in = inputs(3);
        g.setLayerMaskArrays(new INDArray[] {null, sourceMask()}, null);
        INDArray full = g.feedForward(in, false).get("dec");                             // [mb, out, Ty]
        AttentionDecoderGraphVertex dec = vertex(g);
        INDArray fullAlign = dec.alignments();
        Encoded enc = dec.encode(in[1], sourceMask());
        DecoderState s = dec.initialState(enc);
        for (long t = 0; t < TY; t++) {
            StepResult r = dec.step(enc, s, in[0].get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(t)));
            assertArrayClose(full.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(t)), r.output(), 1e-12, name + " t=" + t);
            if (fullAlign != null) {
                assertArrayClose(fullAlign.get(NDArrayIndex.all(), NDArrayIndex.point(t), NDArrayIndex.all()), r.alignment(), 1e-12, name);
            }
            s = r.state();
        }
        // beams: tiling rows reproduces each source row's step
        long[] tiled = {0, 0, 1, 1, 2, 2};
        Encoded encT = enc.selectRows(tiled);
        StepResult rt = dec.step(encT, dec.initialState(encT), in[0].get(NDArrayIndex.indices(tiled), NDArrayIndex.all(),
                NDArrayIndex.point(0)));
        for (int row = 0; row < tiled.length; row++) {
            assertArrayClose(full.get(NDArrayIndex.point(tiled[row]), NDArrayIndex.all(), NDArrayIndex.point(0)),
                    rt.output().getRow(row), 1e-12, name + " tiled row " + row);
        }
    }

    /** Beam search reorders rows mid-sentence: every part of the state (h, h̃, the LSTM memory) must follow its row. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void reorderedStateMidSequenceReproducesFullPass(String name, AttentionDecoderVertex v) {
        ComputationGraph g = graph(v, 6);
        g.params().addi(Nd4j.randn(g.params().dataType(), g.params().shape()).muli(0.3));
        INDArray[] in = inputs(3);
        g.setLayerMaskArrays(new INDArray[] {null, sourceMask()}, null);
        INDArray full = g.feedForward(in, false).get("dec");                             // [mb, out, Ty]
        AttentionDecoderGraphVertex dec = vertex(g);
        Encoded enc = dec.encode(in[1], sourceMask());
        DecoderState s = dec.initialState(enc);
        for (long t = 0; t < 2; t++) {
            s = dec.step(enc, s, in[0].get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(t))).state();
        }
        long[] order = {2, 0, 1, 2};
        Encoded encR = enc.selectRows(order);
        DecoderState sR = s.selectRows(order);
        for (long t = 2; t < TY; t++) {
            StepResult r = dec.step(encR, sR, in[0].get(NDArrayIndex.indices(order), NDArrayIndex.all(), NDArrayIndex.point(t)));
            for (int row = 0; row < order.length; row++) {
                assertArrayClose(full.get(NDArrayIndex.point(order[row]), NDArrayIndex.all(), NDArrayIndex.point(t)),
                        r.output().getRow(row), 1e-12, name + " reordered row " + row + " t=" + t);
            }
            sR = r.state();
        }
    }

    static void assertArrayClose(INDArray expected, INDArray actual, double tol, String msg) {
        assertArrayEquals(expected.shape(), actual.shape(), msg);
        double diff = expected.sub(actual).amaxNumber().doubleValue();
        assertTrue(diff <= tol, msg + ": max |difference| " + diff);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void paddedSourceContentChangesNothing(String name, AttentionDecoderVertex v) {
        ComputationGraph g = graph(v, 8);
        INDArray[] in = inputs(4);
        INDArray sm = sourceMask();
        INDArray h2 = in[1].dup();
        for (int b = 0; b < MB; b++) {
            for (int j = 0; j < TX; j++) {
                if (sm.getDouble(b, j) == 0) {
                    for (int d = 0; d < DH; d++) {
                        h2.putScalar(b, d, j, 100.0 * (d + 1) - 7 * j);
                    }
                }
            }
        }
        INDArray labels = labels(MB, CLASSES, TY, RNNFormat.NCW, 2);
        INDArray[] masks = {targetMask(), sm};
        RecurrentTestSupport.computeGradientAndScore(g, new MultiDataSet(in, new INDArray[] {labels}, masks,
                new INDArray[] {targetMask()}));
        INDArray grad = g.gradient().gradient().dup();
        double score = g.score();
        RecurrentTestSupport.computeGradientAndScore(g, new MultiDataSet(new INDArray[] {in[0], h2},
                new INDArray[] {labels}, masks, new INDArray[] {targetMask()}));
        assertEquals(score, g.score(), 1e-12, name);
        assertArrayClose(grad, g.gradient().gradient(), 1e-12, name);
    }

    @Test
    void allPaddedSourceRowIsFiniteAndAttendsNothing() {
        for (AttentionDecoderVertex v : new AttentionDecoderVertex[] {base().build(),
                base().attention(Attention.LUONG_GENERAL).build(), base().attention(Attention.NONE).build()}) {
            ComputationGraph g = graph(v, 9);
            INDArray[] in = inputs(5);
            INDArray sm = rightPaddedMask(TX, 5, 0, 2);
            INDArray labels = labels(MB, CLASSES, TY, RNNFormat.NCW, 2);
            RecurrentTestSupport.computeGradientAndScore(g, new MultiDataSet(in, new INDArray[] {labels},
                    new INDArray[] {null, sm}, null));
            assertFalse(Double.isNaN(g.score()));
            assertFalse(g.gradient().gradient().isNaN().any(), v.getAttention().toString());
            INDArray align = vertex(g).alignments();
            if (align != null) {
                assertEquals(0.0, align.get(NDArrayIndex.point(1)).amaxNumber().doubleValue(), 0.0);
                assertEquals(TY, align.get(NDArrayIndex.point(0)).sumNumber().doubleValue(), 1e-9);
            }
        }
    }

    @Test
    void badInputIsReportedWithVertexArgumentAndShapes() {
        ComputationGraph g = graph(base().build(), 10);
        INDArray y = Nd4j.rand(DataType.DOUBLE, MB, E, TY);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> g.output(y, Nd4j.rand(DataType.DOUBLE, MB, DH + 2, TX)));
        assertTrue(e.getMessage().contains("AttentionDecoderVertex 'dec'") && e.getMessage().contains("'annotations'")
                && e.getMessage().contains("size=" + DH) && e.getMessage().contains("[3, 6, 5]"), e.getMessage());
        IllegalArgumentException b = assertThrows(IllegalArgumentException.class,
                () -> g.output(y, Nd4j.rand(DataType.DOUBLE, MB + 1, DH, TX)));
        assertTrue(b.getMessage().contains("minibatch=3"), b.getMessage());
        g.setLayerMaskArrays(new INDArray[] {null, Nd4j.ones(DataType.DOUBLE, MB, TX - 1)}, null);
        IllegalArgumentException m = assertThrows(IllegalArgumentException.class,
                () -> g.feedForward(new INDArray[] {y, Nd4j.rand(DataType.DOUBLE, MB, DH, TX)}, false));
        assertTrue(m.getMessage().contains("mask of 'annotations'") && m.getMessage().contains("[3, 5]")
                && m.getMessage().contains("[3, 4]"), m.getMessage());
        IllegalArgumentException dot = assertThrows(IllegalArgumentException.class,
                () -> base().annotationSize(6).attention(Attention.LUONG_DOT).build());
        assertTrue(dot.getMessage().contains("annotationSize 6, nOut 4"), dot.getMessage());
        IllegalArgumentException deep = assertThrows(IllegalArgumentException.class,
                () -> base().attention(Attention.LUONG_GENERAL).maxoutSize(2).build());
        assertTrue(deep.getMessage().contains("maxoutSize"), deep.getMessage());
        AttentionDecoderGraphVertex dec = vertex(g);
        Encoded enc = dec.encode(Nd4j.rand(DataType.DOUBLE, MB, DH, TX), null);
        IllegalArgumentException step = assertThrows(IllegalArgumentException.class,
                () -> dec.step(enc, enc.initialState(), Nd4j.rand(DataType.DOUBLE, MB, E + 1)));
        assertTrue(step.getMessage().contains("e=" + E), step.getMessage());
    }

    /** The kept arrays belong to the latest training forward pass: backward through an older one runs it again. */
    @Test
    void backwardThroughAnOlderForwardPassIsExact() {
        AttentionDecoderVertex v = base().build();
        ComputationGraph g = graph(v, 13);
        Map<String, INDArray> p = params(g);
        org.recurrent4j.nn.decoder.AttentionDecoder dec = v.createDecoder();
        INDArray[] a = inputs(21);
        INDArray[] b = inputs(22);
        INDArray dOut = Nd4j.rand(DataType.DOUBLE, MB, N, TY);
        Map<String, INDArray> expected = zerosLike(p);
        dec.backward(p, dec.forward(p, a[0], targetMask(), a[1], sourceMask(), true), dOut, expected);
        org.recurrent4j.nn.decoder.AttentionDecoder.Forward older = dec.forward(p, a[0], targetMask(), a[1], sourceMask(), true);
        dec.forward(p, b[0], null, b[1], null, true);                                  // reuses the kept arrays
        Map<String, INDArray> actual = zerosLike(p);
        dec.backward(p, older, dOut, actual);
        for (String k : p.keySet()) {
            assertArrayClose(expected.get(k), actual.get(k), 1e-12, k);
        }
    }

    private static Map<String, INDArray> zerosLike(Map<String, INDArray> p) {
        Map<String, INDArray> m = new java.util.LinkedHashMap<>();
        p.forEach((k, v) -> m.put(k, Nd4j.create(v.dataType(), v.shape(), 'f')));     // 'f' like the graph's gradient views
        return m;
    }

    @Test
    void targetLongerThanMaxTargetLengthIsRefused() {
        ComputationGraph g = graph(base().maxTargetLength(TY).build(), 11);
        INDArray h = Nd4j.rand(DataType.DOUBLE, MB, DH, TX);
        assertEquals(TY, g.output(Nd4j.rand(DataType.DOUBLE, MB, E, TY), h)[0].size(2), "Ty = maxTargetLength is allowed");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> g.output(Nd4j.rand(DataType.DOUBLE, MB, E, TY + 1), h));
        assertTrue(e.getMessage().contains("AttentionDecoderVertex 'dec'") && e.getMessage().contains("'embeddings'")
                && e.getMessage().contains("has " + (TY + 1) + " time steps") && e.getMessage().contains("maxTargetLength = " + TY),
                e.getMessage());
        // the default has no limit
        assertEquals(3 * TY, graph(base().build(), 11).output(Nd4j.rand(DataType.DOUBLE, MB, E, 3 * TY), h)[0].size(2));
        IllegalArgumentException neg = assertThrows(IllegalArgumentException.class, () -> base().maxTargetLength(-1).build());
        assertTrue(neg.getMessage().contains("maxTargetLength must be ≥ 0") && neg.getMessage().contains("-1"), neg.getMessage());
    }

    @Test
    void emptySequencesAreRefused() {
        ComputationGraph g = graph(base().build(), 12);
        IllegalArgumentException y = assertThrows(IllegalArgumentException.class,
                () -> g.output(Nd4j.rand(DataType.DOUBLE, MB, E, 0), Nd4j.rand(DataType.DOUBLE, MB, DH, TX)));
        assertTrue(y.getMessage().contains("'embeddings' needs at least 1 time step") && y.getMessage().contains("[3, 3, 0]"),
                y.getMessage());
        IllegalArgumentException h = assertThrows(IllegalArgumentException.class,
                () -> vertex(g).encode(Nd4j.rand(DataType.DOUBLE, MB, DH, 0), null));
        assertTrue(h.getMessage().contains("'annotations' needs at least 1 time step"), h.getMessage());
    }

    @Test
    void jsonRoundTrip() {
        AttentionDecoderVertex v = base().attention(Attention.LUONG_CONCAT).scaled(true).inputFeeding(false)
                .initialState(InitialState.LEARNED).cell(Cell.GRU).resetAfter(true).maxTargetLength(50)
                .keepAttentionHidden(false).build();
        ComputationGraphConfiguration conf = graph(v, 1).getConfiguration();
        ComputationGraphConfiguration back = ComputationGraphConfiguration.fromJson(conf.toJson());
        assertEquals(conf, back);
        assertEquals(v, back.getVertices().get("dec"));
        assertEquals(v, v.clone());
        assertEquals(50, ((AttentionDecoderVertex) back.getVertices().get("dec")).getMaxTargetLength());
        assertFalse(((AttentionDecoderVertex) back.getVertices().get("dec")).isKeepAttentionHidden());
        assertNotEquals(v, base().attention(Attention.LUONG_CONCAT).scaled(true).inputFeeding(false)
                .initialState(InitialState.LEARNED).cell(Cell.GRU).resetAfter(true).build());
        AttentionDecoderVertex lstm = base().cell(Cell.LSTM).build();
        assertEquals(lstm, ComputationGraphConfiguration.fromJson(graph(lstm, 1).getConfiguration().toJson())
                .getVertices().get("dec"));
    }

    @Test
    void trainsWithFitAndSurvivesModelSerializer(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        AttentionDecoderVertex v = base().attention(Attention.LUONG_GENERAL).initialState(InitialState.LEARNED).build();
        ComputationGraph g = graph(v, doubleBase(3).updater(new org.nd4j.linalg.learning.config.Adam(0.05)));
        INDArray[] masks = {targetMask(), sourceMask()};
        MultiDataSet data = new MultiDataSet(inputs(7), new INDArray[] {labels(MB, CLASSES, TY, RNNFormat.NCW, 2)}, masks,
                new INDArray[] {targetMask()});
        INDArray before = g.getVertex("dec").params().dup();
        RecurrentTestSupport.computeGradientAndScore(g, data);
        double scoreBefore = g.score();
        for (int i = 0; i < 40; i++) {
            g.fit(data);
        }
        RecurrentTestSupport.computeGradientAndScore(g, data);
        assertTrue(g.score() < 0.7 * scoreBefore, "score " + scoreBefore + " -> " + g.score());
        assertNotEquals(before, g.getVertex("dec").params(), "the graph's updater must update the decoder's parameters");
        java.io.File f = dir.resolve("dec.zip").toFile();
        org.deeplearning4j.util.ModelSerializer.writeModel(g, f, true);
        ComputationGraph r = org.deeplearning4j.util.ModelSerializer.restoreComputationGraph(f, true);
        assertEquals(g.params(), r.params());
        g.setLayerMaskArrays(masks, null);
        r.setLayerMaskArrays(masks, null);
        assertEquals(g.outputSingle(data.getFeatures()), r.outputSingle(data.getFeatures()));
        Encoded a = vertex(g).encode(data.getFeatures(1), sourceMask());
        Encoded b = vertex(r).encode(data.getFeatures(1), sourceMask());
        INDArray y0 = data.getFeatures(0).get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(0));
        assertEquals(vertex(g).step(a, a.initialState(), y0).output(), vertex(r).step(b, b.initialState(), y0).output());
    }

    static Map<String, INDArray> params(ComputationGraph g) {
        return g.getVertex("dec").paramTable(false);
    }
}
