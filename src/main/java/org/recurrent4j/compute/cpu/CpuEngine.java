package org.recurrent4j.compute.cpu;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.openblas.global.openblas_nolapack;
import org.recurrent4j.compute.ComputeEngine;
import org.recurrent4j.compute.EngineBuffer;
import org.recurrent4j.compute.MaskedSteps;
import org.recurrent4j.compute.Matrix;
import org.recurrent4j.compute.Nonlinearity;
import org.recurrent4j.compute.Precision;
import org.recurrent4j.compute.Tensor3;

/**
 * The CPU implementation of {@link ComputeEngine}: products through oneDNN and OpenBLAS ({@link CpuBlas}), everything
 * else in {@link CpuKernels}, on host memory (ND4J's arrays and the engine's own buffers alike). Stateless apart from
 * per-thread working rows, so one instance serves every layer and thread.
 */
public final class CpuEngine implements ComputeEngine {
    private static final CpuEngine INSTANCE = new CpuEngine();

    private final CpuKernels<float[]> floats = new CpuKernels<>(FloatRowMath.INSTANCE);
    private final CpuKernels<double[]> doubles = new CpuKernels<>(DoubleRowMath.INSTANCE);

    private CpuEngine() {
    }

    /** @return the CPU engine */
    public static CpuEngine get() {
        return INSTANCE;
    }

    @Override
    public String describe() {
        int threads = openblas_nolapack.blas_get_num_threads();
        return "cpu (float products: " + FloatGemmLibrary.inUse().describe() + ", other products: OpenBLAS; "
                + (threads > 0 ? "OpenBLAS threads: " + threads : "threads from OMP_NUM_THREADS") + ")";
    }

    @Override
    public boolean sharesHostMemory() {
        return true;
    }

    @Override
    public EngineBuffer allocate(Precision precision, long elements) {
        return new HostBuffer(precision, elements);
    }

    /** Host memory from JavaCPP (counted against its {@code maxbytes}; freed by close or when unreachable). */
    private static final class HostBuffer implements EngineBuffer {
        private final BytePointer memory;
        private final Precision precision;
        private final long capacity;

        HostBuffer(Precision precision, long elements) {
            this.precision = precision;
            this.capacity = elements;
            this.memory = new BytePointer(Math.max(1, elements) * precision.bytes());
            if (memory.isNull()) {
                throw new OutOfMemoryError("CPU compute engine: could not allocate " + elements + " " + precision
                        + " elements");
            }
        }

        @Override public long address() { return memory.address(); }
        @Override public long capacity() { return capacity; }
        @Override public Precision precision() { return precision; }
        @Override public void close() { memory.deallocate(); }
    }

    private CpuKernels<?> kernels(Matrix a) {
        return a.precision() == Precision.FLOAT32 ? floats : doubles;
    }

    private static void sameShape(String op, Matrix a, Matrix b) {
        if (a.rows() != b.rows() || a.cols() != b.cols() || a.precision() != b.precision()) {
            throw new IllegalArgumentException(op + ": operands must have the same shape and precision; got "
                    + a.describe() + " and " + b.describe());
        }
    }

    @Override
    public void gemm(double alpha, Matrix a, boolean transA, Matrix b, boolean transB, double beta, Matrix c) {
        CpuBlas.checkShapes(a, transA, b, transB, c);
        long k = transA ? a.rows() : a.cols();
        if (k == 0 && c.length() > 0) {
            if (beta == 0) {
                kernels(c).fill(c, 0);                                                 // β = 0: C is not read
            } else {
                kernels(c).scale(c, beta);
            }
            return;
        }
        CpuBlas.gemm(alpha, a, transA, b, transB, beta, c);
    }

    @Override
    public void gemmBatched(long batch, double alpha, Matrix a, long strideA, boolean transA, Matrix b, long strideB,
                            boolean transB, double beta, Matrix c, long strideC) {
        for (long k = 0; k < batch; k++) {
            gemm(alpha, shifted(a, k * strideA), transA, shifted(b, k * strideB), transB, beta,
                    shifted(c, k * strideC));
        }
    }

    private static Matrix shifted(Matrix m, long elements) {
        return new Matrix(m.address() + elements * m.precision().bytes(), m.precision(), m.rows(), m.cols(), m.ld(),
                m.columnMajor());
    }

    @Override
    public void copy(Matrix src, Matrix dst) {
        sameShape("copy", src, dst);
        kernels(src).copy(src, dst);
    }

    @Override
    public void fill(Matrix dst, double value) {
        kernels(dst).fill(dst, value);
    }

    @Override
    public void add(Matrix a, Matrix b, Matrix out) {
        sameShape("add", a, b);
        sameShape("add", a, out);
        kernels(a).add(a, b, out);
    }

    @Override
    public void multiply(Matrix a, Matrix b, Matrix out) {
        sameShape("multiply", a, b);
        sameShape("multiply", a, out);
        kernels(a).multiply(a, b, out);
    }

