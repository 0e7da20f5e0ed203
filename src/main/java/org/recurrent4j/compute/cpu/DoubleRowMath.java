package org.recurrent4j.compute.cpu;

import org.recurrent4j.compute.Nonlinearity;

/**
 * {@link RowMath} in double precision, with {@link Math}'s correctly rounded tanh and exp: the precision of gradient
 * checks and of the references the float kernels are tested against. The loops mirror {@link FloatRowMath}'s
 * (Java has no generics over primitive arrays).
 */
final class DoubleRowMath implements RowMath<double[]> {
    static final DoubleRowMath INSTANCE = new DoubleRowMath();

    private DoubleRowMath() {
    }

    /** σ(x), without overflow for either sign */
    static double sigmoid(double x) {
        if (x >= 0) {
            return 1.0 / (1.0 + Math.exp(-x));
        }
        double e = Math.exp(x);
        return e / (1.0 + e);
    }

    @Override
    public double[] newRow(int n) {
        return new double[n];
    }

    @Override
    public void readStrided(long address, long stride, double[] dst, int n) {
        if (stride == 1) {
            NativeMemory.read(address, dst, n);
            return;
        }
        long step = stride * 8L;
        for (int j = 0; j < n; j++) {
            dst[j] = NativeMemory.getDouble(address + j * step);
        }
    }

    @Override
    public void writeStrided(double[] src, long address, long stride, int n) {
        if (stride == 1) {
            NativeMemory.write(src, address, n);
            return;
        }
        long step = stride * 8L;
        for (int j = 0; j < n; j++) {
            NativeMemory.putDouble(address + j * step, src[j]);
        }
    }

    @Override
    public double get(long address) {
        return NativeMemory.getDouble(address);
    }

    @Override
    public void put(long address, double v) {
        NativeMemory.putDouble(address, v);
    }

    @Override
    public void fill(double[] o, double v, int n) {
        java.util.Arrays.fill(o, 0, n, v);
    }

    @Override
    public void add(double[] o, double[] a, double[] b, int n) {
        for (int j = 0; j < n; j++) {
            o[j] = a[j] + b[j];
        }
    }

    @Override
    public void sub(double[] o, double[] a, double[] b, int n) {
        for (int j = 0; j < n; j++) {
            o[j] = a[j] - b[j];
        }
    }

    @Override
    public void mul(double[] o, double[] a, double[] b, int n) {
        for (int j = 0; j < n; j++) {
            o[j] = a[j] * b[j];
        }
    }

    @Override
    public void scale(double[] o, double[] a, double s, int n) {
        for (int j = 0; j < n; j++) {
            o[j] = s * a[j];
        }
    }

    @Override
    public void addMul(double[] o, double[] a, double[] b, int n) {
        for (int j = 0; j < n; j++) {
            o[j] += a[j] * b[j];
        }
    }

    @Override
    public void axpy(double[] o, double s, double[] a, int n) {
        for (int j = 0; j < n; j++) {
            o[j] += s * a[j];
        }
    }

    @Override
    public void lerp(double[] o, double[] h, double[] z, double[] c, int n) {
        for (int j = 0; j < n; j++) {
            o[j] = h[j] + z[j] * (c[j] - h[j]);
        }
    }

    @Override
    public void addOneMinus(double[] o, double[] g, double[] z, int n) {
        for (int j = 0; j < n; j++) {
            o[j] += g[j] * (1.0 - z[j]);
        }
    }

    @Override
    public void sigmoidOfSum(double[] o, double[] a, double[] b, int n) {
        for (int j = 0; j < n; j++) {
            o[j] = sigmoid(a[j] + b[j]);
        }
    }

    @Override
    public void tanhOfSum(double[] o, double[] a, double[] b, int n) {
        for (int j = 0; j < n; j++) {
            o[j] = Math.tanh(a[j] + b[j]);
        }
    }

    @Override
    public void tanhOfFma(double[] o, double[] a, double[] b, double[] c, int n) {
        for (int j = 0; j < n; j++) {
            o[j] = Math.tanh(a[j] + b[j] * c[j]);
        }
    }

    @Override
    public void apply(Nonlinearity f, double[] o, double[] x, int n) {
        for (int j = 0; j < n; j++) {
            double v = x[j];
            o[j] = switch (f) {
                case TANH -> Math.tanh(v);
                case SIGMOID -> sigmoid(v);
                case RELU -> Math.max(0.0, v);
                case IDENTITY -> v;
            };
        }
    }

    @Override
    public void derivative(Nonlinearity f, double[] o, double[] x, double[] y, double[] g, int n) {
        for (int j = 0; j < n; j++) {
            o[j] = g[j] * switch (f) {
                case TANH -> 1.0 - y[j] * y[j];
                case SIGMOID -> y[j] * (1.0 - y[j]);
                case RELU -> x[j] > 0 ? 1.0 : 0.0;
                case IDENTITY -> 1.0;
            };
        }
    }

    @Override
    public void sigmoidGrad(double[] o, double[] g, double[] s, int n) {
        derivative(Nonlinearity.SIGMOID, o, null, s, g, n);
    }

    @Override
    public void tanhGrad(double[] o, double[] g, double[] t, int n) {
        derivative(Nonlinearity.TANH, o, null, t, g, n);
    }

    @Override
    public void max(double[] o, double[] a, double[] b, int n) {
        for (int j = 0; j < n; j++) {
            o[j] = Math.max(a[j], b[j]);
        }
    }

    @Override
    public void maxGrad(double[] first, double[] second, double[] a, double[] b, double[] g, int n) {
        for (int j = 0; j < n; j++) {
            boolean firstWins = a[j] >= b[j];
            first[j] = firstWins ? g[j] : 0.0;
            second[j] = firstWins ? 0.0 : g[j];
        }
    }

    @Override
    public double expShifted(double[] o, double[] a, double shift, double[] scratch, int n) {
        double sum = 0;
        for (int j = 0; j < n; j++) {
            o[j] = Math.exp(a[j] - shift);
            sum += o[j];
        }
        return sum;
    }

    @Override
    public double dot(double[] a, double[] b, int n) {
        double s = 0;
        for (int j = 0; j < n; j++) {
            s += a[j] * b[j];
        }
        return s;
    }

    @Override
    public double sum(double[] a, int n) {
        double s = 0;
        for (int j = 0; j < n; j++) {
            s += a[j];
        }
        return s;
    }

    @Override
    public double max(double[] a, int n) {
        double m = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < n; j++) {
            m = Math.max(m, a[j]);
        }
        return m;
    }

    @Override
    public double maxAbs(double[] a, int n) {
        double m = 0;
        for (int j = 0; j < n; j++) {
            m = Math.max(m, Math.abs(a[j]));
        }
        return m;
    }

    @Override
    public double at(double[] a, int j) {
        return a[j];
    }

    @Override
    public void set(double[] a, int j, double v) {
        a[j] = v;
    }
}
