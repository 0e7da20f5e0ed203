package org.recurrent4j.compute.cpu;

import static org.bytedeco.openblas.global.openblas_nolapack.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_sgemm;

import java.util.Locale;
import org.bytedeco.dnnl.dnnl_version_t;
import org.bytedeco.dnnl.global.dnnl;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Loader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The library that makes the CPU engine's float matrix products: oneDNN's {@code dnnl_sgemm} by default, OpenBLAS's
 * {@code cblas_sgemm} where oneDNN's natives cannot be loaded or where the system property
 * {@value #PROPERTY}{@code =openblas} asks for it. Double-precision products always go to OpenBLAS (oneDNN has no
 * dgemm).
 *
 * <p>Why: oneDNN picks its kernels from the CPU's instruction sets at run time (AVX-512 where the CPU has it), while
 * ND4J's OpenBLAS 0.3.19 runs AVX2 kernels on CPUs it does not know, AMD's Zen 4 among them; at the recurrent layers'
 * shapes oneDNN's products took 0.48–0.92 of OpenBLAS's time there (BENCHMARKS.md, "Which library makes the
 * products"). Both libraries compute C = α op(A) op(B) + β C on row-major operands; they round differently, so results
 * differ between them in the last bits. oneDNN threads with OpenMP ({@code OMP_NUM_THREADS}); with more than one
 * thread its waiting workers spin between products, which slows code that alternates products with element-wise Java
 * work on the calling thread, the decoder most (BENCHMARKS.md, "2 threads per side").
 */
enum FloatGemmLibrary {
    ONEDNN {
        @Override
        void sgemm(boolean transA, boolean transB, long m, long n, long k, float alpha, FloatPointer a, long lda,
                   FloatPointer b, long ldb, float beta, FloatPointer c, long ldc) {
            int status = dnnl.dnnl_sgemm(transA ? (byte) 'T' : (byte) 'N', transB ? (byte) 'T' : (byte) 'N', m, n, k,
                    alpha, a, lda, b, ldb, beta, c, ldc);
            if (status != dnnl.dnnl_success) {
                throw new IllegalStateException("oneDNN sgemm: status " + status + " for op(A) [" + m + ", " + k
                        + "] × op(B) [" + k + ", " + n + "] (lda " + lda + ", ldb " + ldb + ", ldc " + ldc + ")");
            }
        }

        @Override
        String describe() {
            dnnl_version_t v = dnnl.dnnl_version();
            return "oneDNN " + v.major() + "." + v.minor() + "." + v.patch();
        }
    },
    OPENBLAS {
        @Override
        void sgemm(boolean transA, boolean transB, long m, long n, long k, float alpha, FloatPointer a, long lda,
                   FloatPointer b, long ldb, float beta, FloatPointer c, long ldc) {
            cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                    (int) m, (int) n, (int) k, alpha, a, (int) lda, b, (int) ldb, beta, c, (int) ldc);
        }

        @Override
        String describe() {
            return "OpenBLAS";
        }
    };

    /** The system property that chooses the library: {@code onednn} (the default) or {@code openblas}. */
    static final String PROPERTY = "recurrent4j.cpu.sgemm";

    private static final Logger log = LoggerFactory.getLogger(FloatGemmLibrary.class);

    /** The library of this JVM, chosen once, when the first float product is made. */
    static FloatGemmLibrary inUse() {
        return Chosen.LIBRARY;
    }

    /** {@code c = α op(a) op(b) + β c}, every operand row-major with the given leading dimension. */
    abstract void sgemm(boolean transA, boolean transB, long m, long n, long k, float alpha, FloatPointer a,
                        long lda, FloatPointer b, long ldb, float beta, FloatPointer c, long ldc);

    /** @return the library's name and version */
    abstract String describe();

    /** Chooses on first use (lazy: a double-only user never loads oneDNN). */
    private static final class Chosen {
        static final FloatGemmLibrary LIBRARY = choose(System.getProperty(PROPERTY));
    }

    /**
     * @param requested the property's value, or null for the default
     * @return the library to use
     * @throws IllegalArgumentException for a value that names no library
     * @throws IllegalStateException    when oneDNN is asked for by name and cannot be loaded
     */
    static FloatGemmLibrary choose(String requested) {
        if (requested != null && !requested.isBlank()) {
            String name = requested.trim().toUpperCase(Locale.ROOT);
            FloatGemmLibrary library;
            try {
                library = valueOf(name);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("System property " + PROPERTY + ": expected onednn or openblas, got '"
                        + requested + "'");
            }
            if (library == ONEDNN) {
                Throwable failure = loadOneDnn();
                if (failure != null) {
                    throw new IllegalStateException(PROPERTY + "=onednn, but oneDNN's natives could not be loaded: "
                            + failure, failure);
                }
            }
            return library;
        }
        Throwable failure = loadOneDnn();
        if (failure != null) {
            log.info("CPU engine: oneDNN's natives could not be loaded ({}); float products through OpenBLAS", failure
                    .toString());
            return OPENBLAS;
        }
        return ONEDNN;
    }

    /** @return null once oneDNN is loaded, else why not */
    private static Throwable loadOneDnn() {
        try {
            Loader.load(dnnl.class);
            return null;
        } catch (LinkageError | RuntimeException e) {
            return e;
        }
    }
}
