package org.recurrent4j.conf.graph;

import org.recurrent4j.nn.params.ScoreLayout;

/**
 * Additive (Bahdanau) attention as a graph vertex: {@code e_ij = vᵀ tanh(W_q q_i + W_k k_j + b)},
 * {@code α_i = maskedSoftmax(e_i)}, {@code c_i = Σ_j α_ij v_j}. Inputs {@code queries} [mb, dq, Tq], {@code memory}
 * [mb, dk, Tk] (and optionally {@code values} [mb, dv, Tk]); output [mb, dv, Tq]. See {@link AttentionVertexConf}.
 *
 * <pre>
 * .addVertex("attn", new BahdanauAttentionVertex.Builder().querySize(8).keySize(16).attentionSize(10).build(),
 *            "decoderStates", "encoderStates")
 * </pre>
 */
public class BahdanauAttentionVertex extends AttentionVertexConf {
    private long attentionSize;
    private boolean weightNorm;

    /** For JSON deserialisation. */
    public BahdanauAttentionVertex() {
    }

    public long getAttentionSize() { return attentionSize; }
    public void setAttentionSize(long attentionSize) { this.attentionSize = attentionSize; layoutChanged(); }
    public boolean isWeightNorm() { return weightNorm; }
    public void setWeightNorm(boolean weightNorm) { this.weightNorm = weightNorm; layoutChanged(); }

    @Override
    public ScoreLayout scoreLayout() {
        return ScoreLayout.bahdanau(getQuerySize(), getKeySize(), attentionSize, weightNorm);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BahdanauAttentionVertex b && sizesEqual(b) && attentionSize == b.attentionSize
                && weightNorm == b.weightNorm;
    }

    @Override
    public int hashCode() {
        return 31 * sizesHash() + java.util.Objects.hash(attentionSize, weightNorm);
    }

    /** Builder: querySize, keySize, attentionSize required. */
    public static class Builder extends AttentionVertexConf.Builder<Builder> {
        private long attentionSize;
        private boolean weightNorm;

        /** a, the hidden size of the score network */
        public Builder attentionSize(long a) { attentionSize = a; return this; }
        /** weight-normalised v = g · v / ‖v‖ (default false) */
        public Builder weightNorm(boolean w) { weightNorm = w; return this; }

        public BahdanauAttentionVertex build() {
            BahdanauAttentionVertex v = new BahdanauAttentionVertex();
            apply(v);
            if (attentionSize <= 0) {
                throw new IllegalArgumentException("BahdanauAttentionVertex: attentionSize must be > 0; got " + attentionSize);
            }
            v.attentionSize = attentionSize;
            v.weightNorm = weightNorm;
            return v;
        }
    }
}
