package org.recurrent4j.compute.cpu;

import org.recurrent4j.compute.Matrix;
import org.recurrent4j.compute.Nonlinearity;

/**
 * Element-wise arithmetic on rows held in Java arrays of one precision ({@code float[]} or {@code double[]}): the
 * instruction set the CPU kernels are written in, once, for both precisions. Every loop runs over {@code [0, n)} with
 * the same index into every array, the shape the JIT vectorizes; an output may be one of the inputs.
 *
 * <p>The FLOAT32 implementation evaluates tanh and σ with a rational approximation that the JIT vectorizes (absolute
 * error ≤ 4e-7); the FLOAT64 one uses {@link Math}'s correctly rounded functions, so that double-precision results
 * (gradient checks, references) are exact to rounding.
 *
 * @param <A> the row type, {@code float[]} or {@code double[]}
 */
interface RowMath<A> {

    /** @return a new row of n elements */
    A newRow(int n);

    /** {@code dst[0, n) = m[row, col … col + n)} (any layout) */
    default void read(Matrix m, long row, long col, A dst, int n) {
        readStrided(m.at(row, col), m.unitColumnStride() ? 1 : m.ld(), dst, n);
    }

    /** {@code m[row, col … col + n) = src[0, n)} (any layout) */
    default void write(A src, Matrix m, long row, long col, int n) {
        writeStrided(src, m.at(row, col), m.unitColumnStride() ? 1 : m.ld(), n);
    }

    /** {@code dst[j] = element at address + j·stride·bytes}, j in [0, n) */
    void readStrided(long address, long stride, A dst, int n);

    /** {@code element at address + j·stride·bytes = src[j]}, j in [0, n) */
    void writeStrided(A src, long address, long stride, int n);

    /** @return the element at a byte address */
    double get(long address);

    /** stores v at a byte address */
    void put(long address, double v);

    /** {@code o = v} */
    void fill(A o, double v, int n);

    /** {@code o = a + b} */
    void add(A o, A a, A b, int n);

    /** {@code o = a − b} */
    void sub(A o, A a, A b, int n);

    /** {@code o = a ∘ b} */
    void mul(A o, A a, A b, int n);

    /** {@code o = s · a} */
    void scale(A o, A a, double s, int n);

    /** {@code o += a ∘ b} */
    void addMul(A o, A a, A b, int n);

    /** {@code o += s · a} */
    void axpy(A o, double s, A a, int n);

    /** {@code o = h + z ∘ (c − h)} */
    void lerp(A o, A h, A z, A c, int n);

    /** {@code o += g ∘ (1 − z)} */
    void addOneMinus(A o, A g, A z, int n);

    /** {@code o = σ(a + b)} */
    void sigmoidOfSum(A o, A a, A b, int n);

    /** {@code o = tanh(a + b)} */
    void tanhOfSum(A o, A a, A b, int n);

    /** {@code o = tanh(a + b ∘ c)} */
    void tanhOfFma(A o, A a, A b, A c, int n);

    /** {@code o = f(x)} */
    void apply(Nonlinearity f, A o, A x, int n);

    /** {@code o = f'(x) ∘ g}, where {@code y = f(x)} */
    void derivative(Nonlinearity f, A o, A x, A y, A g, int n);

    /** {@code o = g ∘ s ∘ (1 − s)}: the gradient at σ's input, s = σ(·) */
    void sigmoidGrad(A o, A g, A s, int n);

    /** {@code o = g ∘ (1 − t²)}: the gradient at tanh's input, t = tanh(·) */
    void tanhGrad(A o, A g, A t, int n);

    /** {@code o = max(a, b)} */
    void max(A o, A a, A b, int n);

    /** {@code first = a ≥ b ? g : 0}, {@code second = a ≥ b ? 0 : g} */
    void maxGrad(A first, A second, A a, A b, A g, int n);

    /** {@code o = exp(a − shift)}; scratch is a working row of n elements (o may be a); @return {@code Σ o} */
    double expShifted(A o, A a, double shift, A scratch, int n);

    /** @return {@code Σ a ∘ b} */
    double dot(A a, A b, int n);

    /** @return {@code Σ a} */
    double sum(A a, int n);

    /** @return {@code max a} (−∞ for n = 0) */
    double max(A a, int n);

    /** @return {@code max |a|} (0 for n = 0) */
    double maxAbs(A a, int n);

    /** @return {@code a[j]} */
    double at(A a, int j);

    /** {@code a[j] = v} */
    void set(A a, int j, double v);
}
