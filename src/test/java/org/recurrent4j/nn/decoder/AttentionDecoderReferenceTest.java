package org.recurrent4j.nn.decoder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.recurrent4j.nn.decoder.AttentionDecoderTest.*;

import java.util.Map;
import java.util.stream.Stream;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.recurrent4j.conf.graph.AttentionDecoderVertex;
import org.recurrent4j.conf.graph.AttentionDecoderVertex.Attention;
import org.recurrent4j.conf.graph.AttentionDecoderVertex.Cell;
import org.recurrent4j.conf.graph.AttentionDecoderVertex.InitialState;

/**
 * The decoder's forward pass (outputs and alignments) against an independent scalar implementation written from the
 * papers' equations: one example at a time, loops over i and j, in double.
 */
class AttentionDecoderReferenceTest {

    static Stream<Arguments> variants() {
        return Stream.of(
                Arguments.of("GRU BAHDANAU wn deep backwardInit", base().weightNorm(true).maxoutSize(2)
                        .initialState(InitialState.BACKWARD_FIRST_ANNOTATION).build()),
                Arguments.of("GRU LUONG_GENERAL feeding scaled learnedInit", base().attention(Attention.LUONG_GENERAL)
                        .scaled(true).initialState(InitialState.LEARNED).build()),
                Arguments.of("GRU NONE", base().attention(Attention.NONE).build()),
                Arguments.of("ELMAN LUONG_CONCAT no feeding", base().cell(Cell.ELMAN).attention(Attention.LUONG_CONCAT)
                        .inputFeeding(false).build()),
                Arguments.of("ELMAN LUONG_DOT feeding", base().cell(Cell.ELMAN).attention(Attention.LUONG_DOT).build()),
                Arguments.of("LSTM BAHDANAU deep backwardInit", base().cell(Cell.LSTM).maxoutSize(2)
                        .initialState(InitialState.BACKWARD_FIRST_ANNOTATION).build()),
                Arguments.of("LSTM LUONG_GENERAL feeding", base().cell(Cell.LSTM).attention(Attention.LUONG_GENERAL).build()),
                Arguments.of("LSTM NONE learnedInit", base().cell(Cell.LSTM).attention(Attention.NONE)
                        .initialState(InitialState.LEARNED).build()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void forwardMatchesScalarReference(String name, AttentionDecoderVertex v) {
        ComputationGraph g = graph(v, 17);
        // perturb every parameter so that zero-initialised biases and states are exercised too
        g.params().addi(org.nd4j.linalg.factory.Nd4j.randn(g.params().dataType(), g.params().shape()).muli(0.1));
        INDArray[] in = inputs(23);
        INDArray tm = targetMask();
        INDArray sm = sourceMask();
        g.setLayerMaskArrays(new INDArray[] {tm, sm}, null);
        INDArray out = g.feedForward(in, false).get("dec");                              // [mb, out, Ty]
        INDArray align = vertex(g).alignments();
        Map<String, INDArray> p = g.getVertex("dec").paramTable(false);
        for (int b = 0; b < MB; b++) {
            Reference r = new Reference(v, p);
            double[][] outB = r.run(matrix(in[0], b), matrix(in[1], b), row(tm, b), row(sm, b));
            for (int t = 0; t < TY; t++) {
                for (int k = 0; k < v.outputSize(); k++) {
                    assertEquals(outB[t][k], out.getDouble(b, k, t), 1e-10, name + " b=" + b + " t=" + t + " k=" + k);
                }
                if (align != null && tm.getDouble(b, t) > 0) {
                    for (int j = 0; j < TX; j++) {
                        assertEquals(r.alignments[t][j], align.getDouble(b, t, j), 1e-10, name + " alignment");
                    }
                }
            }
        }
    }

    /** [T][size] of example b of an NCW array. */
    static double[][] matrix(INDArray a, int b) {
        double[][] m = new double[(int) a.size(2)][(int) a.size(1)];
        for (int t = 0; t < m.length; t++) {
            for (int d = 0; d < m[t].length; d++) {
                m[t][d] = a.getDouble(b, d, t);
            }
        }
        return m;
    }

    static double[] row(INDArray a, int b) {
        return a.getRow(b).toDoubleVector();
    }

    /** The decoder for one example, scalar loops. */
    static final class Reference {
        final AttentionDecoderVertex v;
        final Map<String, INDArray> p;
        final int n;
        double[][] alignments = new double[(int) TY][(int) TX];
        /** LSTM: the memory cell before the step (c_0 = 0) and the one the last {@link #cell} call computed */
        double[] memory;
        double[] memoryNew;

        Reference(AttentionDecoderVertex v, Map<String, INDArray> p) {
            this.v = v;
            this.p = p;
            this.n = (int) v.getNOut();
            this.memory = new double[n];
        }

        double w(String key, int i, int j) {
            return p.get(key).getDouble(i, j);
        }

        /** x M[:, from..from+len) for a parameter matrix M */
        double[] times(double[] x, String key, int from, int len) {
            double[] o = new double[len];
            for (int j = 0; j < len; j++) {
                for (int i = 0; i < x.length; i++) {
                    o[j] += x[i] * w(key, i, from + j);
                }
            }
            return o;
        }

        static double sigmoid(double x) {
            return 1 / (1 + Math.exp(-x));
        }

        static double[] concat(double[]... parts) {
            int len = 0;
            for (double[] q : parts) {
                len += q.length;
            }
            double[] o = new double[len];
            int k = 0;
            for (double[] q : parts) {
                for (double x : q) {
                    o[k++] = x;
                }
            }
            return o;
        }

        /** input pre-activations of gate block g: y W_g + b_g (+ c C_g) (+ feed F_g) */
        double[] pre(double[] y, double[] extra, String extraKey, int g) {
            double[] a = times(y, "W", g * n, n);
            double[] e = extra == null ? new double[n] : times(extra, extraKey, g * n, n);
            for (int k = 0; k < n; k++) {
                a[k] += w("b", 0, g * n + k) + e[k];
            }
            return a;
        }

        double[] cell(double[] y, double[] extra, String extraKey, double[] s) {
            double[] o = new double[n];
            if (v.getCell() == Cell.ELMAN) {
                double[] a = pre(y, extra, extraKey, 0);
                double[] rec = times(s, "RW", 0, n);
                for (int k = 0; k < n; k++) {
                    o[k] = Math.tanh(a[k] + rec[k]);
                }
                return o;
            }
            if (v.getCell() == Cell.LSTM) {
                // DL4J's block order: a (block input, tanh), f, o, i
                double[][] g = new double[4][];
                for (int b = 0; b < 4; b++) {
                    double[] x = pre(y, extra, extraKey, b);
                    double[] rec = times(s, "RW", b * n, n);
                    g[b] = new double[n];
                    for (int k = 0; k < n; k++) {
                        g[b][k] = b == 0 ? Math.tanh(x[k] + rec[k]) : sigmoid(x[k] + rec[k]);
                    }
                }
                memoryNew = new double[n];
                for (int k = 0; k < n; k++) {
                    memoryNew[k] = g[1][k] * memory[k] + g[3][k] * g[0][k];
                    o[k] = g[2][k] * Math.tanh(memoryNew[k]);
                }
                return o;
            }
            double[] ar = pre(y, extra, extraKey, 0);
            double[] az = pre(y, extra, extraKey, 1);
            double[] ac = pre(y, extra, extraKey, 2);
            double[] rr = times(s, "RW", 0, n);
            double[] rz = times(s, "RW", n, n);
            double[] r = new double[n];
            double[] rs = new double[n];
            for (int k = 0; k < n; k++) {
                r[k] = sigmoid(ar[k] + rr[k]);
                rs[k] = r[k] * s[k];
            }
            double[] rc = times(rs, "RW", 2 * n, n);
            for (int k = 0; k < n; k++) {
                double z = sigmoid(az[k] + rz[k]);
                double c = Math.tanh(ac[k] + rc[k]);
                o[k] = (1 - z) * s[k] + z * c;
            }
            return o;
        }

        double score(double[] q, double[] k) {
            double scale = p.containsKey("atts") ? p.get("atts").getDouble(0) : 1;
            switch (v.getAttention()) {
                case LUONG_DOT -> {
                    double e = 0;
                    for (int i = 0; i < q.length; i++) {
                        e += q[i] * k[i];
                    }
                    return scale * e;
                }
                case LUONG_GENERAL -> {
                    double e = 0;
                    for (int i = 0; i < q.length; i++) {
                        for (int j = 0; j < k.length; j++) {
                            e += q[i] * w("attW", i, j) * k[j];
                        }
                    }
                    return scale * e;
                }
                default -> {
                    INDArray vv = p.get("attv");
                    double gain = p.containsKey("attg") ? p.get("attg").getDouble(0) / vv.norm2Number().doubleValue() : 1;
                    double[] hq = times(q, "attWq", 0, (int) vv.size(0));
                    double[] hk = times(k, "attWk", 0, (int) vv.size(0));
                    double e = 0;
                    for (int a = 0; a < hq.length; a++) {
                        double bias = p.containsKey("attb") ? w("attb", 0, a) : 0;
                        e += gain * vv.getDouble(a, 0) * Math.tanh(hq[a] + hk[a] + bias);
                    }
                    return scale * e;
                }
            }
        }

        double[] attend(double[] q, double[][] h, double[] sm, int t) {
            double[] e = new double[h.length];
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < h.length; j++) {
                e[j] = score(q, h[j]);
                if (sm[j] > 0) {
                    max = Math.max(max, e[j]);
                }
            }
            double sum = 0;
            for (int j = 0; j < h.length; j++) {
                e[j] = sm[j] > 0 ? Math.exp(e[j] - max) : 0;
                sum += e[j];
            }
            double[] c = new double[h[0].length];
            for (int j = 0; j < h.length; j++) {
                alignments[t][j] = e[j] / sum;
                for (int d = 0; d < c.length; d++) {
                    c[d] += e[j] / sum * h[j][d];
                }
            }
            return c;
        }

        double[][] run(double[][] y, double[][] h, double[] tm, double[] sm) {
            int dh = h[0].length;
            int first = 0;
            int last = 0;
            for (int j = h.length - 1; j >= 0; j--) {
                if (sm[j] > 0) {
                    first = j;
                }
            }
            for (int j = 0; j < h.length; j++) {
                if (sm[j] > 0) {
                    last = j;
                }
            }
            double[] s = new double[n];
            if (v.getInitialState() == InitialState.LEARNED) {
                for (int k = 0; k < n; k++) {
                    s[k] = w("s0", 0, k);
                }
            } else if (v.getInitialState() == InitialState.BACKWARD_FIRST_ANNOTATION) {
                double[] hb = java.util.Arrays.copyOfRange(h[first], dh / 2, dh);
                double[] a = times(hb, "Ws", 0, n);
                for (int k = 0; k < n; k++) {
                    s[k] = Math.tanh(a[k] + w("bs", 0, k));
                }
            }
            double[] fixed = null;
            if (v.getAttention() == Attention.NONE) {
                fixed = times(h[last], "V", 0, dh);
                for (int d = 0; d < dh; d++) {
                    fixed[d] = Math.tanh(fixed[d]);
                }
            }
            double[] feed = new double[n];
            double[][] out = new double[y.length][(int) v.outputSize()];
            for (int t = 0; t < y.length; t++) {
                double[] o;
                double[] sNew;
                double[] htil = null;
                if (!v.getAttention().luong()) {
                    double[] c = fixed != null ? fixed : attend(s, h, sm, t);
                    sNew = cell(y[t], c, "C", s);
                    if (v.getMaxoutSize() > 0) {
                        int l = (int) v.getMaxoutSize();
                        double[] pre = times(concat(s, y[t], c), "U", 0, 2 * l);
                        o = new double[l];
                        for (int k = 0; k < l; k++) {
                            o[k] = Math.max(pre[k] + w("bu", 0, k), pre[l + k] + w("bu", 0, l + k));
                        }
                    } else {
                        o = sNew;
                    }
                } else {
                    sNew = cell(y[t], v.isInputFeeding() ? feed : null, "F", s);
                    double[] c = attend(sNew, h, sm, t);
                    htil = times(concat(c, sNew), "Wc", 0, n);
                    for (int k = 0; k < n; k++) {
                        htil[k] = Math.tanh(htil[k]);
                    }
                    o = htil;
                }
                if (tm[t] > 0) {
                    out[t] = o.clone();
                    s = sNew;
                    if (memoryNew != null) {
                        memory = memoryNew;
                    }
                    if (htil != null) {
                        feed = htil;
                    }
                }
            }
            return out;
        }
    }
}
