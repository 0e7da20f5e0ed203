package org.recurrent4j.bench;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Sgd;
import org.recurrent4j.compute.cpu.CpuEngine;
import org.recurrent4j.conf.ElmanRnn;
import org.recurrent4j.nn.loss.SoftmaxCrossEntropy;
import org.recurrent4j.conf.Gru;
import org.recurrent4j.conf.RnnSoftmaxOutput;
import org.recurrent4j.conf.graph.AttentionDecoderVertex;
import org.recurrent4j.conf.graph.AttentionDecoderVertex.InitialState;
import org.recurrent4j.compute.EngineProfile;
import org.recurrent4j.data.io.TextFiles;
import org.recurrent4j.nn.decoder.AttentionDecoder;
import org.recurrent4j.nn.engine.Engines;
import org.recurrent4j.seq2seq.Seq2SeqBuilder;

/**
 * The Recurrent4j side of {@code src/test/sh/bench-vs-pytorch.sh} (not a test): our layers and models on the rows of
 * {@code src/test/python/pytorch_peers.py} (same grid, same sizes), timed the same way, one JSON line per
 * configuration on stdout ({@code "impl": "recurrent4j ..."}), after one {@code {"meta": ...}} line.
 *
 * <ul>
 *   <li>{@code elman}, {@code gru} ({@code resetAfter(true)}), {@code gru-papers} ({@code resetAfter(false)}): one
 *       training iteration ({@code MultiLayerNetwork.fit}: forward, backward, SGD 1e-3) of the recurrent layer,
 *       nIn = nOut = n, and a 64-class softmax output on every step ({@link RnnSoftmaxOutput}, loss
 *       {@link SoftmaxCrossEntropy}: DL4J's RnnOutputLayer with MCXENT, on the engine), T = 50;
 *       mb ∈ {32, 64} × n ∈ {128, 256, 512}; each with {@code inputGradient(false)} (no dL/d(input), as PyTorch
 *       for an input that needs no gradient) and with the default (dL/d(input) too)</li>
 *   <li>{@code decoder}: {@link AttentionDecoder} forward + backward (GRU papers' form, Bahdanau), mb 64,
 *       Tx = Ty = 30, e 256, n 512, dh 1024, a 512, output = the state, s_0 = 0;
 *       {@code decoder-quick}: mb 32, e 64, n 128, dh 256, a 64, maxout 64, s_0 = tanh(h←_1 W_s + b_s)</li>
 *   <li>{@code rnnsearch}: one {@code ComputationGraph.fit(MultiDataSet)} of {@link Seq2SeqBuilder#rnnSearch()} at
 *       the quick preset's sizes ({@code ExperimentSettings.quick()}: embedding 64, hidden 128, maxout 64, attention
 *       64, Adam 0.01; 3,000 words each side), batch 32, source and target length 30, random ids, no masks</li>
 * </ul>
 * Timing: warm-up (at least W iterations and S seconds), then R repetitions of k iterations each (k so that a
 * repetition lasts at least {@code --min-rep-s}); the medians over the repetitions of the wall time and of the
 * process CPU time ({@code OperatingSystemMXBean.getProcessCpuTime()}, all threads: ND4J's, the GC's, the JIT's;
 * its resolution here is 10 ms, hence repetitions of at least {@code --min-rep-s}) per iteration.
 * Threads: ND4J and its OpenBLAS take {@code OMP_NUM_THREADS} from the environment; {@code --threads} only labels.
 *
 * <pre>
 * OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 java -cp target/test-classes:target/classes:$(cat CLASSPATH_FILE) \
 *     org.recurrent4j.bench.PeerComparison --threads 1 --reps 5 --rows layers,decoder,rnnsearch [--quick]
 * ... PeerComparison --rows elman --mb 64 --n 128 --profile FILE  # and the engine's split of each row into FILE
 *                                   # (Markdown, EngineProfile; its cost is in that run's timings: profile and time
 *                                   # in separate runs)
 * ... PeerComparison --export DIR   # parameters, inputs and results of a small decoder and RNNsearch, for
 *                                   # pytorch_peers.py --verify DIR (checks that the PyTorch peers compute our math)
 * </pre>
 */
