package org.recurrent4j.nn.graph;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.point;

import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.recurrent4j.conf.graph.AttentionVertexConf;
import org.recurrent4j.nn.attention.Attention;
import org.recurrent4j.nn.attention.AttentionMemory;

/**
 * The implementation of {@link org.recurrent4j.conf.graph.BahdanauAttentionVertex} and
 * {@link org.recurrent4j.conf.graph.LuongAttentionVertex}: {@link Attention} once per query position.
 */
public class AttentionGraphVertex extends ParameterizedGraphVertex {
    private final AttentionVertexConf attnConf;
    private final Attention attention;
    private Pass last;
    private INDArray alignments;

    /** What the forward pass keeps for the backward pass. */
    private static final class Pass {
        INDArray[] inputs;
        AttentionMemory memory;
        INDArray queries;      // [mb, dq, Tq]
        INDArray alphas;       // [mb, Tq, Tk]
        INDArray queryMask;    // [mb, Tq] or null
    }

    public AttentionGraphVertex(AttentionVertexConf conf, ComputationGraph graph, String name, int index,
                                INDArray paramsView, boolean initializeParams, DataType dataType) {
        super(conf, graph, name, index, paramsView, initializeParams, dataType);
        this.attnConf = conf;
        this.attention = new Attention(conf.createScore());
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

    private Pass forward() {
        String id = describe();
        INDArray q = inputs[0];
        INDArray mem = inputs[1];
        VertexChecks.sequence(q, id, "queries", attnConf.getQuerySize(), -1, -1);
        long mb = q.size(0);
        VertexChecks.sequence(mem, id, "memory", attnConf.getKeySize(), mb, -1);
        long tk = mem.size(2);
        INDArray values = null;
        if (attnConf.separateValues()) {
            VertexChecks.sequence(inputs[2], id, "values", attnConf.getValueSize(), mb, tk);
            values = inputs[2].castTo(dataType).permute(0, 2, 1);                      // [mb, Tk, dv]
        }
        INDArray memMask = mask(1);
        VertexChecks.mask(mask(0), id, "queries", mb, q.size(2));
        VertexChecks.mask(memMask, id, "memory", mb, tk);
        Pass p = new Pass();
        p.inputs = inputs;
        p.queries = q.castTo(dataType).dup('c');
        p.queryMask = mask(0) == null ? null : mask(0).castTo(dataType);
        Map<String, INDArray> params = paramTable(false);
        p.memory = attention.memory(params, mem.castTo(dataType).permute(0, 2, 1), values,
                memMask == null ? null : memMask.castTo(dataType));
        long tq = q.size(2);
        p.alphas = Nd4j.create(dataType, mb, tq, tk);
        for (long i = 0; i < tq; i++) {
            Attention.Result r = attention.attend(params, p.memory, query(p, i));
            p.alphas.get(all(), point(i), all()).assign(r.alpha());
        }
        return p;
    }

    private static INDArray query(Pass p, long i) {
        return p.queries.get(all(), all(), point(i)).dup('c');                          // [mb, dq]
    }

    /** @return contexts [mb, dv, Tq] = Σ_j α_ij v_j, zero at masked query positions */
    private INDArray contexts(Pass p) {
        // [mb, Tq, Tk] x [mb, Tk, dv] → [mb, Tq, dv]
        INDArray c = Nd4j.matmul(p.alphas, p.memory.values());
        if (p.queryMask != null) {
            c.muli(p.queryMask.reshape(p.queryMask.size(0), p.queryMask.size(1), 1).broadcast(c.shape()));
        }
        return c.permute(0, 2, 1);
    }

    @Override
    protected INDArray[] backwardOutsideWorkspaces(Map<String, INDArray> grads) {
        Pass p = last != null && last.inputs == inputs ? last : forward();
        INDArray[] eps = new INDArray[inputs.length];
        long mb = p.queries.size(0);
        long tq = p.queries.size(2);
        VertexChecks.epsilon(epsilon, describe(), mb, attnConf.contextSize(), tq);
        INDArray dOut = epsilon.castTo(dataType).dup('c');                          // [mb, dv, Tq]
        if (p.queryMask != null) {
            dOut.muli(p.queryMask.reshape(mb, 1, tq).broadcast(dOut.shape()));
        }
        Map<String, INDArray> params = paramTable(false);
        grads.values().forEach(a -> a.assign(0));
        Attention.MemoryGradients mg = Attention.MemoryGradients.zeros(p.memory);
        INDArray dQueries = Nd4j.create(dataType, p.queries.shape());               // [mb, dq, Tq]
        for (long i = 0; i < tq; i++) {
            INDArray dQ = Nd4j.create(dataType, mb, attnConf.getQuerySize());
            INDArray alpha = p.alphas.get(all(), point(i), all()).dup('c');         // [mb, Tk]
            INDArray dC = dOut.get(all(), all(), point(i)).dup('c');                // [mb, dv]
            attention.backward(params, p.memory, query(p, i), alpha, dC, grads, dQ, mg);
            dQueries.get(all(), all(), point(i)).assign(dQ);
        }
        INDArray dKeys = Nd4j.zeros(dataType, p.memory.keys().shape());             // [mb, Tk, dk]
        INDArray dValues = attention.backwardMemory(params, p.memory, mg, grads, dKeys);
        eps[0] = dQueries;
        eps[1] = dKeys.permute(0, 2, 1);                                            // [mb, dk, Tk]
        if (attnConf.separateValues()) {
            // null when both inputs are one array: its whole gradient is then in dKeys
            eps[2] = dValues == null ? Nd4j.zeros(dataType, p.memory.values().shape()).permute(0, 2, 1)
                    : dValues.permute(0, 2, 1);                                     // [mb, dv, Tk]
        }
        return eps;
    }

    @Override
    public void clear() {
        super.clear();
        last = null;
    }
}