    @Override
    public void scale(Matrix m, double s) {
        kernels(m).scale(m, s);
    }

    @Override
    public void axpy(double alpha, Matrix x, Matrix y) {
        sameShape("axpy", x, y);
        kernels(x).axpy(alpha, x, y);
    }

    @Override
    public void addRowVector(Matrix row, Matrix m) {
        if (row.rows() != 1 || row.cols() != m.cols() || row.precision() != m.precision()) {
            throw new IllegalArgumentException("addRowVector: " + m.describe() + " needs a row [1, " + m.cols()
                    + "]; got " + row.describe());
        }
        kernels(m).addRowVector(row, m);
    }

    @Override
    public void columnSums(Matrix m, double beta, Matrix out) {
        if (out.rows() != 1 || out.cols() != m.cols() || out.precision() != m.precision()) {
            throw new IllegalArgumentException("columnSums: " + m.describe() + " needs out [1, " + m.cols() + "]; got "
                    + out.describe());
        }
        kernels(m).columnSums(m, beta, out);
    }

    @Override
    public void scaleRows(Matrix factors, Matrix m) {
        if (factors.rows() != m.rows() || factors.cols() != 1 || factors.precision() != m.precision()) {
            throw new IllegalArgumentException("scaleRows: " + m.describe() + " needs factors [" + m.rows()
                    + ", 1]; got " + factors.describe());
        }
        kernels(m).scaleRows(factors, m);
    }

    @Override
    public double dot(Matrix a, Matrix b) {
        sameShape("dot", a, b);
        return kernels(a).dot(a, b);
    }

    @Override
    public double maxAbs(Matrix a) {
        return kernels(a).maxAbs(a);
    }

    @Override
    public double sum(Matrix a) {
        return kernels(a).sum(a);
    }

    @Override
    public void gatherRows(Matrix src, long[] rows, Matrix dst) {
        if (rows.length != dst.rows() || src.cols() != dst.cols()) {
            throw new IllegalArgumentException("gatherRows: " + rows.length + " indices into " + dst.describe()
                    + " from " + src.describe());
        }
        checkIndices("gatherRows", rows, src.rows());
        kernels(src).gatherRows(src, rows, dst);
    }

    @Override
    public void scatterAddRows(Matrix src, long[] rows, Matrix dst) {
        if (rows.length != src.rows() || src.cols() != dst.cols()) {
            throw new IllegalArgumentException("scatterAddRows: " + rows.length + " indices for " + src.describe()
                    + " into " + dst.describe());
        }
        checkIndices("scatterAddRows", rows, dst.rows());
        kernels(src).scatterAddRows(src, rows, dst);
    }

    @Override
    public void read(Matrix src, double[] dst) {
        if (dst.length < src.length()) {
            throw new IllegalArgumentException("read: " + src.describe() + " needs " + src.length() + " values; got "
                    + dst.length);
        }
        kernels(src).read(src, dst);
    }

    @Override
    public void toTimeMajor(Tensor3 src, Matrix dst) {
        if (dst.rows() != src.size(0) * src.size(2) || dst.cols() != src.size(1)) {
            throw new IllegalArgumentException("toTimeMajor: " + src + " needs [" + src.size(0) * src.size(2) + ", "
                    + src.size(1) + "]; got " + dst.describe());
        }
        kernels(dst).toTimeMajor(src, dst);
    }

    @Override
    public void fromTimeMajor(Matrix src, Tensor3 dst) {
        if (src.rows() != dst.size(0) * dst.size(2) || src.cols() != dst.size(1)) {
            throw new IllegalArgumentException("fromTimeMajor: " + dst + " needs [" + dst.size(0) * dst.size(2) + ", "
                    + dst.size(1) + "]; got " + src.describe());
        }
        kernels(src).fromTimeMajor(src, dst);
    }

    @Override
    public void activation(Nonlinearity f, Matrix x, Matrix y) {
        sameShape("activation", x, y);
        kernels(x).activation(f, x, y);
    }

    @Override
    public void activationBackward(Nonlinearity f, Matrix x, Matrix dy, Matrix dx) {
        sameShape("activationBackward", x, dy);
        sameShape("activationBackward", x, dx);
        kernels(dy).activationBackward(f, x, dy, dx);
    }

    @Override
    public void gruForwardResetAfter(Matrix xProj, Matrix rec, Matrix hPrev, Matrix cache, Matrix hNew) {
        kernels(hPrev).gruForwardResetAfter(xProj, rec, hPrev, cache, hNew);
    }

    @Override
    public void gruResetGates(Matrix xProj, Matrix recRz, Matrix hPrev, Matrix cache, Matrix resetState) {
        kernels(hPrev).gruResetGates(xProj, recRz, hPrev, cache, resetState);
    }

    @Override
    public void gruCandidate(Matrix xProj, Matrix recC, Matrix hPrev, Matrix cache, Matrix hNew) {
        kernels(hPrev).gruCandidate(xProj, recC, hPrev, cache, hNew);
    }

