package org.recurrent4j.nn.layers;

import org.recurrent4j.nn.RecurrentTestSupport;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.recurrent4j.nn.RecurrentTestSupport.*;

import java.util.Map;
import java.util.Random;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.recurrent4j.conf.Gru;
import org.recurrent4j.nn.convert.GruWeightImport;

/**
 * The Gru layer against naive scalar-loop GRUs written here from the formulas: ours (both variants), PyTorch's
 * {@code nn.GRU} and Keras' {@code GRU} after weight import; plus export round trips and the negated-z identity.
 */
class GruReferenceTest {
    private static final int N_IN = 3;
    private static final int N = 4;
    private static final int T = 6;
    private static final int MB = 3;
    private static final double TOL = 1e-10;

    private static double sigmoid(double a) {
        return 1.0 / (1.0 + Math.exp(-a));
    }

    private static double[][] matrix(INDArray a) {
        return a.toDoubleMatrix();
    }

    private static MultiLayerNetwork gruNet(boolean resetAfter) {
        return net(new Gru.Builder().nIn(N_IN).nOut(N).resetAfter(resetAfter).build(), N, 2, RNNFormat.NCW, 11);
    }

    /** Output of layer 0 [mb, n, T]. */
    private static INDArray layerOutput(MultiLayerNetwork net, INDArray x, INDArray mask) {
        net.setLayerMaskArrays(mask, null);
        INDArray out = net.feedForwardToLayer(0, x, false).get(1);
        net.clearLayerMaskArrays();
        return out;
    }

    /** Our GRU, from DESIGN.md, one scalar at a time. mask may be null; masked steps output 0 and keep the state. */
    static double[][][] naiveOurs(double[][][] x, double[][] w, double[][] rw, double[] b, double[] rb,
                                  boolean resetAfter, double[][] mask) {
        int mb = x.length, nIn = x[0].length, steps = x[0][0].length, n = rw.length;
        double[][][] out = new double[mb][n][steps];
        for (int i = 0; i < mb; i++) {
            double[] h = new double[n];
            for (int t = 0; t < steps; t++) {
                double[] r = new double[n], z = new double[n], c = new double[n], hn = new double[n];
                for (int k = 0; k < n; k++) {
                    double ar = b[k], az = b[n + k];
                    for (int j = 0; j < nIn; j++) {
                        ar += x[i][j][t] * w[j][k];
                        az += x[i][j][t] * w[j][n + k];
                    }
                    for (int j = 0; j < n; j++) {
                        ar += h[j] * rw[j][k];
                        az += h[j] * rw[j][n + k];
                    }
                    if (resetAfter) {
                        ar += rb[k];
                        az += rb[n + k];
                    }
                    r[k] = sigmoid(ar);
                    z[k] = sigmoid(az);
                }
                for (int k = 0; k < n; k++) {
                    double ac = b[2 * n + k];
                    for (int j = 0; j < nIn; j++) {
                        ac += x[i][j][t] * w[j][2 * n + k];
                    }
                    double rec = 0;
                    for (int j = 0; j < n; j++) {
                        rec += (resetAfter ? h[j] : r[j] * h[j]) * rw[j][2 * n + k];
                    }
                    ac += resetAfter ? r[k] * (rec + rb[2 * n + k]) : rec;
                    c[k] = Math.tanh(ac);
                    hn[k] = (1 - z[k]) * h[k] + z[k] * c[k];
                }
                double m = mask == null ? 1.0 : mask[i][t];
                for (int k = 0; k < n; k++) {
                    out[i][k][t] = m * hn[k];
                    h[k] = m * hn[k] + (1 - m) * h[k];
                }
            }
        }
        return out;
    }

