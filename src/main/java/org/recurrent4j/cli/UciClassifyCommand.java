package org.recurrent4j.cli;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.util.ModelSerializer;
import org.knowm.xchart.XYChart;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.recurrent4j.conf.ElmanRnn;
import org.recurrent4j.conf.Gru;
import org.recurrent4j.data.io.TextFiles;
import org.recurrent4j.data.timeseries.SyntheticControlData;
import org.recurrent4j.plot.ChartFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Many-to-one sequence classification of the UCI synthetic-control series (600 series × 60 steps, 6 classes) with
 * our GRU and Elman layers and DL4J's LSTM for comparison: test accuracy per epoch as CSV, Markdown and a plot.
 */
@Command(name = "uci-classify", mixinStandardHelpOptions = true,
        description = {"Train GRU, Elman and DL4J-LSTM classifiers on the UCI synthetic-control time series and",
                "write test accuracy per epoch (accuracy.csv, accuracy.png/.svg, summary.md) and the trained models."})
public final class UciClassifyCommand implements Callable<Integer> {

    @Option(names = "--data", description = "synthetic_control.data (default: ${DEFAULT-VALUE})",
            defaultValue = "../shared/datasets/uci-synthetic-control/synthetic_control.data")
    Path data;

    @Option(names = "--out", description = "output directory (default: ${DEFAULT-VALUE})", defaultValue = "results/uci")
    Path out;

    @Option(names = "--epochs", description = "training epochs (default: ${DEFAULT-VALUE})", defaultValue = "25")
    int epochs;

    @Option(names = "--hidden", description = "recurrent units (default: ${DEFAULT-VALUE})", defaultValue = "32")
    int hidden;

    @Option(names = "--batch", description = "minibatch size (default: ${DEFAULT-VALUE})", defaultValue = "32")
    int batch;

    @Mixin
    RandomSeedOption seed;

    @Option(names = "--require-gru-accuracy", description = {"exit with status 1 if the GRU's final test accuracy is below",
            "this (CI uses it so that a broken layer cannot pass the main job)"})
    Double requiredGruAccuracy;

    @Override
    public Integer call() {
        SyntheticControlData uci = SyntheticControlData.load(data, SyntheticControlData.Normalization.STANDARDIZE, seed.seed);
        Map<String, Layer> models = new LinkedHashMap<>();
        models.put("GRU", new Gru.Builder().nIn(1).nOut(hidden).build());
        models.put("Elman", new ElmanRnn.Builder().nIn(1).nOut(hidden).build());
        models.put("DL4J LSTM", new LSTM.Builder().nIn(1).nOut(hidden).activation(Activation.TANH).build());

        Map<String, List<Double>> accuracy = new LinkedHashMap<>();
        Map<String, Long> millis = new LinkedHashMap<>();
        Map<String, Long> params = new LinkedHashMap<>();
        PrintStream console = System.out;
        for (Map.Entry<String, Layer> e : models.entrySet()) {
            MultiLayerNetwork net = classifier(e.getValue());
            params.put(e.getKey(), net.numParams());
            List<Double> acc = new ArrayList<>();
            long start = System.nanoTime();
            try (ProgressBar bar = new ProgressBarBuilder().setTaskName(String.format("%-9s", e.getKey()))
                    .setInitialMax(epochs).setStyle(ProgressBarStyle.ASCII).setConsumer(
                            new me.tongfei.progressbar.ConsoleProgressBarConsumer(System.err)).build()) {
                for (int epoch = 0; epoch < epochs; epoch++) {
                    net.fit(uci.train(batch));
                    acc.add(evaluate(net, uci.test(batch)));
                    bar.step();
                    bar.setExtraMessage(String.format(" test acc %.3f", acc.get(acc.size() - 1)));
                }
            }
            millis.put(e.getKey(), (System.nanoTime() - start) / 1_000_000);
            accuracy.put(e.getKey(), acc);
            Path model = out.resolve(e.getKey().replace(' ', '-').toLowerCase() + ".zip");
            TextFiles.writeAtomically(model, os -> ModelSerializer.writeModel(net, os, true));
        }
        writeResults(accuracy, millis, params, console);
        double gru = accuracy.get("GRU").get(epochs - 1);
        if (requiredGruAccuracy != null && gru < requiredGruAccuracy) {
            System.err.printf(java.util.Locale.ROOT, "uci-classify: GRU test accuracy %.3f is below the required %.3f%n",
                    gru, requiredGruAccuracy);
            return 1;
        }
        return 0;
    }

    private MultiLayerNetwork classifier(Layer recurrent) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(seed.seed)
                .dataType(DataType.FLOAT).updater(new Adam(5e-3)).weightInit(WeightInit.XAVIER).list()
                .layer(recurrent)
                // labels sit at the last step (ALIGN_END with a label mask), as in DL4J's UCI example
                .layer(new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX)
                        .nIn(hidden).nOut(SyntheticControlData.CLASSES).build())
                .build());
        net.init();
        return net;
    }

    private static double evaluate(MultiLayerNetwork net, DataSetIterator test) {
        Evaluation eval = net.evaluate(test);
        return eval.accuracy();
    }

    private void writeResults(Map<String, List<Double>> accuracy, Map<String, Long> millis, Map<String, Long> params,
                              PrintStream console) {
        StringBuilder csv = new StringBuilder("epoch," + String.join(",", accuracy.keySet()) + "\n");
        for (int epoch = 0; epoch < epochs; epoch++) {
            csv.append(epoch + 1);
            for (List<Double> acc : accuracy.values()) {
                csv.append(String.format(java.util.Locale.ROOT, ",%.4f", acc.get(epoch)));
            }
            csv.append('\n');
        }
        TextFiles.writeAtomically(out.resolve("accuracy.csv"), os -> os.write(csv.toString().getBytes(StandardCharsets.UTF_8)));

        XYChart chart = ChartFiles.lineChart("UCI synthetic control: test accuracy", "epoch", "accuracy");
        double[] x = new double[epochs];
        for (int i = 0; i < epochs; i++) {
            x[i] = i + 1;
        }
        accuracy.forEach((name, acc) -> chart.addSeries(name, x, acc.stream().mapToDouble(Double::doubleValue).toArray()));
        ChartFiles.savePngAndSvg(chart, out.resolve("accuracy"));

        StringBuilder md = new StringBuilder("| model | parameters | final test accuracy | best | training time (s) |\n|---|---|---|---|---|\n");
        accuracy.forEach((name, acc) -> md.append(String.format(java.util.Locale.ROOT, "| %s | %d | %.3f | %.3f | %.1f |%n",
                name, params.get(name), acc.get(acc.size() - 1), acc.stream().mapToDouble(Double::doubleValue).max().orElse(0),
                millis.get(name) / 1000.0)));
        md.append(String.format(java.util.Locale.ROOT, "%nUCI synthetic control, 450 train / 150 test series, %d hidden units, "
                + "%d epochs, Adam 5e-3, minibatch %d, seed %d.%n", hidden, epochs, batch, seed.seed));
        TextFiles.writeAtomically(out.resolve("summary.md"), os -> os.write(md.toString().getBytes(StandardCharsets.UTF_8)));
        console.print(md);
        console.println("Wrote " + out.resolve("accuracy.csv") + ", accuracy.png, accuracy.svg, summary.md and the models.");
    }
}