public final class PeerComparison {
    private static final int STEPS = 50;
    private static final int CLASSES = 64;
    private static final int[] LAYER_MB = {32, 64};
    private static final int[] LAYER_N = {128, 256, 512};
    /** mb, Tx, Ty, e, n, dh, a, maxout l, s_0 (as pytorch_peers.DECODER, DECODER_QUICK) */
    private static final DecoderSizes DECODER = new DecoderSizes(64, 30, 30, 256, 512, 1024, 512, 0, InitialState.ZERO);
    private static final DecoderSizes DECODER_QUICK =
            new DecoderSizes(32, 30, 30, 64, 128, 256, 64, 64, InitialState.BACKWARD_FIRST_ANNOTATION);
    /** the quick preset's RNNsearch (pytorch_peers.RNNSEARCH) */
    private static final RnnSearchSizes RNNSEARCH =
            new RnnSearchSizes(32, 30, 30, 3000, 3000, 64, 128, 128, 64, 64, 0.01);

    private static final List<String> ALL_ROWS =
            List.of("elman", "gru", "gru-papers", "decoder", "decoder-quick", "rnnsearch");
    private static final Map<String, List<String>> GROUPS = Map.of("layers", List.of("elman", "gru", "gru-papers"),
            "decoder", List.of("decoder", "decoder-quick"), "rnnsearch", List.of("rnnsearch"));

    private record DecoderSizes(long mb, long tx, long ty, long e, long n, long dh, long a, long l, InitialState init) {
        AttentionDecoderVertex conf() {
            return new AttentionDecoderVertex.Builder().embeddingSize(e).annotationSize(dh).nOut(n).attentionSize(a)
                    .maxoutSize(l).initialState(init).build();          // GRU, resetAfter(false), BAHDANAU: defaults
        }
    }

    private record RnnSearchSizes(int mb, int tx, int ty, int vx, int vy, long e, long enc, long n, long a, long l,
                                  double lr) {
        Seq2SeqBuilder builder() {
            return Seq2SeqBuilder.rnnSearch().sourceVocabularySize(vx).targetVocabularySize(vy).embeddingSize(e)
                    .encoderSize(enc).decoderSize(n).maxoutSize(l).attentionSize(a).updater(new Adam(lr)).seed(1234);
        }
    }

    /** profile: the engine profile of a separate, profiled run (Markdown), or null */
    private record Timing(double wallMs, double cpuMs, int itersPerRep, String profile) {
    }

    private static final class Options {
        int threads = 1;
        int reps = 5;
        int warmup = 3;
        double warmupSeconds = 2.0;
        double minRepSeconds = 0.3;
        List<String> rows = new ArrayList<>();
        boolean quick;
        EngineProfile profile;
        Path profileFile;
        final StringBuilder profiles = new StringBuilder();
        int[] mb;
        int[] n;
        File export;
    }

    private PeerComparison() {
    }

    public static void main(String[] args) throws IOException {
        Options o = parse(args);
        Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
        if (o.export != null) {
            export(o.export);
            return;
        }
        System.out.println(String.format(Locale.ROOT, "{\"meta\": \"recurrent4j\", \"java\": \"%s\", \"blas\": \"%s\", "
                        + "\"engine\": \"%s\", \"nd4j_threads\": %d, \"omp_threads\": \"%s\", "
                        + "\"openblas_threads\": \"%s\"}",
                System.getProperty("java.version"), blasConfig(), CpuEngine.get().describe(),
                Nd4j.getEnvironment().maxThreads(),
                System.getenv("OMP_NUM_THREADS"), System.getenv("OPENBLAS_NUM_THREADS")));
        int[] mbs = o.mb != null ? o.mb : o.quick ? new int[] {32} : LAYER_MB;
        int[] ns = o.n != null ? o.n : o.quick ? new int[] {128} : LAYER_N;
        for (String row : o.rows) {
            switch (row) {
                case "elman", "gru", "gru-papers" -> {
                    for (int mb : mbs) {
                        for (int n : ns) {
                            layerRow(row, mb, n, o);
                        }
                    }
                }
                case "decoder" -> decoderRow(row, DECODER, o);
                case "decoder-quick" -> decoderRow(row, DECODER_QUICK, o);
                case "rnnsearch" -> rnnSearchRow(o);
                default -> throw new IllegalStateException(row);
            }
        }
    }

    // --- rows -------------------------------------------------------------------------------------------------------

