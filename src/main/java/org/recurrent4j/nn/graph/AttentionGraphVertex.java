package org.recurrent4j.nn.graph;

import java.util.LinkedHashMap;
import java.util.Map;
import org.deeplearning4j.nn.api.TrainingConfig;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.recurrent4j.compute.ComputeEngine;
import org.recurrent4j.compute.Matrix;
import org.recurrent4j.compute.attention.Attention;
import org.recurrent4j.compute.attention.Memory;
import org.recurrent4j.nn.engine.Engines;
import org.recurrent4j.nn.engine.Nd4jViews;
import org.recurrent4j.nn.params.ScoreLayout;

/**
 * The implementation of {@code conf.graph.BahdanauAttentionVertex} and {@code conf.graph.LuongAttentionVertex}: the
 * engine's {@link Attention} once per query position.
 * Inside, queries, keys, values, weights and contexts are c-order [mb, T, size] arrays, whose rows for one position are
 * an engine matrix with a stride.
 */
public class AttentionGraphVertex extends ParameterizedGraphVertex {
    private final ScoreLayout score;
    private final long valueSize;
    private final ComputeEngine engine;
    private final Attention attention;
    private Pass last;
    private INDArray alignments;

    /** What the forward pass keeps for the backward pass. */
    private static final class Pass {
        INDArray[] inputs;
        INDArray queries;      // [mb, Tq, dq] c
        INDArray keys;         // [mb, Tk, dk] c
        INDArray values;       // [mb, Tk, dv] c (the keys array when values = keys)
        INDArray projected;    // [mb, Tk, a] c, or the keys (scores without a projection)
        INDArray memoryMask;   // [mb, Tk] c, or null
        INDArray alphas;       // [mb, Tq, Tk] c
        INDArray queryMask;    // [mb, Tq] c, or null
        Memory memory;
        INDArray contextsForOutput;   // [mb, Tq, dv] c
    }

    /**
     * @param config    the vertex configuration, as the training settings of its parameters
     * @param score     the score function (and with it dq and dk)
     * @param valueSize dv of a separate third input {@code values}, or 0 when values = keys
     */
    public AttentionGraphVertex(TrainingConfig config, ScoreLayout score, long valueSize, ComputationGraph graph,
                                String name, int index, INDArray paramsView, boolean initializeParams,
                                DataType dataType) {
        super(config, score, graph, name, index, paramsView, initializeParams, dataType);
        this.score = score;
        this.valueSize = valueSize;
        this.engine = Engines.current();
        this.attention = new Attention(engine, score.create(engine));
    }

    private boolean separateValues() {
        return valueSize > 0;
    }

    /** @return dv, the size of a context */
    private long contextSize() {
        return separateValues() ? valueSize : score.keySize();
    }

    /** @return the attention weights of the last forward pass [mb, Tq, Tk], or null before the first */
    public INDArray alignments() {
        return alignments;
    }

    @Override
    protected INDArray forwardOutsideWorkspaces(boolean training) {
        Pass p = forward();
        alignments = p.alphas;
        last = training ? p : null;
        return contexts(p);
    }

    private static INDArray nwc(INDArray ncw, DataType type) {
        return ncw.castTo(type).permute(0, 2, 1).dup('c');                                // [mb, T, size]
    }

    private Map<String, Matrix> engineParams(Map<String, INDArray> p) {
        Map<String, Matrix> m = new LinkedHashMap<>();
        p.forEach((k, v) -> m.put(k, Nd4jViews.matrix(v)));
        return m;
    }

