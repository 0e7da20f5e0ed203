package org.recurrent4j.compute.cpu;

import org.recurrent4j.compute.MaskedSteps;
import org.recurrent4j.compute.Matrix;
import org.recurrent4j.compute.Nonlinearity;
import org.recurrent4j.compute.Tensor3;

/**
 * The element-wise operations of the CPU engine, written once in {@link RowMath} for both precisions: every operation
 * runs row by row, reads each row's operands into the calling thread's working arrays (a {@code memcpy} per gate
 * block), computes there with vectorizable loops, and writes the results back. All the gate math of a step is one
 * pass over its rows. The formulas are those of {@link org.recurrent4j.compute.ComputeEngine}'s documentation.
 *
 * @param <A> {@code float[]} or {@code double[]}
 */
final class CpuKernels<A> {
    private final RowMath<A> m;
    private final ThreadLocal<RowPool<A>> pools;

    CpuKernels(RowMath<A> math) {
        this.m = math;
        this.pools = ThreadLocal.withInitial(() -> new RowPool<>(math));
    }

    private static int width(Matrix a) {
        return Math.toIntExact(a.cols());
    }

    /** The most elements an element-wise kernel takes as one row (see {@link #oneRun}). */
    private static final long MAX_RUN = 1 << 16;

    /**
     * @return whether matrices of one shape, of more than one row, each lie in one contiguous run in row order, of at
     *     most {@link #MAX_RUN} elements: an element-wise kernel then makes one pass over each as a single row (a
     *     recurrent step's [mb, n] blocks: one read and one write per operand instead of one per example)
     */
    private static boolean oneRun(Matrix... ms) {
        Matrix first = ms[0];
        if (first.rows() <= 1 || first.length() > MAX_RUN) {
            return false;
        }
        for (Matrix x : ms) {
            if (!x.contiguousRows() || x.rows() != first.rows() || x.cols() != first.cols()) {
                return false;
            }
        }
        return true;
    }

    /** @return the elements of a matrix whose elements lie in one contiguous run, as one row */
    private static Matrix asRow(Matrix a) {
        return Matrix.rowMajor(a.address(), a.precision(), 1, a.length());
    }

    // ------------------------------------------------------------------------------------------------
    // Moves and reductions

    void copy(Matrix src, Matrix dst) {
        if ((src.contiguousRows() && dst.contiguousRows())
                || (src.dense() && dst.dense() && src.columnMajor() == dst.columnMajor())) {
            NativeMemory.copy(src.address(), dst.address(), src.length() * src.precision().bytes());
            return;
        }
        if (src.columnMajor() != dst.columnMajor() && src.rows() > 1 && src.cols() > 1) {
            transposingCopy(src, dst);
            return;
        }
        int n = width(src);
        A row = pools.get().get(0, n);
        for (long i = 0; i < src.rows(); i++) {
            m.read(src, i, 0, row, n);
            m.write(row, dst, i, 0, n);
        }
    }

    /** Rows of a transposed tile (see {@link #TILE_COLS}). */
    private static final int TILE_ROWS = 32;
    /**
     * Columns of a transposed tile: the tile's part of the destination (256 columns of 32 floats, 32 KB) stays in the
     * L1 cache while {@link NativeMemory#transposeTile} reads the tile's rows eight at a time.
     */
    private static final int TILE_COLS = 256;

    /** A copy between the two layouts, tile by tile (element by element, every read or every write would be strided). */
    private void transposingCopy(Matrix src, Matrix dst) {
        // s: the source as a row-major matrix (its rows contiguous); d: the destination, column-major, same shape as s
        Matrix s = src.columnMajor() ? src.transpose() : src;
        Matrix d = src.columnMajor() ? dst.transpose() : dst;
        for (long i0 = 0; i0 < s.rows(); i0 += TILE_ROWS) {
            int bi = (int) Math.min(TILE_ROWS, s.rows() - i0);
            for (long j0 = 0; j0 < s.cols(); j0 += TILE_COLS) {
                int bj = (int) Math.min(TILE_COLS, s.cols() - j0);
                NativeMemory.transposeTile(s.at(i0, j0), s.ld(), d.at(i0, j0), d.ld(), bi, bj,
                        s.precision().bytes());
            }
        }
    }

    void fill(Matrix dst, double value) {
        if (value == 0 && dst.contiguousRows()) {
            NativeMemory.zero(dst.address(), dst.length() * dst.precision().bytes());
            return;
        }
        int n = width(dst);
        A row = pools.get().get(0, n);
        m.fill(row, value, n);
        for (long i = 0; i < dst.rows(); i++) {
            m.write(row, dst, i, 0, n);
        }
    }

