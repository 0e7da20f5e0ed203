package org.recurrent4j.conf.graph;

import org.recurrent4j.nn.attention.LuongScore;
import org.recurrent4j.nn.params.ScoreLayout;

/**
 * Luong attention as a graph vertex, score {@code DOT} (qᵀk), {@code GENERAL} (qᵀWk) or {@code CONCAT}
 * (vᵀtanh(W[q;k])), optionally times a learned scale. Inputs {@code queries} [mb, dq, Tq], {@code memory}
 * [mb, dk, Tk] (and optionally {@code values} [mb, dv, Tk]); output [mb, dv, Tq]. See {@link AttentionVertexConf}.
 */
public class LuongAttentionVertex extends AttentionVertexConf {
    private LuongScore.Type score = LuongScore.Type.GENERAL;
    private long attentionSize;
    private boolean scaled;

    /** For JSON deserialisation. */
    public LuongAttentionVertex() {
    }

    public LuongScore.Type getScore() { return score; }
    public void setScore(LuongScore.Type score) { this.score = score; layoutChanged(); }
    public long getAttentionSize() { return attentionSize; }
    public void setAttentionSize(long attentionSize) { this.attentionSize = attentionSize; layoutChanged(); }
    public boolean isScaled() { return scaled; }
    public void setScaled(boolean scaled) { this.scaled = scaled; layoutChanged(); }

    @Override
    public ScoreLayout scoreLayout() {
        return ScoreLayout.luong(score, getQuerySize(), getKeySize(), attentionSize, scaled);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LuongAttentionVertex l && sizesEqual(l) && score == l.score
                && attentionSize == l.attentionSize && scaled == l.scaled;
    }

    @Override
    public int hashCode() {
        return 31 * sizesHash() + java.util.Objects.hash(score, attentionSize, scaled);
    }

    /** Builder: querySize, keySize; attentionSize for CONCAT. */
    public static class Builder extends AttentionVertexConf.Builder<Builder> {
        private LuongScore.Type score = LuongScore.Type.GENERAL;
        private long attentionSize;
        private boolean scaled;

        /** DOT, GENERAL (default) or CONCAT */
        public Builder score(LuongScore.Type s) { score = s; return this; }
        /** the hidden size of CONCAT */
        public Builder attentionSize(long a) { attentionSize = a; return this; }
        /** multiply the scores by a learned scalar (default false) */
        public Builder scaled(boolean s) { scaled = s; return this; }

        public LuongAttentionVertex build() {
            LuongAttentionVertex v = new LuongAttentionVertex();
            apply(v);
            if (score == LuongScore.Type.CONCAT && attentionSize <= 0) {
                throw new IllegalArgumentException("LuongAttentionVertex CONCAT: attentionSize must be > 0; got "
                        + attentionSize);
            }
            v.score = score;
            v.attentionSize = attentionSize;
            v.scaled = scaled;
            v.scoreLayout();   // validates sizes (DOT: querySize = keySize)
            return v;
        }
    }
}
