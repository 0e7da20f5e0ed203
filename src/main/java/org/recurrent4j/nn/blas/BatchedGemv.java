package org.recurrent4j.nn.blas;

import static org.bytedeco.openblas.global.openblas_nolapack.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_dgemv;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_sgemv;

import java.util.Arrays;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One matrix-vector product per example, {@code y[b] = α · op(A[b]) x[b]}: what attention does with each example's
 * memory (the context {@code Σ_j α_j v_j}, the weights' gradient {@code v_j · dc}, an additive score's reduction over
 * source positions).
 *
 * <p>ND4J 1.0.0-M2.1 runs a batched {@code matmul} of this shape ({@code [mb, 1, Tk] × [mb, Tk, dv]}) through a generic
 * loop: 2.2–2.6 ms for mb 64, Tk 30, dv 1024 in float on one CPU thread, about 1 GFLOP/s. On the CPU backend this
 * class calls OpenBLAS's {@code gemv} once per example instead, 0.22 ms for the same product (measured in the same
 * session, the AMD EPYC CI machine). It takes that path for float and double arrays in plain c order on the CPU
 * backend; anything else (the CUDA backend, other data types, strided views of A) goes through ND4J's batched
 * {@code matmul}, with the same result.
 */
public final class BatchedGemv {
    private static volatile Boolean cpuBackend;

    private BatchedGemv() {
    }

    /**
     * @param a         [mb, m, k]
     * @param transpose whether to multiply by {@code A[b]ᵀ}
     * @param x         [mb, k] ({@code transpose} false) or [mb, m] (true)
     * @param alpha     factor of the product
     * @param y         [mb, m] or [mb, k], overwritten; any layout
     * @return y
     */
    public static INDArray gemv(INDArray a, boolean transpose, INDArray x, double alpha, INDArray y) {
        long mb = a.size(0);
        long m = a.size(1);
        long k = a.size(2);
        long xLen = transpose ? m : k;
        long yLen = transpose ? k : m;
        if (x.rank() != 2 || x.size(0) != mb || x.size(1) != xLen || y.rank() != 2 || y.size(0) != mb
                || y.size(1) != yLen) {
            throw new IllegalArgumentException("BatchedGemv: A " + Arrays.toString(a.shape())
                    + (transpose ? "ᵀ" : "") + " needs x [" + mb + ", " + xLen + "] and y [" + mb + ", " + yLen
                    + "], got x " + Arrays.toString(x.shape()) + ", y " + Arrays.toString(y.shape()));
        }
        DataType type = a.dataType();
        if (!onCpuBackend() || (type != DataType.FLOAT && type != DataType.DOUBLE) || x.dataType() != type
                || y.dataType() != type || !inPlace(a)) {
            return viaMatmul(a, transpose, x, alpha, y);
        }
        INDArray xc = inPlace(x) ? x : x.dup('c');
        INDArray yc = inPlace(y) ? y : Nd4j.createUninitialized(type, new long[] {mb, yLen}, 'c');
        // A[b] is row-major [m, k] with leading dimension k; x[b], y[b] contiguous
        ExampleGemv gemv = type == DataType.FLOAT ? floatGemv(a, xc, yc, transpose, m, k, alpha)
                : doubleGemv(a, xc, yc, transpose, m, k, alpha);
        long a0 = start(a);
        long x0 = start(xc);
        long y0 = start(yc);
        for (long b = 0; b < mb; b++) {
            gemv.run(a0 + b * m * k, x0 + b * xLen, y0 + b * yLen);
        }
        if (yc != y) {
            y.assign(yc);
        }
        return y;
    }

    /** One example's product, given the element positions of its A, x and y. */
    private interface ExampleGemv {
        void run(long aPos, long xPos, long yPos);
    }

    private static ExampleGemv floatGemv(INDArray a, INDArray x, INDArray y, boolean transpose, long m, long k,
                                         double alpha) {
        FloatPointer pa = new FloatPointer(a.data().addressPointer());
        FloatPointer px = new FloatPointer(x.data().addressPointer());
        FloatPointer py = new FloatPointer(y.data().addressPointer());
        int trans = transpose ? CblasTrans : CblasNoTrans;
        return (ia, ix, iy) -> cblas_sgemv(CblasRowMajor, trans, (int) m, (int) k, (float) alpha, pa.position(ia),
                (int) k, px.position(ix), 1, 0f, py.position(iy), 1);
    }

    private static ExampleGemv doubleGemv(INDArray a, INDArray x, INDArray y, boolean transpose, long m, long k,
                                          double alpha) {
        DoublePointer pa = new DoublePointer(a.data().addressPointer());
        DoublePointer px = new DoublePointer(x.data().addressPointer());
        DoublePointer py = new DoublePointer(y.data().addressPointer());
        int trans = transpose ? CblasTrans : CblasNoTrans;
        return (ia, ix, iy) -> cblas_dgemv(CblasRowMajor, trans, (int) m, (int) k, alpha, pa.position(ia), (int) k,
                px.position(ix), 1, 0.0, py.position(iy), 1);
    }

    /** The same product through ND4J's batched matmul (any backend, type and layout). */
    static INDArray viaMatmul(INDArray a, boolean transpose, INDArray x, double alpha, INDArray y) {
        long mb = a.size(0);
        INDArray x3 = x.dup('c').reshape('c', mb, 1, x.size(1));                        // [mb, 1, m or k]
        // as rows: y[b]ᵀ = x[b]ᵀ A[b] (transpose: [mb, 1, m] x [mb, m, k]) or x[b]ᵀ A[b]ᵀ ([mb, 1, k] x [mb, m, k]ᵀ)
        INDArray r = Nd4j.matmul(x3, a, false, !transpose, false).reshape('c', mb, y.size(1));
        return y.assign(alpha == 1.0 ? r : r.muli(alpha));
    }

    /**
     * @return the array's first element relative to its buffer's address pointer (which already points at the
     *     buffer's own offset for a view); negative if ND4J's offsets do not say
     */
    private static long start(INDArray arr) {
        return arr.offset() - arr.data().offset();
    }

    /**
     * @return whether OpenBLAS can read or write the array where it is: laid out as a fresh c-order array of its
     *     shape (an offset allowed) whose first element is known
     */
    private static boolean inPlace(INDArray arr) {
        return arr.ordering() == 'c' && Shape.hasDefaultStridesForShape(arr) && start(arr) >= 0;
    }

    /** @return whether ND4J runs on its CPU backend (host memory that OpenBLAS can read) */
    static boolean onCpuBackend() {
        Boolean cpu = cpuBackend;
        if (cpu == null) {
            cpu = "CPU".equals(String.valueOf(Nd4j.getExecutioner().getEnvironmentInformation().get("backend")));
            cpuBackend = cpu;
        }
        return cpu;
    }
}