    void add(Matrix a, Matrix b, Matrix out) {
        binary(a, b, out, true);
    }

    void multiply(Matrix a, Matrix b, Matrix out) {
        binary(a, b, out, false);
    }

    /** {@code out = a + b} (sum) or {@code a ∘ b} */
    private void binary(Matrix a, Matrix b, Matrix out, boolean sum) {
        if (oneRun(a, b, out)) {
            binary(asRow(a), asRow(b), asRow(out), sum);
            return;
        }
        int n = width(a);
        RowPool<A> p = pools.get();
        A x = p.get(0, n);
        A y = p.get(1, n);
        for (long i = 0; i < a.rows(); i++) {
            m.read(a, i, 0, x, n);
            m.read(b, i, 0, y, n);
            if (sum) {
                m.add(x, x, y, n);
            } else {
                m.mul(x, x, y, n);
            }
            m.write(x, out, i, 0, n);
        }
    }

    void axpy(double alpha, Matrix x, Matrix y) {
        if (oneRun(x, y)) {
            axpy(alpha, asRow(x), asRow(y));
            return;
        }
        int n = width(x);
        RowPool<A> p = pools.get();
        A xr = p.get(0, n);
        A yr = p.get(1, n);
        for (long i = 0; i < x.rows(); i++) {
            m.read(x, i, 0, xr, n);
            m.read(y, i, 0, yr, n);
            m.axpy(yr, alpha, xr, n);
            m.write(yr, y, i, 0, n);
        }
    }

    void scale(Matrix a, double s) {
        if (oneRun(a)) {
            scale(asRow(a), s);
            return;
        }
        int n = width(a);
        A x = pools.get().get(0, n);
        for (long i = 0; i < a.rows(); i++) {
            m.read(a, i, 0, x, n);
            m.scale(x, x, s, n);
            m.write(x, a, i, 0, n);
        }
    }

    void addRowVector(Matrix row, Matrix a) {
        int n = width(a);
        RowPool<A> p = pools.get();
        A r = p.get(0, n);
        A x = p.get(1, n);
        m.read(row, 0, 0, r, n);
        for (long i = 0; i < a.rows(); i++) {
            m.read(a, i, 0, x, n);
            m.add(x, x, r, n);
            m.write(x, a, i, 0, n);
        }
    }

    void columnSums(Matrix a, double beta, Matrix out) {
        int n = width(a);
        RowPool<A> p = pools.get();
        A sum = p.get(0, n);
        A x = p.get(1, n);
        m.fill(sum, 0, n);
        for (long i = 0; i < a.rows(); i++) {
            m.read(a, i, 0, x, n);
            m.add(sum, sum, x, n);
        }
        if (beta != 0) {
            m.read(out, 0, 0, x, n);
            m.axpy(sum, beta, x, n);
        }
        m.write(sum, out, 0, 0, n);
    }

    void scaleRows(Matrix factors, Matrix a) {
        int n = width(a);
        A x = pools.get().get(0, n);
        for (long i = 0; i < a.rows(); i++) {
            double f = m.get(factors.at(i, 0));
            if (f == 1.0) {
                continue;
            }
            if (f == 0.0) {
                m.fill(x, 0, n);
            } else {
                m.read(a, i, 0, x, n);
                m.scale(x, x, f, n);
            }
            m.write(x, a, i, 0, n);
        }
    }

    double dot(Matrix a, Matrix b) {
        int n = width(a);
        RowPool<A> p = pools.get();
        A x = p.get(0, n);
        A y = p.get(1, n);
        double s = 0;
        for (long i = 0; i < a.rows(); i++) {
            m.read(a, i, 0, x, n);
            m.read(b, i, 0, y, n);
            s += m.dot(x, y, n);
        }
        return s;
    }

    double maxAbs(Matrix a) {
        int n = width(a);
        A x = pools.get().get(0, n);
        double mx = 0;
        for (long i = 0; i < a.rows(); i++) {
            m.read(a, i, 0, x, n);
            double r = m.maxAbs(x, n);
            if (!(r <= mx)) {
                mx = r;                                                               // NaN propagates
            }
        }
        return mx;
    }

    double sum(Matrix a) {
        int n = width(a);
        A x = pools.get().get(0, n);
        double s = 0;
        for (long i = 0; i < a.rows(); i++) {
            m.read(a, i, 0, x, n);
            s += m.sum(x, n);
        }
        return s;
    }