    private static double[][][] x3(INDArray x) {
        double[][][] a = new double[(int) x.size(0)][(int) x.size(1)][(int) x.size(2)];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[0].length; j++) {
                for (int t = 0; t < a[0][0].length; t++) {
                    a[i][j][t] = x.getDouble(i, j, t);
                }
            }
        }
        return a;
    }

    private static void assertClose(double[][][] expected, INDArray actual, double tol) {
        for (int i = 0; i < expected.length; i++) {
            for (int k = 0; k < expected[0].length; k++) {
                for (int t = 0; t < expected[0][0].length; t++) {
                    assertEquals(expected[i][k][t], actual.getDouble(i, k, t), tol, "at [" + i + "," + k + "," + t + "]");
                }
            }
        }
    }

    @ParameterizedTest(name = "resetAfter={0}")
    @ValueSource(booleans = {false, true})
    void matchesNaiveScalarGruWithMask(boolean resetAfter) {
        MultiLayerNetwork net = gruNet(resetAfter);
        Layer layer = net.getLayer(0);
        // non-zero biases so that every term is exercised
        layer.getParam("b").assign(Nd4j.rand(DataType.DOUBLE, 1, 3 * N).subi(0.5));
        if (resetAfter) {
            layer.getParam("RB").assign(Nd4j.rand(DataType.DOUBLE, 1, 3 * N).subi(0.5));
        }
        INDArray x = features(MB, N_IN, T, RNNFormat.NCW, 21);
        INDArray mask = leftPaddedMask(T, 6, 3, 4);
        mask.putScalar(0, 2, 0.0);   // a hole in the middle: state must pass through
        double[][][] expected = naiveOurs(x3(x), matrix(layer.getParam("W")), matrix(layer.getParam("RW")),
                layer.getParam("b").toDoubleVector(), resetAfter ? layer.getParam("RB").toDoubleVector() : null,
                resetAfter, mask.toDoubleMatrix());
        assertClose(expected, layerOutput(net, x, mask), TOL);
        assertClose(naiveOurs(x3(x), matrix(layer.getParam("W")), matrix(layer.getParam("RW")),
                layer.getParam("b").toDoubleVector(), resetAfter ? layer.getParam("RB").toDoubleVector() : null,
                resetAfter, null), layerOutput(net, x, null), TOL);
    }

    /** PyTorch nn.GRU, from its documentation, with its own weight layout [3n, nIn] and gate order r, z, n. */
    static double[][][] naivePyTorch(double[][][] x, double[][] wih, double[][] whh, double[] bih, double[] bhh) {
        int mb = x.length, nIn = x[0].length, steps = x[0][0].length, n = whh[0].length;
        double[][][] out = new double[mb][n][steps];
        for (int i = 0; i < mb; i++) {
            double[] h = new double[n];
            for (int t = 0; t < steps; t++) {
                double[] hn = new double[n];
                for (int k = 0; k < n; k++) {
                    double[] gi = new double[3], gh = new double[3];
                    for (int g = 0; g < 3; g++) {
                        gi[g] = bih[g * n + k];
                        gh[g] = bhh[g * n + k];
                        for (int j = 0; j < nIn; j++) {
                            gi[g] += wih[g * n + k][j] * x[i][j][t];
                        }
                        for (int j = 0; j < n; j++) {
                            gh[g] += whh[g * n + k][j] * h[j];
                        }
                    }
                    double r = sigmoid(gi[0] + gh[0]);
                    double z = sigmoid(gi[1] + gh[1]);
                    double nn = Math.tanh(gi[2] + r * gh[2]);
                    hn[k] = (1 - z) * nn + z * h[k];
                }
                h = hn;
                for (int k = 0; k < n; k++) {
                    out[i][k][t] = h[k];
                }
            }
        }
        return out;
    }

    /** Keras GRU, gate order z, r, h, with reset_after true or false. */
    static double[][][] naiveKeras(double[][][] x, double[][] kernel, double[][] rkernel, double[][] bias, boolean resetAfter) {
        int mb = x.length, nIn = x[0].length, steps = x[0][0].length, n = rkernel.length;
        double[][][] out = new double[mb][n][steps];
        for (int i = 0; i < mb; i++) {
            double[] h = new double[n];
            for (int t = 0; t < steps; t++) {
                double[] xz = new double[n], xr = new double[n], xh = new double[n];
                double[] hz = new double[n], hr = new double[n], hh = new double[n];
                for (int k = 0; k < n; k++) {
                    xz[k] = bias[0][k];
                    xr[k] = bias[0][n + k];
                    xh[k] = bias[0][2 * n + k];
                    for (int j = 0; j < nIn; j++) {
                        xz[k] += x[i][j][t] * kernel[j][k];
                        xr[k] += x[i][j][t] * kernel[j][n + k];
                        xh[k] += x[i][j][t] * kernel[j][2 * n + k];
                    }
                    if (resetAfter) {
                        hz[k] = bias[1][k];
                        hr[k] = bias[1][n + k];
                        hh[k] = bias[1][2 * n + k];
                    }
                    for (int j = 0; j < n; j++) {
                        hz[k] += h[j] * rkernel[j][k];
                        hr[k] += h[j] * rkernel[j][n + k];
                    }
                }
                double[] r = new double[n], z = new double[n], hn = new double[n];
                for (int k = 0; k < n; k++) {
                    z[k] = sigmoid(xz[k] + hz[k]);
                    r[k] = sigmoid(xr[k] + hr[k]);
                }
                for (int k = 0; k < n; k++) {
                    double rec = 0;
                    for (int j = 0; j < n; j++) {
                        rec += (resetAfter ? h[j] : r[j] * h[j]) * rkernel[j][2 * n + k];
                    }
                    double cand = Math.tanh(xh[k] + (resetAfter ? r[k] * (rec + hh[k]) : rec));
                    hn[k] = z[k] * h[k] + (1 - z[k]) * cand;
                }
                h = hn;
                for (int k = 0; k < n; k++) {
                    out[i][k][t] = h[k];
                }
            }
        }
        return out;
    }

    @Test
    void pyTorchWeightsGiveThePyTorchGru() {
        Nd4j.getRandom().setSeed(5);
        INDArray wih = Nd4j.randn(DataType.DOUBLE, 3 * N, N_IN).muli(0.5);
        INDArray whh = Nd4j.randn(DataType.DOUBLE, 3 * N, N).muli(0.5);
        INDArray bih = Nd4j.randn(DataType.DOUBLE, 3 * N).muli(0.5);
        INDArray bhh = Nd4j.randn(DataType.DOUBLE, 3 * N).muli(0.5);
        MultiLayerNetwork net = gruNet(true);
        GruWeightImport.loadPyTorch(net.getLayer(0), wih, whh, bih, bhh);
        INDArray x = features(MB, N_IN, T, RNNFormat.NCW, 22);
        assertClose(naivePyTorch(x3(x), matrix(wih), matrix(whh), bih.toDoubleVector(), bhh.toDoubleVector()),
                layerOutput(net, x, null), TOL);

        // export round trip: exactly the tensors we loaded
        Map<String, INDArray> back = GruWeightImport.toPyTorch(net.getLayer(0));
        assertEquals(wih, back.get("weight_ih_l0"));
        assertEquals(whh, back.get("weight_hh_l0"));
        assertEquals(bih, back.get("bias_ih_l0"));
        assertEquals(bhh, back.get("bias_hh_l0"));

        // the negated-z identity: our z block is PyTorch's negated, the r and candidate blocks are equal
        INDArray w = net.getLayer(0).getParam("W");
        assertEquals(wih.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(N, 2 * N)).transpose().neg(),
                w.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.interval(N, 2 * N)));
        assertEquals(wih.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, N)).transpose(),
                w.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.interval(0, N)));
    }

    @ParameterizedTest(name = "reset_after={0}")
    @ValueSource(booleans = {false, true})
    void kerasWeightsGiveTheKerasGru(boolean resetAfter) {
        Nd4j.getRandom().setSeed(6);
        INDArray kernel = Nd4j.randn(DataType.DOUBLE, N_IN, 3 * N).muli(0.5);
        INDArray rkernel = Nd4j.randn(DataType.DOUBLE, N, 3 * N).muli(0.5);
        INDArray bias = resetAfter ? Nd4j.randn(DataType.DOUBLE, 2, 3 * N).muli(0.5) : Nd4j.randn(DataType.DOUBLE, 3 * N).muli(0.5);
        MultiLayerNetwork net = gruNet(resetAfter);
        GruWeightImport.loadKeras(net.getLayer(0), kernel, rkernel, bias);
        INDArray x = features(MB, N_IN, T, RNNFormat.NCW, 23);
        double[][] b2 = resetAfter ? bias.toDoubleMatrix() : new double[][] {bias.toDoubleVector()};
        assertClose(naiveKeras(x3(x), matrix(kernel), matrix(rkernel), b2, resetAfter), layerOutput(net, x, null), TOL);

        Map<String, INDArray> back = GruWeightImport.toKeras(net.getLayer(0));
        assertEquals(kernel, back.get("kernel"));
        assertEquals(rkernel, back.get("recurrent_kernel"));
        assertEquals(bias, back.get("bias"));
    }

    @Test
    void importRejectsTheWrongVariantAndShape() {
        INDArray wih = Nd4j.zeros(DataType.DOUBLE, 3 * N, N_IN);
        INDArray whh = Nd4j.zeros(DataType.DOUBLE, 3 * N, N);
        INDArray b = Nd4j.zeros(DataType.DOUBLE, 3 * N);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GruWeightImport.loadPyTorch(gruNet(false).getLayer(0), wih, whh, b, b));
        assertEquals(true, e.getMessage().contains("resetAfter(true)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> GruWeightImport.loadPyTorch(gruNet(true).getLayer(0), whh, whh, b, b));
        assertEquals(true, e.getMessage().contains("weight_ih_l0 must have shape [12, 3]"), e.getMessage());
    }
}
