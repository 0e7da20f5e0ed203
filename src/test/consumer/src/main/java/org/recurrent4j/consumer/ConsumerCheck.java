package org.recurrent4j.consumer;

import java.io.File;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;
import org.recurrent4j.compute.cpu.CpuEngine;
import org.recurrent4j.conf.ElmanRnn;
import org.recurrent4j.conf.Gru;
import org.recurrent4j.conf.graph.BahdanauAttentionVertex;
import org.recurrent4j.eval.Bleu;
import org.recurrent4j.eval.BleuScore;
import org.recurrent4j.train.TruncatedBptt;

/**
 * What a user's application does with Recurrent4j as a Maven dependency, checked: its runtime classpath holds no test
 * framework and no artifact in two versions; the CPU compute engine makes its float products with oneDNN (its
 * natives came along); a {@code Gru} + {@code ElmanRnn} network trains with
 * {@code TruncatedBptt} (its score falls); a graph with a Bahdanau attention vertex computes contexts of the right
 * shape; {@code Bleu.corpusScore} scores a corpus. Exits 1 with one line per failure.
 */
public final class ConsumerCheck {
    /** a jar in the local Maven repository: {group path}/{artifact}/{version}/{artifact}-{version}[-{classifier}].jar */
    private static final Pattern REPOSITORY_JAR = Pattern.compile("(.+)/([^/]+)/([^/]+)/\\2-\\3(-[^/]+)?\\.jar");

    private final List<String> failures = new ArrayList<>();

    /** @param args the local Maven repository's directory */
    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: ConsumerCheck LOCAL_MAVEN_REPOSITORY");
            System.exit(2);
        }
        ConsumerCheck check = new ConsumerCheck();
        check.runtimeClasspath(new File(args[0]).getAbsolutePath().replace(File.separatorChar, '/') + "/");
        check.engineUsesOneDnn();
        check.truncatedBpttTrainsGruAndElman();
        check.attentionVertexInAGraph();
        check.bleu();
        if (!check.failures.isEmpty()) {
            check.failures.forEach(f -> System.err.println("consumer check: " + f));
            System.exit(1);
        }
        System.out.println("consumer check: OK");
    }

    private void runtimeClasspath(String localRepository) {
        Map<String, TreeSet<String>> versions = new TreeMap<>();   // groupId:artifactId -> versions
        int jars = 0;
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String path = entry.replace(File.separatorChar, '/');
            Matcher m = REPOSITORY_JAR.matcher(path.startsWith(localRepository) ? path.substring(localRepository.length()) : "");
            if (!m.matches()) {
                continue;
            }
            jars++;
            String artifact = m.group(1).replace('/', '.') + ":" + m.group(2);
            versions.computeIfAbsent(artifact, k -> new TreeSet<>()).add(m.group(3));
        }
        versions.forEach((artifact, vs) -> {
            if (vs.size() > 1) {
                failures.add("two versions of " + artifact + " on the runtime classpath: " + vs);
            }
        });
        for (String testClass : List.of("org.junit.jupiter.api.Test", "org.junit.Test", "org.opentest4j.AssertionFailedError",
                "org.testng.annotations.Test")) {
            try {
                Class.forName(testClass, false, ConsumerCheck.class.getClassLoader());
                failures.add("a test framework is on the runtime classpath: " + testClass);
            } catch (ClassNotFoundException expected) {
                // as it should be
            }
        }
        System.out.println("consumer check: runtime classpath: " + jars + " jars, " + versions.size() + " artifacts");
    }

    private void engineUsesOneDnn() {
        String engine = CpuEngine.get().describe();
        System.out.println("consumer check: compute engine " + engine);
        if (!engine.contains("oneDNN")) {
            failures.add("the CPU compute engine does not make its float products with oneDNN: " + engine);
        }
    }

    /** A Gru over an ElmanRnn, next-step regression of a sine, trained with k1 = 5, k2 = 10 on T = 20. */
    private void truncatedBpttTrainsGruAndElman() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(7).dataType(DataType.FLOAT)
                .updater(new Adam(1e-2)).list()
                .layer(new ElmanRnn.Builder().nIn(1).nOut(16).build())
                .layer(new Gru.Builder().nIn(16).nOut(16).resetAfter(true).build())
                .layer(new RnnOutputLayer.Builder(LossFunction.MSE).activation(Activation.IDENTITY).nIn(16).nOut(1).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        INDArray t = Nd4j.linspace(DataType.FLOAT, 0, 0.3, 21).reshape(1, 1, 21);     // [1, 1, T + 1]
        INDArray phase = Nd4j.rand(DataType.FLOAT, 8, 1, 1).muli(6);                 // [mb, 1, 1]
        INDArray wave = Nd4j.math().sin(t.add(phase));                               // [mb, 1, T + 1]
        INDArray inputs = wave.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(0, 20)).dup();
        INDArray targets = wave.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(1, 21)).dup();
        DataSet data = new DataSet(inputs, targets);                                 // [mb, 1, T] each
        double before = net.score(data);
        TruncatedBptt tbptt = TruncatedBptt.builder().k1(5).k2(10).clipGlobalNorm(5.0).build();
        for (int epoch = 0; epoch < 30; epoch++) {
            tbptt.fit(net, new ListDataSetIterator<>(List.of(data), 8));
        }
        double after = net.score(data);
        System.out.printf("consumer check: TruncatedBptt(k1 5, k2 10), Elman + Gru: loss %.4f -> %.4f%n", before, after);
        if (!(after < 0.5 * before)) {
            failures.add("TruncatedBptt did not train the Elman + Gru network: loss " + before + " -> " + after);
        }
    }

    private void attentionVertexInAGraph() {
        ComputationGraph graph = new ComputationGraph(new NeuralNetConfiguration.Builder().seed(7).graphBuilder()
                .addInputs("queries", "memory")
                .setInputTypes(InputType.recurrent(6), InputType.recurrent(4))
                .addLayer("encoder", new Gru.Builder().nOut(8).build(), "memory")
                .addVertex("attention", new BahdanauAttentionVertex.Builder().querySize(6).keySize(8).attentionSize(5)
                        .build(), "queries", "encoder")
                .setOutputs("attention").build());
        graph.init();
        INDArray contexts = graph.outputSingle(Nd4j.rand(DataType.FLOAT, 2, 6, 3), Nd4j.rand(DataType.FLOAT, 2, 4, 7));
        long[] expected = {2, 8, 3};                                                 // [mb, keySize, Tq]
        System.out.println("consumer check: Bahdanau attention contexts " + Arrays.toString(contexts.shape()));
        if (!Arrays.equals(contexts.shape(), expected)) {
            failures.add("attention contexts: expected shape " + Arrays.toString(expected) + ", got "
                    + Arrays.toString(contexts.shape()));
        }
    }

    private void bleu() {
        BleuScore score = Bleu.corpusScore(List.of("the cat sat on the mat", "a dog barked at the moon tonight"),
                List.of(List.of("the cat sat on the mat", "a dog barked at the moon last night")));
        System.out.println("consumer check: " + score);
        if (!(score.score() > 50 && score.score() < 100)) {
            failures.add("BLEU of a near-perfect corpus: expected between 50 and 100, got " + score.score());
        }
    }
}