    void gatherRows(Matrix src, long[] rows, Matrix dst) {
        int n = width(src);
        A x = pools.get().get(0, n);
        for (int i = 0; i < rows.length; i++) {
            if (rows[i] < 0) {
                m.fill(x, 0, n);
            } else {
                m.read(src, rows[i], 0, x, n);
            }
            m.write(x, dst, i, 0, n);
        }
    }

    void scatterAddRows(Matrix src, long[] rows, Matrix dst) {
        int n = width(src);
        RowPool<A> p = pools.get();
        A x = p.get(0, n);
        A y = p.get(1, n);
        for (int i = 0; i < rows.length; i++) {
            if (rows[i] < 0) {
                continue;
            }
            m.read(src, i, 0, x, n);
            m.read(dst, rows[i], 0, y, n);
            m.add(y, y, x, n);
            m.write(y, dst, rows[i], 0, n);
        }
    }

    void read(Matrix src, double[] dst) {
        int n = width(src);
        A row = pools.get().get(0, n);
        for (long i = 0; i < src.rows(); i++) {
            m.read(src, i, 0, row, n);
            int base = (int) (i * n);
            for (int j = 0; j < n; j++) {
                dst[base + j] = m.at(row, j);
            }
        }
    }

    /** dst[t·mb + i, :] = src(i, :, t) */
    void toTimeMajor(Tensor3 src, Matrix dst) {
        long mb = src.size(0);
        int n = Math.toIntExact(src.size(1));
        if (stepsAdjacent(src, dst)) {
            for (long i = 0; i < mb; i++) {
                copy(exampleSteps(src, i), exampleRows(dst, i, mb));                 // a tiled transpose
            }
            return;
        }
        A row = pools.get().get(0, n);
        for (long t = 0; t < src.size(2); t++) {
            for (long i = 0; i < mb; i++) {
                m.readStrided(src.at(i, 0, t), src.stride(1), row, n);
                m.write(row, dst, t * mb + i, 0, n);
            }
        }
    }

    /** dst(i, :, t) = src[t·mb + i, :] */
    void fromTimeMajor(Matrix src, Tensor3 dst) {
        long mb = dst.size(0);
        int n = Math.toIntExact(dst.size(1));
        if (stepsAdjacent(dst, src)) {
            for (long i = 0; i < mb; i++) {
                copy(exampleRows(src, i, mb), exampleSteps(dst, i));                 // a tiled transpose
            }
            return;
        }
        A row = pools.get().get(0, n);
        for (long t = 0; t < dst.size(2); t++) {
            for (long i = 0; i < mb; i++) {
                m.read(src, t * mb + i, 0, row, n);
                m.writeStrided(row, dst.at(i, 0, t), dst.stride(1), n);
            }
        }
    }

    /**
     * @return whether a sequence's steps are adjacent in memory (an NCW array in 'c' order) while the time-major
     *     matrix is row-major: then each example is a tile to transpose, where row by row every element is strided
     */
    private static boolean stepsAdjacent(Tensor3 seq, Matrix timeMajor) {
        return seq.size(2) > 1 && seq.size(1) > 1 && seq.stride(2) == 1 && seq.stride(1) >= seq.size(2)
                && !timeMajor.columnMajor();
    }

    /** @return example i of a sequence [mb, n, T] whose steps are adjacent, as a column-major matrix [T, n] */
    private static Matrix exampleSteps(Tensor3 seq, long i) {
        return new Matrix(seq.at(i, 0, 0), seq.precision(), seq.size(2), seq.size(1), seq.stride(1), true);
    }

    /** @return the rows {@code t·mb + i} of a row-major time-major matrix, as a matrix [T, n] */
    private static Matrix exampleRows(Matrix timeMajor, long i, long mb) {
        return new Matrix(timeMajor.at(i, 0), timeMajor.precision(), timeMajor.rows() / mb, timeMajor.cols(),
                timeMajor.ld() * mb, false);
    }

    // ------------------------------------------------------------------------------------------------
    // Element-wise functions

    void activation(Nonlinearity f, Matrix x, Matrix y) {
        if (oneRun(x, y)) {
            activation(f, asRow(x), asRow(y));
            return;
        }
        int n = width(x);
        A r = pools.get().get(0, n);
        for (long i = 0; i < x.rows(); i++) {
            m.read(x, i, 0, r, n);
            m.apply(f, r, r, n);
            m.write(r, y, i, 0, n);
        }
    }

