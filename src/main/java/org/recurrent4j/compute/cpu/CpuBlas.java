package org.recurrent4j.compute.cpu;

import static org.bytedeco.openblas.global.openblas_nolapack.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_dgemm;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_dgemv;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_sgemv;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.recurrent4j.compute.Matrix;
import org.recurrent4j.compute.Precision;

/**
 * Matrix products called on the matrices' memory directly (no copies, no ND4J op dispatch: a 32×256·256×768 product
 * took 0.62 ms through ND4J's {@code mmul} and 0.13 ms through OpenBLAS this way): float products through
 * {@link FloatGemmLibrary} (oneDNN by default), double products and matrix-vector products through OpenBLAS's CBLAS.
 * Any layout of the operands maps onto row-major calls by flipping transpose flags; products with one output column
 * (or row) are matrix-vector products ({@code ?gemv}).
 */
final class CpuBlas {
    private CpuBlas() {
    }

    /** A float pointer at a raw address (memory owned elsewhere). */
    private static final class FloatAt extends FloatPointer {
        FloatAt(long address) {
            super((Pointer) null);
            this.address = address;
        }
    }

    /** A double pointer at a raw address (memory owned elsewhere). */
    private static final class DoubleAt extends DoublePointer {
        DoubleAt(long address) {
            super((Pointer) null);
            this.address = address;
        }
    }

    /** Throws unless {@code op(a) op(b)} fits into c (shapes and precisions). */
    static void checkShapes(Matrix a, boolean transA, Matrix b, boolean transB, Matrix c) {
        long m = transA ? a.cols() : a.rows();
        long k = transA ? a.rows() : a.cols();
        long kb = transB ? b.cols() : b.rows();
        long n = transB ? b.rows() : b.cols();
        if (k != kb || c.rows() != m || c.cols() != n || a.precision() != c.precision()
                || b.precision() != c.precision()) {
            throw new IllegalArgumentException("gemm: op(A) [" + m + ", " + k + "] × op(B) [" + kb + ", " + n
                    + "] into C " + c.describe() + " (A " + a.describe() + (transA ? "ᵀ" : "") + ", B " + b.describe()
                    + (transB ? "ᵀ" : "") + ")");
        }
    }

    /** {@code c = α op(a) op(b) + β c} */
    static void gemm(double alpha, Matrix a, boolean transA, Matrix b, boolean transB, double beta, Matrix c) {
        checkShapes(a, transA, b, transB, c);
        long m = transA ? a.cols() : a.rows();
        long k = transA ? a.rows() : a.cols();
        long n = transB ? b.rows() : b.cols();
        if (m == 0 || n == 0) {
            return;
        }
        if (c.columnMajor() && !(c.cols() == 1)) {
            // Cᵀ = op(B)ᵀ op(A)ᵀ, with Cᵀ row-major
            gemm(alpha, b, !transB, a, !transA, beta, c.transpose());
            return;
        }
        if (n == 1) {
            gemv(alpha, a, transA, b.transpose(), transB, beta, c.transpose());
            return;
        }
        // row-major storage of each operand: a column-major matrix is the transpose of its row-major storage
        boolean ta = transA ^ a.columnMajor();
        boolean tb = transB ^ b.columnMajor();
        int lda = (int) a.ld();
        int ldb = (int) b.ld();
        int ldc = (int) c.ld();
        if (c.precision() == Precision.FLOAT32) {
            FloatGemmLibrary.inUse().sgemm(ta, tb, m, n, k, (float) alpha, new FloatAt(a.address()), lda,
                    new FloatAt(b.address()), ldb, (float) beta, new FloatAt(c.address()), ldc);
        } else {
            cblas_dgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, (int) m,
                    (int) n, (int) k, alpha, new DoubleAt(a.address()), lda, new DoubleAt(b.address()), ldb, beta,
                    new DoubleAt(c.address()), ldc);
        }
    }

    /**
     * {@code y = α op(a) x + β y} with x and y given as one-row matrices: x [1, k] ({@code transX} false) or its
     * transpose, y [1, m]. Elements of x and y may be strided.
     */
    private static void gemv(double alpha, Matrix a, boolean transA, Matrix x, boolean transX, double beta, Matrix y) {
        Matrix xRow = transX ? x.transpose() : x;                                      // [1, k]
        long m = transA ? a.cols() : a.rows();
        long k = transA ? a.rows() : a.cols();
        boolean ta = transA ^ a.columnMajor();
        int rows = (int) (a.columnMajor() ? a.cols() : a.rows());                      // of a's row-major storage
        int cols = (int) (a.columnMajor() ? a.rows() : a.cols());
        int incX = (int) (xRow.unitColumnStride() ? 1 : xRow.ld());
        int incY = (int) (y.unitColumnStride() ? 1 : y.ld());
        if (k == 0) {
            return;
        }
        if (y.precision() == Precision.FLOAT32) {
            cblas_sgemv(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, rows, cols, (float) alpha,
                    new FloatAt(a.address()), (int) a.ld(), new FloatAt(xRow.address()), incX, (float) beta,
                    new FloatAt(y.address()), incY);
        } else {
            cblas_dgemv(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, rows, cols, alpha, new DoubleAt(a.address()),
                    (int) a.ld(), new DoubleAt(xRow.address()), incX, beta, new DoubleAt(y.address()), incY);
        }
        assert m == y.cols();
    }
}
