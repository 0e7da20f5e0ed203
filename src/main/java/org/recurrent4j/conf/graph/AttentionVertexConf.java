package org.recurrent4j.conf.graph;

import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.inputs.InvalidInputTypeException;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.recurrent4j.nn.graph.AttentionGraphVertex;
import org.recurrent4j.nn.params.ParamLayout;
import org.recurrent4j.nn.params.ScoreLayout;

/**
 * Common configuration of the attention vertices: inputs {@code queries} [mb, dq, Tq] and {@code memory}
 * [mb, dk, Tk] (keys = values), or with {@code valueSize > 0} a third input {@code values} [mb, dv, Tk]; output the
 * contexts [mb, dv, Tq]. The memory mask is respected (padded positions get exactly zero weight; a query whose memory is
 * all padding gets a zero context); the query mask is passed on (masked query positions output zero).
 */
public abstract class AttentionVertexConf extends ParameterizedVertex {
    private long querySize;
    private long keySize;
    private long valueSize;

    /** @return the score function's parameter layout (and, through it, the engine's score function) */
    public abstract ScoreLayout scoreLayout();

    public long getQuerySize() { return querySize; }
    public void setQuerySize(long querySize) { this.querySize = querySize; layoutChanged(); }
    public long getKeySize() { return keySize; }
    public void setKeySize(long keySize) { this.keySize = keySize; layoutChanged(); }
    /** @return dv of a separate values input, or 0 when values = keys */
    public long getValueSize() { return valueSize; }
    public void setValueSize(long valueSize) { this.valueSize = valueSize; layoutChanged(); }

    /** @return whether values come as a third input */
    public boolean separateValues() {
        return valueSize > 0;
    }

    /** @return dv, the size of the output contexts */
    public long contextSize() {
        return separateValues() ? valueSize : keySize;
    }

    @Override
    public ParamLayout paramLayout() {
        return scoreLayout();
    }

    @Override
    public String[] inputNames() {
        return separateValues() ? new String[] {"queries", "memory", "values"} : new String[] {"queries", "memory"};
    }

    @Override
    public org.deeplearning4j.nn.graph.vertex.GraphVertex instantiate(ComputationGraph graph, String name, int idx,
                                                                      INDArray paramsView, boolean initializeParams,
                                                                      DataType dataType) {
        setName(name);
        return new AttentionGraphVertex(this, scoreLayout(), valueSize, graph, name, idx, paramsView, initializeParams,
                dataType);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType... in) throws InvalidInputTypeException {
        if (in.length != inputNames().length) {
            throw new InvalidInputTypeException(describe() + ": expected " + inputNames().length + " inputs "
                    + String.join(", ", inputNames()) + "; got " + in.length);
        }
        long tq = in[0] instanceof InputType.InputTypeRecurrent r ? r.getTimeSeriesLength() : -1;
        return InputType.recurrent(contextSize(), tq);
    }

    protected boolean sizesEqual(AttentionVertexConf o) {
        return querySize == o.querySize && keySize == o.keySize && valueSize == o.valueSize && trainingSettingsEqual(o);
    }

    protected int sizesHash() {
        return java.util.Objects.hash(querySize, keySize, valueSize);
    }

    /** Builder part shared by the attention vertices. */
    @SuppressWarnings("unchecked")
    protected abstract static class Builder<B extends Builder<B>> {
        protected long querySize;
        protected long keySize;
        protected long valueSize;

        /** dq, the size of a query */
        public B querySize(long v) { querySize = v; return (B) this; }
        /** dk, the size of a memory (key) vector */
        public B keySize(long v) { keySize = v; return (B) this; }
        /** dv of a separate third input {@code values}; 0 (default) for values = keys */
        public B valueSize(long v) { valueSize = v; return (B) this; }

        protected void apply(AttentionVertexConf c) {
            if (querySize <= 0 || keySize <= 0 || valueSize < 0) {
                throw new IllegalArgumentException(c.getClass().getSimpleName() + ": querySize and keySize must be > 0"
                        + " and valueSize ≥ 0; got querySize=" + querySize + ", keySize=" + keySize
                        + ", valueSize=" + valueSize);
            }
            c.querySize = querySize;
            c.keySize = keySize;
            c.valueSize = valueSize;
        }
    }
}