    void activationBackward(Nonlinearity f, Matrix x, Matrix dy, Matrix dx) {
        if (oneRun(x, dy, dx)) {
            activationBackward(f, asRow(x), asRow(dy), asRow(dx));
            return;
        }
        int n = width(dy);
        RowPool<A> p = pools.get();
        A xr = p.get(0, n);
        A yr = p.get(1, n);
        A g = p.get(2, n);
        for (long i = 0; i < dy.rows(); i++) {
            m.read(x, i, 0, xr, n);
            if (f == Nonlinearity.TANH || f == Nonlinearity.SIGMOID) {
                m.apply(f, yr, xr, n);                                                 // y = f(x), recomputed
            }
            m.read(dy, i, 0, g, n);
            m.derivative(f, g, xr, yr, g, n);
            m.write(g, dx, i, 0, n);
        }
    }

    // ------------------------------------------------------------------------------------------------
    // Recurrent steps

    void gruForwardResetAfter(Matrix xProj, Matrix rec, Matrix hPrev, Matrix cache, Matrix hNew) {
        int n = width(hPrev);
        RowPool<A> p = pools.get();
        A xr = p.get(0, n);
        A xz = p.get(1, n);
        A xc = p.get(2, n);
        A rr = p.get(3, n);
        A rz = p.get(4, n);
        A rc = p.get(5, n);
        A h = p.get(6, n);
        A c = p.get(7, n);
        for (long i = 0; i < hPrev.rows(); i++) {
            m.read(xProj, i, 0, xr, n);
            m.read(xProj, i, n, xz, n);
            m.read(xProj, i, 2L * n, xc, n);
            m.read(rec, i, 0, rr, n);
            m.read(rec, i, n, rz, n);
            m.read(rec, i, 2L * n, rc, n);
            m.read(hPrev, i, 0, h, n);
            m.sigmoidOfSum(xr, xr, rr, n);                                             // r
            m.sigmoidOfSum(xz, xz, rz, n);                                             // z
            m.tanhOfFma(c, xc, xr, rc, n);                                             // c = tanh(x_c + r ∘ hc)
            m.write(xr, cache, i, 0, n);
            m.write(xz, cache, i, n, n);
            m.write(c, cache, i, 2L * n, n);
            m.write(rc, cache, i, 3L * n, n);
            m.lerp(h, h, xz, c, n);                                                    // h' = h + z ∘ (c − h)
            m.write(h, hNew, i, 0, n);
        }
    }

    void gruResetGates(Matrix xProj, Matrix recRz, Matrix hPrev, Matrix cache, Matrix resetState) {
        int n = width(hPrev);
        RowPool<A> p = pools.get();
        A xr = p.get(0, n);
        A xz = p.get(1, n);
        A rr = p.get(2, n);
        A rz = p.get(3, n);
        A h = p.get(4, n);
        for (long i = 0; i < hPrev.rows(); i++) {
            m.read(xProj, i, 0, xr, n);
            m.read(xProj, i, n, xz, n);
            m.read(recRz, i, 0, rr, n);
            m.read(recRz, i, n, rz, n);
            m.read(hPrev, i, 0, h, n);
            m.sigmoidOfSum(xr, xr, rr, n);                                             // r
            m.sigmoidOfSum(xz, xz, rz, n);                                             // z
            m.write(xr, cache, i, 0, n);
            m.write(xz, cache, i, n, n);
            m.mul(h, xr, h, n);                                                        // r ∘ h
            m.write(h, resetState, i, 0, n);
        }
    }

    void gruCandidate(Matrix xProj, Matrix recC, Matrix hPrev, Matrix cache, Matrix hNew) {
        int n = width(hPrev);
        RowPool<A> p = pools.get();
        A xc = p.get(0, n);
        A rc = p.get(1, n);
        A z = p.get(2, n);
        A h = p.get(3, n);
        for (long i = 0; i < hPrev.rows(); i++) {
            m.read(xProj, i, 2L * n, xc, n);
            m.read(recC, i, 0, rc, n);
            m.read(cache, i, n, z, n);
            m.read(hPrev, i, 0, h, n);
            m.tanhOfSum(xc, xc, rc, n);                                                // c
            m.write(xc, cache, i, 2L * n, n);
            m.lerp(h, h, z, xc, n);
            m.write(h, hNew, i, 0, n);
        }
    }