    /** Both variants of a layer row: without dL/d(input) ({@code inputGradient(false)}) and with it (the default). */
    private static void layerRow(String row, int mb, int n, Options o) {
        for (boolean inputGradient : new boolean[] {false, true}) {
            layerRow(row, mb, n, inputGradient, o);
        }
    }

    private static void layerRow(String row, int mb, int n, boolean inputGradient, Options o) {
        Layer recurrent = switch (row) {
            case "elman" -> new ElmanRnn.Builder().nIn(n).nOut(n).activation(Activation.TANH)
                    .inputGradient(inputGradient).build();
            case "gru" -> new Gru.Builder().nIn(n).nOut(n).resetAfter(true).inputGradient(inputGradient).build();
            default -> new Gru.Builder().nIn(n).nOut(n).resetAfter(false).inputGradient(inputGradient).build();
        };
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(1)
                .dataType(DataType.FLOAT).updater(new Sgd(1e-3)).weightInit(WeightInit.XAVIER).list()
                .layer(recurrent)
                .layer(new RnnSoftmaxOutput.Builder(new SoftmaxCrossEntropy()).nIn(n).nOut(CLASSES).build())
                .build());
        net.init();
        Nd4j.getRandom().setSeed(2);
        INDArray features = Nd4j.randn(DataType.FLOAT, mb, n, STEPS);                       // [mb, n, T]
        INDArray labels = Nd4j.zeros(DataType.FLOAT, mb, CLASSES, STEPS);                   // [mb, 64, T] one-hot
        for (int i = 0; i < mb; i++) {
            for (int t = 0; t < STEPS; t++) {
                labels.putScalar(i, (i * 7 + t * 3) % CLASSES, t, 1f);
            }
        }
        String impl = switch (row) {
            case "elman" -> "recurrent4j ElmanRnn tanh";
            case "gru" -> "recurrent4j Gru resetAfter(true)";
            default -> "recurrent4j Gru resetAfter(false)";
        } + (inputGradient ? "" : ", inputGradient(false)");
        emit(row, mb, n, impl, net.numParams(), measure(() -> net.fit(features, labels), o), o);
    }

    private static void decoderRow(String row, DecoderSizes s, Options o) {
        AttentionDecoderVertex conf = s.conf();
        AttentionDecoder dec = conf.createDecoder();
        Map<String, INDArray> p = new LinkedHashMap<>();
        Map<String, INDArray> g = new LinkedHashMap<>();
        long params = 0;
        for (Map.Entry<String, long[]> en : conf.paramShapes().entrySet()) {
            p.put(en.getKey(), Nd4j.create(DataType.FLOAT, en.getValue(), 'f'));
            g.put(en.getKey(), Nd4j.create(DataType.FLOAT, en.getValue(), 'f'));
            params += Arrays.stream(en.getValue()).reduce(1, (x, y) -> x * y);
        }
        dec.initParams(p);
        Nd4j.getRandom().setSeed(2);
        INDArray y = Nd4j.randn(DataType.FLOAT, s.mb(), s.e(), s.ty());                    // [mb, e, Ty]
        INDArray h = Nd4j.randn(DataType.FLOAT, s.mb(), s.dh(), s.tx());                   // [mb, dh, Tx]
        INDArray dOut = Nd4j.randn(DataType.FLOAT, s.mb(), conf.outputSize(), s.ty());     // [mb, out, Ty]
        emit(row, s.mb(), s.n(), "recurrent4j AttentionDecoder", params,
                measure(() -> dec.backward(p, dec.forward(p, y, null, h, null, true), dOut, g), o), o);
    }

    private static void rnnSearchRow(Options o) {
        RnnSearchSizes s = RNNSEARCH;
        ComputationGraph graph = new ComputationGraph(s.builder().buildConfiguration());
        graph.init();
        MultiDataSet batch = randomBatch(s, 2);
        // numParams() counts layers only, not the decoder vertex: the JSON reports params().length()
        System.err.printf(Locale.ROOT, "PeerComparison: RNNsearch params().length() = %d, numParams() = %d%n",
                graph.params().length(), graph.numParams());
        emit("rnnsearch", s.mb(), (int) s.n(), "recurrent4j RNNsearch (Seq2SeqBuilder, ComputationGraph.fit)",
                graph.params().length(), measure(() -> graph.fit(batch), o), o);
    }

    /** Seq2SeqIterator's layout without padding or masks: source [mb, 1, Tx], target in / out [mb, 1, Ty] ids. */
    private static MultiDataSet randomBatch(RnnSearchSizes s, long seed) {
        Nd4j.getRandom().setSeed(seed);
        INDArray src = Nd4j.rand(DataType.FLOAT, s.mb(), 1, s.tx()).muli(s.vx()).castTo(DataType.INT32)
                .castTo(DataType.FLOAT);
        INDArray tgtIn = Nd4j.rand(DataType.FLOAT, s.mb(), 1, s.ty()).muli(s.vy()).castTo(DataType.INT32)
                .castTo(DataType.FLOAT);
        INDArray tgtOut = Nd4j.rand(DataType.FLOAT, s.mb(), 1, s.ty()).muli(s.vy()).castTo(DataType.INT32)
                .castTo(DataType.FLOAT);
        return new org.nd4j.linalg.dataset.MultiDataSet(new INDArray[] {src, tgtIn}, new INDArray[] {tgtOut});
    }

    // --- timing -----------------------------------------------------------------------------------------------------

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /**
     * warm-up (at least {@code --warmup} iterations and {@code --warmup-s} seconds: the JIT compiles the hot paths of
     * a small configuration only after many iterations), then reps repetitions of k iterations; medians over
     * repetitions of ms per iteration (wall, CPU)
     */
    private static Timing measure(Runnable iteration, Options o) {
        long warm0 = System.nanoTime();
        for (int i = 0; i < o.warmup || System.nanoTime() - warm0 < o.warmupSeconds * 1e9; i++) {
            iteration.run();
        }
        long t0 = System.nanoTime();
        iteration.run();
        double one = (System.nanoTime() - t0) / 1e9;
        int k = (int) Math.max(1, Math.ceil(o.minRepSeconds / Math.max(one, 1e-9)));
        double[] wall = new double[o.reps];
        double[] cpu = new double[o.reps];
        for (int r = 0; r < o.reps; r++) {
            long c0 = cpuNanos();
            long w0 = System.nanoTime();
            for (int i = 0; i < k; i++) {
                iteration.run();
            }
            wall[r] = (System.nanoTime() - w0) / 1e6 / k;
            cpu[r] = (cpuNanos() - c0) / 1e6 / k;
        }
        return new Timing(median(wall), median(cpu), k, o.profile == null ? null : profiled(iteration, k * o.reps, o));
    }

    /** The engine's split of {@code iterations} more iterations, run after the timed ones with the profile on. */
    private static String profiled(Runnable iteration, int iterations, Options o) {
        o.profile.reset();
        long w0 = System.nanoTime();
        for (int i = 0; i < iterations; i++) {
            iteration.run();
        }
        return o.profile.table(iterations, (System.nanoTime() - w0) / 1e6);
    }

    private static double median(double[] x) {
        double[] s = x.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static void emit(String row, long mb, long n, String impl, long params, Timing t, Options o) {
        System.out.println(String.format(Locale.ROOT, "{\"row\": \"%s\", \"mb\": %d, \"n\": %d, \"impl\": \"%s\", "
                        + "\"wall_ms\": %.3f, \"cpu_ms\": %.3f, \"params\": %d, \"threads\": %d, \"reps\": %d, "
                        + "\"iters_per_rep\": %d}", row, mb, n, impl, t.wallMs(), t.cpuMs(), params, o.threads, o.reps,
                t.itersPerRep()));
        System.out.flush();
        if (t.profile() != null) {
            o.profiles.append(String.format(Locale.ROOT, "### %s, mb %d, n %d (%s), %d thread(s)%n%n%s%n", row, mb, n,
                    impl, o.threads, t.profile()));
            String text = o.profiles.toString();
            TextFiles.writeAtomically(o.profileFile, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
        }
    }

    /** @return the BLAS ND4J's CPU backend calls: its vendor and the org.bytedeco:openblas build bundled with it */
    private static String blasConfig() {
        try {
            Package pkg = org.bytedeco.openblas.global.openblas_nolapack.class.getPackage();
            return Nd4j.factory().blas().getBlasVendor() + " (org.bytedeco:openblas "
                    + (pkg.getImplementationVersion() == null ? "?" : pkg.getImplementationVersion()) + ", "
                    + "threads " + Nd4j.factory().blas().getMaxThreads() + ")";
        } catch (RuntimeException | LinkageError e) {
            return "unknown (" + e.getClass().getSimpleName() + ")";
        }
    }

    // --- export for pytorch_peers.py --verify -----------------------------------------------------------------------

    /**
     * Writes .npy files and export.json into {@code dir}: a small decoder (maxout, BACKWARD_FIRST_ANNOTATION) with its
     * parameters, inputs, dOut, outputs and gradients, and a small RNNsearch with its parameters (named as the PyTorch
     * peer's), a batch, DL4J's score of it and the
     * gradients (parameters ×3 first, so that the softmax is far from uniform).
     */
    private static void export(File dir) throws IOException {
        Files.createDirectories(dir.toPath());
        DecoderSizes d = new DecoderSizes(3, 5, 4, 6, 8, 10, 7, 5, InitialState.BACKWARD_FIRST_ANNOTATION);
        AttentionDecoderVertex conf = d.conf();
        AttentionDecoder dec = conf.createDecoder();
        Map<String, INDArray> p = new LinkedHashMap<>();
        Map<String, INDArray> g = new LinkedHashMap<>();
        conf.paramShapes().forEach((k, s) -> {
            p.put(k, Nd4j.create(DataType.FLOAT, s, 'f'));
            g.put(k, Nd4j.create(DataType.FLOAT, s, 'f'));
        });
        dec.initParams(p);
        Nd4j.getRandom().setSeed(3);
        p.get("b").assign(Nd4j.randn(DataType.FLOAT, p.get("b").shape()).muli(0.5));   // non-zero biases, so that
        p.get("bs").assign(Nd4j.randn(DataType.FLOAT, p.get("bs").shape()).muli(0.5)); // their placement is checked
        p.get("bu").assign(Nd4j.randn(DataType.FLOAT, p.get("bu").shape()).muli(0.5));
        p.get("attb").assign(Nd4j.randn(DataType.FLOAT, p.get("attb").shape()).muli(0.5));
        INDArray y = Nd4j.randn(DataType.FLOAT, d.mb(), d.e(), d.ty());
        INDArray h = Nd4j.randn(DataType.FLOAT, d.mb(), d.dh(), d.tx());
        INDArray dOut = Nd4j.randn(DataType.FLOAT, d.mb(), conf.outputSize(), d.ty());
        var f = dec.forward(p, y, null, h, null, true);
        INDArray out = f.outputs.dup('c');
        var in = dec.backward(p, f, dOut, g);
        for (String k : p.keySet()) {
            npy(dir, "dec_p_" + k, p.get(k));
            npy(dir, "dec_g_" + k, g.get(k));
        }
        npy(dir, "dec_y", y);
        npy(dir, "dec_h", h);
        npy(dir, "dec_dout", dOut);
        npy(dir, "dec_out", out);
        npy(dir, "dec_dy", in.embeddings());
        npy(dir, "dec_dh", in.annotations());

        RnnSearchSizes r = new RnnSearchSizes(3, 5, 4, 50, 40, 6, 5, 8, 7, 5, 0.01);
        ComputationGraph graph = new ComputationGraph(r.builder().buildConfiguration());
        graph.init();
        Map<String, String> names = new LinkedHashMap<>();   // ours (vertex/key) -> the PyTorch peer's parameter name
        names.put("sourceEmbedding/W", "srcEmb.weight");
        names.put("targetEmbedding/W", "tgtEmb.weight");
        for (String k : List.of("W", "RW", "b")) {
            names.put("encoder/f" + k, "encF." + k);                   // DL4J Bidirectional: f = forward, b = backward
            names.put("encoder/b" + k, "encB." + k);
        }
        graph.getVertex("decoder").paramTable(false).keySet().forEach(k -> names.put("decoder/" + k, "dec." + k));
        names.put("output/W", "out.weight");                          // ours [l, Vy]; nn.Linear's [Vy, l]
        names.put("output/b", "out.bias");
        graph.params().muli(3.0);        // larger weights: outputs far from uniform, a sharper check of the loss
        MultiDataSet batch = randomBatch(r, 4);
        graph.setInputs(batch.getFeatures());
        graph.setLabels(batch.getLabels());
        graph.computeGradientAndScore();
        double score = graph.score();
        Map<String, INDArray> grads = graph.gradient().gradientForVariable();
        long exported = 0;
        for (Map.Entry<String, String> en : names.entrySet()) {
            String[] vk = en.getKey().split("/");
            GraphVertex v = graph.getVertex(vk[0]);
            INDArray a = v.paramTable(false).get(vk[1]);
            INDArray da = grads.get(vk[0] + "_" + vk[1]);
            if (a == null || da == null) {
                throw new IllegalStateException("no parameter or gradient " + en.getKey() + "; have "
                        + v.paramTable(false).keySet() + ", gradients " + grads.keySet());
            }
            npy(dir, "rs_p_" + en.getValue(), a);
            npy(dir, "rs_g_" + en.getValue(), da);
            exported += a.length();
        }
        if (exported != graph.params().length()) {
            throw new IllegalStateException("exported " + exported + " of " + graph.params().length() + " parameters");
        }
        npy(dir, "rs_src", batch.getFeatures(0));
        npy(dir, "rs_tgt_in", batch.getFeatures(1));
        npy(dir, "rs_tgt_out", batch.getLabels(0));
        String json = String.format(Locale.ROOT, "{\"decoder\": {\"e\": %d, \"dh\": %d, \"n\": %d, \"a\": %d, "
                        + "\"l\": %d, \"init\": \"backward_first\"}, \"rnnsearch\": {\"vx\": %d, \"vy\": %d, "
                        + "\"e\": %d, \"enc\": %d, \"n\": %d, \"a\": %d, \"l\": %d, \"score\": %.9g}}",
                d.e(), d.dh(), d.n(), d.a(), d.l(), r.vx(), r.vy(), r.e(), r.enc(), r.n(), r.a(), r.l(), score);
        Files.writeString(dir.toPath().resolve("export.json"), json, StandardCharsets.UTF_8);
        System.err.println("PeerComparison: exported to " + dir);
    }

    private static void npy(File dir, String name, INDArray a) throws IOException {
        Nd4j.writeAsNumpy(a.dup('c'), new File(dir, name + ".npy"));
    }

    // --- arguments --------------------------------------------------------------------------------------------------

    private static Options parse(String[] args) {
        Options o = new Options();
        String rows = "layers,decoder,rnnsearch";
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--threads" -> o.threads = Integer.parseInt(value(args, ++i, a));
                case "--reps" -> o.reps = Integer.parseInt(value(args, ++i, a));
                case "--warmup" -> o.warmup = Integer.parseInt(value(args, ++i, a));
                case "--warmup-s" -> o.warmupSeconds = Double.parseDouble(value(args, ++i, a));
                case "--min-rep-s" -> o.minRepSeconds = Double.parseDouble(value(args, ++i, a));
                case "--rows" -> rows = value(args, ++i, a);
                case "--quick" -> o.quick = true;
                case "--profile" -> {
                    o.profileFile = Path.of(value(args, ++i, a));
                    o.profile = Engines.startProfiling();
                }
                case "--mb" -> o.mb = java.util.Arrays.stream(value(args, ++i, a).split(",")).mapToInt(Integer::parseInt).toArray();
                case "--n" -> o.n = java.util.Arrays.stream(value(args, ++i, a).split(",")).mapToInt(Integer::parseInt).toArray();
                case "--export" -> o.export = new File(value(args, ++i, a));
                default -> throw new IllegalArgumentException("PeerComparison: unknown argument " + a
                        + "; use --threads N --reps R --warmup W --warmup-s S --min-rep-s S --rows LIST --quick"
                        + " --profile FILE | --export DIR");
            }
        }
        for (String part : rows.split(",")) {
            String r = part.trim();
            for (String name : GROUPS.getOrDefault(r, List.of(r))) {
                if (!ALL_ROWS.contains(name)) {
                    throw new IllegalArgumentException("PeerComparison: unknown row '" + name + "'; rows: " + ALL_ROWS
                            + " or groups " + GROUPS.keySet());
                }
                if (!o.rows.contains(name)) {
                    o.rows.add(name);
                }
            }
        }
        if (o.reps < 1 || o.warmup < 0) {
            throw new IllegalArgumentException("PeerComparison: --reps must be >= 1 and --warmup >= 0");
        }
        return o;
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException("PeerComparison: " + option + " needs a value");
        }
        return args[i];
    }
}