    private Pass forward() {
        String id = describe();
        INDArray q = inputs[0];
        INDArray mem = inputs[1];
        VertexChecks.sequence(q, id, "queries", score.querySize(), -1, -1);
        long mb = q.size(0);
        VertexChecks.sequence(mem, id, "memory", score.keySize(), mb, -1);
        long tk = mem.size(2);
        long tq = q.size(2);
        if (separateValues()) {
            VertexChecks.sequence(inputs[2], id, "values", valueSize, mb, tk);
        }
        VertexChecks.mask(mask(0), id, "queries", mb, tq);
        VertexChecks.mask(mask(1), id, "memory", mb, tk);
        Pass p = new Pass();
        p.inputs = inputs;
        p.queries = nwc(q, dataType);
        p.keys = nwc(mem, dataType);
        p.values = separateValues() ? nwc(inputs[2], dataType) : p.keys;
        p.queryMask = mask(0) == null ? null : mask(0).castTo(dataType).dup('c');
        p.memoryMask = mask(1) == null ? null : mask(1).castTo(dataType).dup('c');
        long a = attention.score().projectedKeySize();
        p.projected = Nd4j.createUninitialized(dataType, new long[] {mb, tk, a}, 'c');
        Map<String, Matrix> params = engineParams(paramTable(false));
        p.memory = attention.memory(params, rows(p.keys), rows(p.values),
                p.memoryMask == null ? null : Nd4jViews.matrix(p.memoryMask), rows(p.projected), mb);
        p.alphas = Nd4j.createUninitialized(dataType, new long[] {mb, tq, tk}, 'c');
        INDArray contexts = Nd4j.createUninitialized(dataType, new long[] {mb, tq, p.memory.values().cols()}, 'c');
        for (long i = 0; i < tq; i++) {
            attention.attend(params, p.memory, position(p.queries, i), null, position(p.alphas, i),
                    position(contexts, i));
        }
        p.contextsForOutput = contexts;
        Nd4jViews.written(p.projected, p.alphas, contexts);
        return p;
    }

    /** @return a c-order [mb, T, size] array as the matrix [mb·T, size] of its memory */
    private static Matrix rows(INDArray c3) {
        return Nd4jViews.matrix(c3.reshape('c', c3.size(0) * c3.size(1), c3.size(2)));
    }

    /** @return position i of every example of a c-order [mb, T, size] array: [mb, size], row stride T·size */
    private static Matrix position(INDArray c3, long i) {
        Matrix all = rows(c3);
        Matrix first = all.rows(i, 1);
        return new Matrix(first.address(), first.precision(), c3.size(0), c3.size(2), c3.size(1) * c3.size(2), false);
    }

    /** @return contexts [mb, dv, Tq] = Σ_j α_ij v_j, zero at masked query positions */
    private INDArray contexts(Pass p) {
        INDArray c = p.contextsForOutput;                                                 // [mb, Tq, dv]
        maskPositions(c, p.queryMask);
        return c.permute(0, 2, 1);
    }

    /** Multiplies every position of a c-order [mb, T, size] array by its mask column (nothing when mask is null). */
    private void maskPositions(INDArray c3, INDArray mask) {
        if (mask == null) {
            return;
        }
        Matrix m = Nd4jViews.matrix(mask);
        for (long i = 0; i < c3.size(1); i++) {
            engine.scaleRows(m.cols(i, 1), position(c3, i));
        }
        Nd4jViews.written(c3);
    }

    @Override
    protected INDArray[] backwardOutsideWorkspaces(Map<String, INDArray> grads) {
        Pass p = last != null && last.inputs == inputs ? last : forward();
        INDArray[] eps = new INDArray[inputs.length];
        long mb = p.queries.size(0);
        long tq = p.queries.size(1);
        VertexChecks.epsilon(epsilon, describe(), mb, contextSize(), tq);
        INDArray dOut = nwc(epsilon, dataType);                                           // [mb, Tq, dv]
        maskPositions(dOut, p.queryMask);
        Map<String, Matrix> params = engineParams(paramTable(false));
        grads.values().forEach(a -> a.assign(0));
        Map<String, Matrix> g = engineParams(grads);
        INDArray dQueries = Nd4j.zeros(dataType, mb, tq, score.querySize());       // [mb, Tq, dq]
        INDArray dKeys = Nd4j.zeros(dataType, p.keys.shape());                             // [mb, Tk, dk]
        INDArray dValues = separateValues() ? Nd4j.zeros(dataType, p.values.shape()) : dKeys;
        INDArray dProjected = Nd4j.zeros(dataType, p.projected.shape());                   // [mb, Tk, a]
        for (long i = 0; i < tq; i++) {
            attention.backward(params, p.memory, position(p.queries, i), position(p.alphas, i), null,
                    position(dOut, i), g, position(dQueries, i), rows(dProjected), rows(dValues));
        }
        attention.backwardMemory(params, p.memory, rows(dProjected), g, rows(dKeys));
        Nd4jViews.written(dQueries, dKeys, dValues);
        grads.values().forEach(Nd4jViews::written);
        eps[0] = dQueries.permute(0, 2, 1);                                               // [mb, dq, Tq]
        eps[1] = dKeys.permute(0, 2, 1);                                                  // [mb, dk, Tk]
        if (separateValues()) {
            eps[2] = dValues.permute(0, 2, 1);                                            // [mb, dv, Tk]
        }
        return eps;
    }

    @Override
    public void clear() {
        super.clear();
        last = null;
    }
}