    void gruUpdateBackward(Matrix dHNew, Matrix hPrev, Matrix cache, Matrix dGates, Matrix dHPrev) {
        int n = width(hPrev);
        RowPool<A> p = pools.get();
        A dh = p.get(0, n);
        A h = p.get(1, n);
        A z = p.get(2, n);
        A c = p.get(3, n);
        A t = p.get(4, n);
        A dp = p.get(5, n);
        for (long i = 0; i < hPrev.rows(); i++) {
            m.read(dHNew, i, 0, dh, n);
            m.read(hPrev, i, 0, h, n);
            m.read(cache, i, n, z, n);
            m.read(cache, i, 2L * n, c, n);
            m.read(dHPrev, i, 0, dp, n);
            m.addOneMinus(dp, dh, z, n);                                               // dh_{t−1} += dh ∘ (1 − z)
            m.write(dp, dHPrev, i, 0, n);
            m.sub(t, c, h, n);
            m.mul(t, t, dh, n);
            m.sigmoidGrad(t, t, z, n);                                                 // da_z = dh ∘ (c − h) ∘ z(1 − z)
            m.write(t, dGates, i, n, n);
            m.tanhGrad(t, dh, c, n);
            m.mul(t, t, z, n);                                                         // da_c = dh ∘ z ∘ (1 − c²)
            m.write(t, dGates, i, 2L * n, n);
        }
    }

    void gruResetBackward(Matrix dResetState, Matrix hPrev, Matrix cache, Matrix dGates, Matrix dHPrev) {
        int n = width(hPrev);
        RowPool<A> p = pools.get();
        A drh = p.get(0, n);
        A h = p.get(1, n);
        A r = p.get(2, n);
        A t = p.get(3, n);
        A dp = p.get(4, n);
        for (long i = 0; i < hPrev.rows(); i++) {
            m.read(dResetState, i, 0, drh, n);
            m.read(hPrev, i, 0, h, n);
            m.read(cache, i, 0, r, n);
            m.mul(t, drh, h, n);
            m.sigmoidGrad(t, t, r, n);                                                 // da_r = d(r∘h) ∘ h ∘ r(1 − r)
            m.write(t, dGates, i, 0, n);
            m.read(dHPrev, i, 0, dp, n);
            m.addMul(dp, drh, r, n);                                                   // dh_{t−1} += d(r∘h) ∘ r
            m.write(dp, dHPrev, i, 0, n);
        }
    }

    void gruResetAfterBackward(Matrix cache, Matrix dGates, Matrix dRec) {
        int n = width(dGates) / 3;
        RowPool<A> p = pools.get();
        A r = p.get(0, n);
        A hc = p.get(1, n);
        A dz = p.get(2, n);
        A dc = p.get(3, n);
        A t = p.get(4, n);
        for (long i = 0; i < dGates.rows(); i++) {
            m.read(cache, i, 0, r, n);
            m.read(cache, i, 3L * n, hc, n);
            m.read(dGates, i, n, dz, n);
            m.read(dGates, i, 2L * n, dc, n);
            m.mul(t, dc, hc, n);
            m.sigmoidGrad(t, t, r, n);                                                 // da_r = da_c ∘ hc ∘ r(1 − r)
            m.write(t, dGates, i, 0, n);
            m.write(t, dRec, i, 0, n);
            m.write(dz, dRec, i, n, n);
            m.mul(dc, dc, r, n);                                                       // da_c ∘ r
            m.write(dc, dRec, i, 2L * n, n);
        }
    }

    void lstmForward(Matrix pre, Matrix cPrev, Matrix cache, Matrix hNew, Matrix cNew) {
        int n = width(cPrev);
        RowPool<A> p = pools.get();
        A a = p.get(0, n);
        A f = p.get(1, n);
        A o = p.get(2, n);
        A in = p.get(3, n);
        A c = p.get(4, n);
        A tc = p.get(5, n);
        for (long i = 0; i < cPrev.rows(); i++) {
            m.read(pre, i, 0, a, n);
            m.read(pre, i, n, f, n);
            m.read(pre, i, 2L * n, o, n);
            m.read(pre, i, 3L * n, in, n);
            m.read(cPrev, i, 0, c, n);
            m.apply(Nonlinearity.TANH, a, a, n);
            m.apply(Nonlinearity.SIGMOID, f, f, n);
            m.apply(Nonlinearity.SIGMOID, o, o, n);
            m.apply(Nonlinearity.SIGMOID, in, in, n);
            m.mul(c, f, c, n);
            m.addMul(c, in, a, n);                                                     // c' = f ∘ c + i ∘ a
            m.apply(Nonlinearity.TANH, tc, c, n);
            m.write(a, cache, i, 0, n);
            m.write(f, cache, i, n, n);
            m.write(o, cache, i, 2L * n, n);
            m.write(in, cache, i, 3L * n, n);
            m.write(tc, cache, i, 4L * n, n);
            m.write(c, cNew, i, 0, n);
            m.mul(tc, o, tc, n);                                                       // h' = o ∘ tanh(c')
            m.write(tc, hNew, i, 0, n);
        }
    }

