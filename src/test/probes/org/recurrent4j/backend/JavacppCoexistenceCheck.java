package org.recurrent4j.backend;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.recurrent4j.conf.Gru;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feasibility probe ({@code src/site/markdown/cuda-presets-feasibility.md}): can the JavaCPP CUDA presets
 * ({@code org.bytedeco:cuda}, cuDNN 9) live on one classpath with ND4J 1.0.0-M2.1's CPU backend?
 * Not a test, and not compiled by the build: a main, compiled and run on the {@code cuda-presets} profile's classpath:
 * <pre>
 * mvn -B -q -Pcuda-presets compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * javac -d target/probes -cp target/classes:$(cat target/cp.txt) src/test/probes/org/recurrent4j/backend/*.java
 * java -cp target/probes:target/classes:$(cat target/cp.txt) org.recurrent4j.backend.JavacppCoexistenceCheck nd4j-first
 * </pre>
 * Argument {@code nd4j-first} initialises ND4J (GEMM checked against a scalar loop, a {@link Gru} network's forward
 * pass) before loading the presets; {@code cuda-first} the other way round, and runs ND4J again after the presets.
 * Every outcome is logged with the exception's class and message and its causes; exit status 0 when ND4J worked
 * in every step (whatever the presets did), 1 otherwise. With {@code -Dcheck.gpu=true} it also queries the GPU
 * (device count, a cuDNN handle) once the presets are loaded.
 */
public final class JavacppCoexistenceCheck {
    private static final Logger log = LoggerFactory.getLogger(JavacppCoexistenceCheck.class);

    private static final String[] PRESET_CLASSES = {"org.bytedeco.cuda.global.cudart", "org.bytedeco.cuda.global.cudnn"};

    private JavacppCoexistenceCheck() {
    }

    public static void main(String[] args) throws Exception {
        String order = args.length > 0 ? args[0] : "nd4j-first";
        if (!order.equals("nd4j-first") && !order.equals("cuda-first")) {
            throw new IllegalArgumentException("JavacppCoexistenceCheck: argument must be nd4j-first or cuda-first, got " + order);
        }
        log.info("JavaCPP Loader from {} (version {}), java.library.path={}",
                Loader.class.getProtectionDomain().getCodeSource().getLocation(), javacppVersion(),
                System.getProperty("java.library.path"));
        boolean nd4jOk;
        if (order.equals("nd4j-first")) {
            nd4jOk = nd4jStep("ND4J (before presets)");
            presetsStep(JavacppCoexistenceCheck.class.getClassLoader());
            nd4jOk &= nd4jStep("ND4J (after presets)");
        } else {
            presetsStep(JavacppCoexistenceCheck.class.getClassLoader());
            nd4jOk = nd4jStep("ND4J (after presets)");
        }
        log.info("RESULT order={} nd4j={}", order, nd4jOk ? "OK" : "FAILED");
        System.exit(nd4jOk ? 0 : 1);
    }

    /** @return the JavaCPP version the Loader class reports (1.5.7's Loader has the same method) */
    static String javacppVersion() {
        try {
            return Loader.getVersion();
        } catch (Throwable t) {
            return "unknown (" + describe(t) + ")";
        }
    }