    @Override
    public void gruUpdateBackward(Matrix dHNew, Matrix hPrev, Matrix cache, Matrix dGates, Matrix dHPrev) {
        kernels(hPrev).gruUpdateBackward(dHNew, hPrev, cache, dGates, dHPrev);
    }

    @Override
    public void gruResetBackward(Matrix dResetState, Matrix hPrev, Matrix cache, Matrix dGates, Matrix dHPrev) {
        kernels(hPrev).gruResetBackward(dResetState, hPrev, cache, dGates, dHPrev);
    }

    @Override
    public void gruResetAfterBackward(Matrix cache, Matrix dGates, Matrix dRec) {
        kernels(dGates).gruResetAfterBackward(cache, dGates, dRec);
    }

    @Override
    public void lstmForward(Matrix pre, Matrix cPrev, Matrix cache, Matrix hNew, Matrix cNew) {
        kernels(pre).lstmForward(pre, cPrev, cache, hNew, cNew);
    }

    @Override
    public void lstmBackward(Matrix dH, Matrix dC, Matrix cPrev, Matrix cache, Matrix dGates, Matrix dCPrev) {
        kernels(dH).lstmBackward(dH, dC, cPrev, cache, dGates, dCPrev);
    }

    @Override
    public void maskedStep(Matrix candidate, Matrix previous, Matrix mask, MaskedSteps mode, Matrix state,
                           Matrix output) {
        kernels(candidate).maskedStep(candidate, previous, mask, mode, state, output);
    }

    @Override
    public void maskedStepBackward(Matrix dH, Matrix mask, MaskedSteps mode, Matrix dHNew, Matrix dHPrev) {
        kernels(dH).maskedStepBackward(dH, mask, mode, dHNew, dHPrev);
    }

    @Override
    public void additiveHidden(Matrix keys, Matrix query, Matrix hidden) {
        kernels(keys).additiveHidden(keys, query, hidden);
    }

    @Override
    public void additiveHiddenBackward(Matrix hidden, Matrix dScores, Matrix v, Matrix dKeys, Matrix dQuery) {
        kernels(hidden).additiveHiddenBackward(hidden, dScores, v, dKeys, dQuery);
    }

    @Override
    public void maskedSoftmax(Matrix scores, Matrix mask, Matrix alpha) {
        kernels(scores).maskedSoftmax(scores, mask, alpha);
    }

    @Override
    public void maskedSoftmaxBackward(Matrix alpha, Matrix dAlpha, Matrix dScores) {
        kernels(alpha).maskedSoftmaxBackward(alpha, dAlpha, dScores);
    }

    @Override
    public double softmaxCrossEntropy(Matrix logits, Matrix labels, boolean sparse, Matrix mask, double clip,
                                      double smoothing, Matrix dLogits, Matrix losses) {
        if (!(smoothing >= 0 && smoothing <= 1)) {
            throw new IllegalArgumentException("softmaxCrossEntropy: smoothing must be in [0, 1]; got " + smoothing);
        }
        if (labels.rows() != logits.rows() || labels.cols() != (sparse ? 1 : logits.cols())) {
            throw new IllegalArgumentException("softmaxCrossEntropy: logits " + logits.describe() + " need "
                    + (sparse ? "class indices [" + logits.rows() + ", 1]" : "labels of the same shape") + "; got "
                    + labels.describe());
        }
        return kernels(logits).softmaxCrossEntropy(logits, labels, sparse, mask, clip, smoothing, dLogits, losses);
    }

    private static void checkIndices(String op, long[] rows, long limit) {
        for (int i = 0; i < rows.length; i++) {
            if (rows[i] >= limit) {
                throw new IndexOutOfBoundsException(op + ": index " + i + " is row " + rows[i] + ", outside [0, "
                        + limit + ")");
            }
        }
    }

    private static void checkMaxout(String op, Matrix pre, Matrix half) {
        if (pre.rows() != half.rows() || pre.cols() != 2 * half.cols() || pre.precision() != half.precision()) {
            throw new IllegalArgumentException(op + ": pre [mb, 2l] and [mb, l] expected; got " + pre.describe()
                    + " and " + half.describe());
        }
    }

    @Override
    public void logSumExp(Matrix z, Matrix out) {
        if (out.rows() != z.rows() || out.cols() != 1 || out.precision() != z.precision()) {
            throw new IllegalArgumentException("logSumExp: " + z.describe() + " needs out [" + z.rows() + ", 1]; got "
                    + out.describe());
        }
        kernels(z).logSumExp(z, out);
    }

    @Override
    public void maxout(Matrix pre, Matrix out) {
        checkMaxout("maxout", pre, out);
        kernels(pre).maxout(pre, out);
    }

    @Override
    public void maxoutBackward(Matrix pre, Matrix dOut, Matrix dPre) {
        checkMaxout("maxoutBackward", pre, dOut);
        sameShape("maxoutBackward", pre, dPre);
        kernels(pre).maxoutBackward(pre, dOut, dPre);
    }
}