    void lstmBackward(Matrix dH, Matrix dC, Matrix cPrev, Matrix cache, Matrix dGates, Matrix dCPrev) {
        int n = width(cPrev);
        RowPool<A> p = pools.get();
        A dh = p.get(0, n);
        A dc = p.get(1, n);
        A c = p.get(2, n);
        A a = p.get(3, n);
        A f = p.get(4, n);
        A o = p.get(5, n);
        A in = p.get(6, n);
        A tc = p.get(7, n);
        A t = p.get(8, n);
        for (long i = 0; i < cPrev.rows(); i++) {
            m.read(dH, i, 0, dh, n);
            m.read(dC, i, 0, dc, n);
            m.read(cPrev, i, 0, c, n);
            m.read(cache, i, 0, a, n);
            m.read(cache, i, n, f, n);
            m.read(cache, i, 2L * n, o, n);
            m.read(cache, i, 3L * n, in, n);
            m.read(cache, i, 4L * n, tc, n);
            m.tanhGrad(t, dh, tc, n);
            m.addMul(dc, t, o, n);                                                     // dc = dC + dh ∘ o ∘ (1 − tanh²c')
            m.mul(t, dh, tc, n);
            m.sigmoidGrad(t, t, o, n);                                                 // da_o
            m.write(t, dGates, i, 2L * n, n);
            m.mul(t, dc, a, n);
            m.sigmoidGrad(t, t, in, n);                                                // da_i
            m.write(t, dGates, i, 3L * n, n);
            m.mul(t, dc, c, n);
            m.sigmoidGrad(t, t, f, n);                                                 // da_f
            m.write(t, dGates, i, n, n);
            m.mul(t, dc, in, n);
            m.tanhGrad(t, t, a, n);                                                    // da_a
            m.write(t, dGates, i, 0, n);
            m.read(dCPrev, i, 0, t, n);
            m.addMul(t, dc, f, n);                                                     // dc_{t−1} += dc ∘ f
            m.write(t, dCPrev, i, 0, n);
        }
    }

    void maskedStep(Matrix candidate, Matrix previous, Matrix mask, MaskedSteps mode, Matrix state, Matrix output) {
        int n = width(candidate);
        RowPool<A> p = pools.get();
        A cand = p.get(0, n);
        A prev = p.get(1, n);
        A zero = p.get(2, n);
        m.fill(zero, 0, n);
        for (long i = 0; i < candidate.rows(); i++) {
            double mi = m.get(mask.at(i, 0));
            if (mi == 0.0) {
                m.fill(cand, 0, n);                                                    // whatever h' is (NaN too)
            } else {
                m.read(candidate, i, 0, cand, n);
                if (mi != 1.0) {
                    m.scale(cand, cand, mi, n);                                        // m ∘ h'
                }
            }
            if (output != null) {
                m.write(cand, output, i, 0, width(output));                            // the output part h
            }
            if (mode == MaskedSteps.KEEP_STATE && mi != 1.0) {
                m.read(previous, i, 0, prev, n);
                m.axpy(cand, 1.0 - mi, prev, n);                                       // h + m ∘ (h' − h)
            }
            m.write(cand, state, i, 0, n);
        }
    }

    void maskedStepBackward(Matrix dH, Matrix mask, MaskedSteps mode, Matrix dHNew, Matrix dHPrev) {
        int n = width(dH);
        RowPool<A> p = pools.get();
        A g = p.get(0, n);
        A x = p.get(1, n);
        for (long i = 0; i < dH.rows(); i++) {
            double mi = m.get(mask.at(i, 0));
            if (mode == MaskedSteps.KEEP_STATE && mi != 1.0) {
                m.read(dH, i, 0, g, n);
                m.scale(g, g, 1.0 - mi, n);
            } else {
                m.fill(g, 0, n);
            }
            m.write(g, dHPrev, i, 0, n);
            if (mi != 1.0) {
                m.read(dHNew, i, 0, x, n);
                m.scale(x, x, mi, n);
                m.write(x, dHNew, i, 0, n);
            }
        }
    }

    // ------------------------------------------------------------------------------------------------
    // Attention

    void additiveHidden(Matrix keys, Matrix query, Matrix hidden) {
        int a = width(keys);
        long mb = query.rows();
        long tk = keys.rows() / mb;
        RowPool<A> p = pools.get();
        A q = p.get(0, a);
        A k = p.get(1, a);
        for (long b = 0; b < mb; b++) {
            m.read(query, b, 0, q, a);
            for (long j = 0; j < tk; j++) {
                m.read(keys, b * tk + j, 0, k, a);
                m.tanhOfSum(k, k, q, a);
                m.write(k, hidden, b * tk + j, 0, a);
            }
        }
    }