    /** GEMM against a scalar loop, and a Gru + RnnOutputLayer forward pass; logs and returns the outcome. */
    static boolean nd4jStep(String label) {
        try {
            Random r = new Random(7);
            int m = 5, k = 7, n = 3;
            double[][] a = new double[m][k], b = new double[k][n];
            for (double[] row : a) for (int j = 0; j < k; j++) row[j] = r.nextGaussian();
            for (double[] row : b) for (int j = 0; j < n; j++) row[j] = r.nextGaussian();
            INDArray c = Nd4j.create(a).mmul(Nd4j.create(b)); // [m, n]
            double maxErr = 0;
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int p = 0; p < k; p++) s += a[i][p] * b[p][j];
                    maxErr = Math.max(maxErr, Math.abs(s - c.getDouble(i, j)));
                }
            }
            if (maxErr > 1e-9) {
                throw new IllegalStateException("GEMM differs from the scalar loop by " + maxErr);
            }
            MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(3).dataType(DataType.FLOAT)
                    .weightInit(WeightInit.XAVIER).list()
                    .layer(new Gru.Builder().nIn(4).nOut(6).resetAfter(true).build())
                    .layer(new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX)
                            .nIn(6).nOut(3).build())
                    .build();
            MultiLayerNetwork net = new MultiLayerNetwork(conf);
            net.init();
            INDArray out = net.output(Nd4j.rand(DataType.FLOAT, 2, 4, 9)); // [mb=2, 3, T=9]
            double colSum = out.sum(1).meanNumber().doubleValue(); // softmax over classes: 1 per (mb, t)
            if (Math.abs(colSum - 1.0) > 1e-5) {
                throw new IllegalStateException("softmax columns sum to " + colSum);
            }
            log.info("{}: OK backend={} blas={} gemmMaxErr={} gruOut={}", label,
                    Nd4j.getExecutioner().getEnvironmentInformation().get("backend"),
                    Nd4j.getExecutioner().getEnvironmentInformation().get("blas.vendor"), maxErr,
                    java.util.Arrays.toString(out.shape()));
            return true;
        } catch (Throwable t) {
            log.error("{}: FAILED {}", label, describe(t), t);
            return false;
        }
    }

    /**
     * Loads each preset class without initialising it (class loading and linking against this Loader), then
     * {@code Loader.load(cls)} (JNI library and its CUDA dependencies); on success calls version functions.
     */
    static void presetsStep(ClassLoader loader) {
        for (String name : PRESET_CLASSES) {
            Class<?> cls;
            try {
                cls = Class.forName(name, false, loader);
                log.info("{}: class loaded (not initialised) from {}", name,
                        cls.getProtectionDomain().getCodeSource().getLocation());
            } catch (Throwable t) {
                log.error("{}: class load FAILED {}", name, describe(t));
                continue;
            }
            try {
                String path = Loader.load(cls);
                log.info("{}: Loader.load OK -> {}", name, path);
            } catch (Throwable t) {
                log.error("{}: Loader.load FAILED {}", name, describe(t));
                continue;
            }
            try {
                callVersions(cls);
            } catch (java.lang.reflect.InvocationTargetException e) {
                log.error("{}: native call FAILED {}", name, describe(e.getCause()));
            } catch (Throwable t) {
                log.error("{}: native call FAILED {}", name, describe(t));
            }
        }
    }

    /**
     * Calls version functions (and with -Dcheck.gpu=true the device count and a cuDNN handle) by reflection, so that
     * this class compiles without the presets on the classpath (the default build).
     */
    private static void callVersions(Class<?> cls) throws Exception {
        if (cls.getSimpleName().equals("cudart")) {
            IntPointer v = new IntPointer(1);
            for (String fn : Boolean.getBoolean("check.gpu")
                    ? new String[] {"cudaRuntimeGetVersion", "cudaDriverGetVersion", "cudaGetDeviceCount"}
                    : new String[] {"cudaRuntimeGetVersion", "cudaDriverGetVersion"}) {
                Object rc = cls.getMethod(fn, IntPointer.class).invoke(null, v);
                log.info("{} rc={} value={}", fn, rc, v.get());
            }
            // ND4J's host buffer is a Pointer of the same JavaCPP classes: it goes straight into a presets call
            // (a host-to-host copy of 4 floats: cudaMemcpyKind 0); the copy needs a driver, the call itself does not
            INDArray src = Nd4j.createFromArray(1f, 2f, 3f, 4f), dst = Nd4j.zeros(DataType.FLOAT, 4);
            Pointer s = src.data().addressPointer(), d = dst.data().addressPointer();
            Object rc = cls.getMethod("cudaMemcpy", Pointer.class, Pointer.class, long.class, int.class)
                    .invoke(null, d, s, 16L, 0);
            log.info("cudaMemcpy(ND4J buffer -> ND4J buffer, host to host) rc={} pointerClassLoader={} dst={}", rc,
                    s.getClass().getClassLoader() == cls.getClassLoader() ? "same" : "different", dst);
        } else {
            log.info("cudnnGetVersion={}", cls.getMethod("cudnnGetVersion").invoke(null));
            if (Boolean.getBoolean("check.gpu")) {
                Class<?> ctx = Class.forName("org.bytedeco.cuda.cudnn.cudnnContext", true, cls.getClassLoader());
                Object handle = ctx.getConstructor().newInstance();
                Object rc = cls.getMethod("cudnnCreate", ctx).invoke(null, handle);
                log.info("cudnnCreate rc={}", rc);
                if (Integer.valueOf(0).equals(rc)) {
                    cls.getMethod("cudnnDestroy", ctx).invoke(null, handle);
                }
            }
        }
    }

    /** "Class: message" for the throwable and each cause, separated by " <- caused by ". */
    static String describe(Throwable t) {
        List<String> parts = new ArrayList<>();
        for (Throwable c = t; c != null && parts.size() < 6; c = c.getCause()) {
            parts.add(c.getClass().getName() + ": " + c.getMessage());
        }
        return String.join(" <- caused by ", parts);
    }
}