    void additiveHiddenBackward(Matrix hidden, Matrix dScores, Matrix v, Matrix dKeys, Matrix dQuery) {
        int a = width(hidden);
        long mb = dScores.rows();
        long tk = dScores.cols();
        RowPool<A> p = pools.get();
        A vr = p.get(0, a);
        A h = p.get(1, a);
        A g = p.get(2, a);
        A dq = p.get(3, a);
        A dk = p.get(4, a);
        m.read(v, 0, 0, vr, a);
        for (long b = 0; b < mb; b++) {
            m.fill(dq, 0, a);
            for (long j = 0; j < tk; j++) {
                double de = m.get(dScores.at(b, j));
                if (de == 0) {
                    continue;                                                          // e.g. a padded position
                }
                m.read(hidden, b * tk + j, 0, h, a);
                m.scale(g, vr, de, a);
                m.tanhGrad(g, g, h, a);                                                // G = dE v ∘ (1 − hidden²)
                m.add(dq, dq, g, a);
                m.read(dKeys, b * tk + j, 0, dk, a);
                m.add(dk, dk, g, a);
                m.write(dk, dKeys, b * tk + j, 0, a);
            }
            m.write(dq, dQuery, b, 0, a);
        }
    }

    void maskedSoftmax(Matrix scores, Matrix mask, Matrix alpha) {
        int tk = width(scores);
        RowPool<A> p = pools.get();
        A s = p.get(0, tk);
        A msk = p.get(1, tk);
        for (long b = 0; b < scores.rows(); b++) {
            m.read(scores, b, 0, s, tk);
            if (mask != null) {
                m.read(mask, b, 0, msk, tk);
            }
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < tk; j++) {
                if (mask == null || m.at(msk, j) != 0) {
                    max = Math.max(max, m.at(s, j));
                }
            }
            if (max == Double.NEGATIVE_INFINITY) {
                max = 0;                                                               // no real position
            }
            if (mask != null) {
                for (int j = 0; j < tk; j++) {
                    if (m.at(msk, j) == 0) {
                        m.set(s, j, max);                                              // finite; zeroed below
                    }
                }
            }
            double sum = m.expShifted(s, s, max, p.get(2, tk), tk);                    // e^{s − max} ≤ 1 where real
            if (mask != null) {
                m.mul(s, s, msk, tk);
                sum = m.sum(s, tk);
            }
            m.scale(s, s, 1.0 / Math.max(sum, 1.0), tk);                              // all padded: 0 / 1
            m.write(s, alpha, b, 0, tk);
        }
    }

    void maskedSoftmaxBackward(Matrix alpha, Matrix dAlpha, Matrix dScores) {
        int tk = width(alpha);
        RowPool<A> p = pools.get();
        A al = p.get(0, tk);
        A da = p.get(1, tk);
        A t = p.get(2, tk);
        for (long b = 0; b < alpha.rows(); b++) {
            m.read(alpha, b, 0, al, tk);
            m.read(dAlpha, b, 0, da, tk);
            double dot = m.dot(al, da, tk);
            m.fill(t, dot, tk);
            m.sub(da, da, t, tk);
            m.mul(da, da, al, tk);                                                     // α ∘ (dα − Σ α dα)
            m.write(da, dScores, b, 0, tk);
        }
    }

    double softmaxCrossEntropy(Matrix logits, Matrix labels, boolean sparse, Matrix mask, double clip,
                               double smoothing, Matrix dLogits, Matrix losses) {
        int c = width(logits);
        RowPool<A> p = pools.get();
        A z = p.get(0, c);
        A y = sparse ? null : p.get(1, c);
        double total = 0;
        for (long r = 0; r < logits.rows(); r++) {
            double w = mask == null ? 1.0 : m.get(mask.at(r, 0));
            if (w == 0) {
                if (dLogits != null) {
                    m.fill(z, 0, c);
                    m.write(z, dLogits, r, 0, c);
                }
                if (losses != null) {
                    m.put(losses.at(r, 0), 0);
                }
                continue;
            }
            m.read(logits, r, 0, z, c);
            double max = m.max(z, c);
            double sum = m.expShifted(z, z, max, p.get(2, c), c);
            m.scale(z, z, 1.0 / sum, c);                                               // p = softmax(z)
            double uniformLoss = smoothing == 0 ? 0
                    : uniformCrossEntropy(logits, r, max, Math.log(sum), clip, p.get(3, c), c);
            double loss;
            int k = -1;
            if (sparse) {
                double label = m.get(labels.at(r, 0));
                k = (int) label;
                if (k != label || k < 0 || k >= c) {
                    throw new IllegalArgumentException("softmax cross-entropy: row " + r + " has class index " + label
                            + "; expected an integer in [0, " + c + ")");
                }
                loss = -clippedLog(m.at(z, k), clip);
                m.set(z, k, m.at(z, k) - 1);                                           // p − y
            } else {
                m.read(labels, r, 0, y, c);
                loss = 0;
                for (int j = 0; j < c; j++) {
                    double yj = m.at(y, j);
                    if (yj != 0) {
                        loss -= yj * clippedLog(m.at(z, j), clip);
                    }
                }
                m.sub(z, z, y, c);
            }
            if (smoothing != 0) {
                loss = (1 - smoothing) * loss + smoothing * uniformLoss;
                smoothGradient(z, y, k, smoothing, c);
            }
            loss *= w;
            total += loss;
            if (losses != null) {
                m.put(losses.at(r, 0), loss);
            }
            if (dLogits != null) {
                if (w != 1.0) {
                    m.scale(z, z, w, c);
                }
                m.write(z, dLogits, r, 0, c);
            }
        }
        return total;
    }

    /** @return {@code log(min(max(p, ε), 1 − ε))}, DL4J's clipped log-probability of {@code LossMCXENT} */
    private static double clippedLog(double p, double clip) {
        return Math.log(Math.min(Math.max(p, clip), 1 - clip));
    }

    /**
     * @param max    the row's largest logit
     * @param logSum {@code log Σ_j e^{z_j − max}}, so that {@code log p_j = (z_j − max) − logSum}: no logarithm per
     *               class (clipping {@code log p} to [log ε, log(1 − ε)] is clipping p to [ε, 1 − ε])
     * @return {@code −(1/C) Σ_j log(clip(p_j))}, the cross-entropy of row r's p against the uniform distribution
     */
    private double uniformCrossEntropy(Matrix logits, long r, double max, double logSum, double clip, A z, int c) {
        m.read(logits, r, 0, z, c);
        double low = Math.log(clip);
        double high = Math.log(1 - clip);
        double sumLog = 0;
        for (int j = 0; j < c; j++) {
            sumLog += Math.min(Math.max(m.at(z, j) - max - logSum, low), high);
        }
        return -sumLog / c;
    }

    /**
     * Turns {@code g = p − y} into {@code p − q = g + s (y − 1/C)}, q = (1 − s) y + s/C.
     *
     * @param y     the row's targets, or null for the class index {@code k}
     */
    private void smoothGradient(A g, A y, int k, double s, int c) {
        double uniform = s / c;
        for (int j = 0; j < c; j++) {
            double yj = y == null ? (j == k ? 1 : 0) : m.at(y, j);
            m.set(g, j, m.at(g, j) + (s * yj - uniform));
        }
    }

    void logSumExp(Matrix z, Matrix out) {
        int c = width(z);
        RowPool<A> p = pools.get();
        A row = p.get(0, c);
        A e = p.get(1, c);
        for (long r = 0; r < z.rows(); r++) {
            m.read(z, r, 0, row, c);
            double max = m.max(row, c);
            double sum = m.expShifted(e, row, max, p.get(2, c), c);
            m.put(out.at(r, 0), max + Math.log(sum));
        }
    }

    void maxout(Matrix pre, Matrix out) {
        int l = width(out);
        RowPool<A> p = pools.get();
        A x = p.get(0, l);
        A y = p.get(1, l);
        for (long i = 0; i < pre.rows(); i++) {
            m.read(pre, i, 0, x, l);
            m.read(pre, i, l, y, l);
            m.max(x, x, y, l);
            m.write(x, out, i, 0, l);
        }
    }

    void maxoutBackward(Matrix pre, Matrix dOut, Matrix dPre) {
        int l = width(dOut);
        RowPool<A> p = pools.get();
        A x = p.get(0, l);
        A y = p.get(1, l);
        A g = p.get(2, l);
        A first = p.get(3, l);
        A second = p.get(4, l);
        for (long i = 0; i < pre.rows(); i++) {
            m.read(pre, i, 0, x, l);
            m.read(pre, i, l, y, l);
            m.read(dOut, i, 0, g, l);
            m.maxGrad(first, second, x, y, g, l);
            m.write(first, dPre, i, 0, l);
            m.write(second, dPre, i, l, l);
        }
    }
}
