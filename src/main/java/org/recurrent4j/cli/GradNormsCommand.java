package org.recurrent4j.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.knowm.xchart.XYChart;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.recurrent4j.data.chars.CharacterCorpus;
import org.recurrent4j.data.io.TextFiles;
import org.recurrent4j.lm.CellType;
import org.recurrent4j.lm.CharRnnCheckpoint;
import org.recurrent4j.lm.CharRnnSettings;
import org.recurrent4j.plot.ChartFiles;
import org.recurrent4j.train.StateGradientProbe;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Vanishing gradients, shown: ‖∂L/∂h_t‖ for every step t of one validation sequence, loss at the last step only,
 * for an Elman and a GRU character model at initialisation and after training (checkpoints of char-rnn train).
 */
@Command(name = "grad-norms", mixinStandardHelpOptions = true,
        description = {"Record ||dL/dh_t|| of the first recurrent layer for every step t of one sequence (loss at the",
                "last step only) for Elman and GRU character models, at initialisation (a fresh network with the",
                "checkpoint's settings and seed) and trained (the checkpoint); write grad-norms.csv and",
                "grad-norms.png/.svg (log10 norm vs t) to --out, and print sigma_max(RW) of the Elman layer and the",
                "slope of log10 ||dL/dh_t|| per step."})
public final class GradNormsCommand implements Callable<Integer> {

    @Option(names = "--text", description = "UTF-8 text (default: ${DEFAULT-VALUE})",
            defaultValue = "../shared/datasets/tinyshakespeare/input.txt")
    Path text;

    @Option(names = "--elman-model", description = "checkpoint directory of a trained Elman model (char-rnn train)")
    Path elmanModel;

    @Option(names = "--gru-model", description = "checkpoint directory of a trained GRU model (char-rnn train)")
    Path gruModel;

    @Option(names = "--hidden", description = "without checkpoints: GRU units; the Elman layer gets as many parameters "
            + "(default: ${DEFAULT-VALUE})", defaultValue = "128")
    int hidden;

    @Option(names = "--length", description = "sequence length T (default: ${DEFAULT-VALUE})", defaultValue = "200")
    int length;

    @Option(names = "--offset", description = "start of the sequence in the validation text (default: ${DEFAULT-VALUE})",
            defaultValue = "0")
    int offset;

    @Option(names = "--seed", description = "initialisation seed without checkpoints (default: ${DEFAULT-VALUE})",
            defaultValue = "42")
    long seed;

    @Option(names = "--out", description = "output directory (default: ${DEFAULT-VALUE})", defaultValue = "results/grad-norms")
    Path out;

    @Override
    public Integer call() {
        CharRnnCheckpoint elman = elmanModel == null ? null : CharRnnCheckpoint.load(elmanModel);
        CharRnnCheckpoint gru = gruModel == null ? null : CharRnnCheckpoint.load(gruModel);
        double validationFraction = elman != null ? elman.settings().validationFraction()
                : gru != null ? gru.settings().validationFraction() : 0.1;
        CharacterCorpus corpus = CharacterCorpus.load(text, validationFraction);
        int v = corpus.vocabulary().size();
        for (CharRnnCheckpoint c : new CharRnnCheckpoint[] {elman, gru}) {
            if (c != null && !c.vocabulary().equals(corpus.vocabulary())) {
                throw new IllegalArgumentException("grad-norms: a checkpoint's vocabulary (" + c.vocabulary().size()
                        + " characters) differs from that of --text " + text + " (" + v + ")");
            }
        }
        if (length < 2 || offset < 0 || offset + length + 1 > corpus.validation().length) {
            throw new IllegalArgumentException("grad-norms: --offset + --length + 1 must fit the validation text of "
                    + corpus.validation().length + " characters and --length >= 2, got offset " + offset + ", length " + length);
        }
        CharRnnSettings gruSettings = gru != null ? gru.settings() : defaults(CellType.GRU, hidden);
        CharRnnSettings elmanSettings = elman != null ? elman.settings()
                : defaults(CellType.ELMAN, CellType.ELMAN.hiddenSizeMatching(CellType.GRU.modelParameters(v, hidden, 1), v, 1));
        INDArray[] sequence = oneHot(corpus.validation(), v);

        Map<String, double[]> series = new LinkedHashMap<>();
        Map<String, MultiLayerNetwork> elmanNets = new LinkedHashMap<>();
        MultiLayerNetwork elmanInit = elmanSettings.newNetwork(v);
        series.put("Elman init", StateGradientProbe.norms(elmanInit, 0, sequence[0], sequence[1]));
        elmanNets.put("Elman init", elmanInit);
        if (elman != null) {
            series.put("Elman trained", StateGradientProbe.norms(elman.net(), 0, sequence[0], sequence[1]));
            elmanNets.put("Elman trained", elman.net());
        }
        series.put("GRU init", StateGradientProbe.norms(gruSettings.newNetwork(v), 0, sequence[0], sequence[1]));
        if (gru != null) {
            series.put("GRU trained", StateGradientProbe.norms(gru.net(), 0, sequence[0], sequence[1]));
        }
        series.replaceAll((name, n) -> Arrays.stream(n).map(GradNormsCommand::floor).toArray());
        write(series);

        System.out.printf(Locale.ROOT, "Loss at the last of T = %d steps (validation characters %d..%d); Elman %d units, "
                + "GRU %d units.%n", length, offset, offset + length, elmanSettings.hidden(), gruSettings.hidden());
        System.out.println("| model | ||dL/dh_0|| | ||dL/dh_T-1|| | slope of log10 norm per step (t in [0, T)) "
                + "| log10 sigma_max(RW) |");
        System.out.println("|---|---|---|---|---|");
        for (Map.Entry<String, double[]> e : series.entrySet()) {
            double[] n = e.getValue();
            MultiLayerNetwork net = elmanNets.get(e.getKey());
            String sigma = net == null ? "" : String.format(Locale.ROOT, "%.4f (sigma_max %.4f)",
                    Math.log10(StateGradientProbe.largestSingularValue(net.getParam("0_RW"))),
                    StateGradientProbe.largestSingularValue(net.getParam("0_RW")));
            System.out.printf(Locale.ROOT, "| %s | %.3e | %.3e | %.4f | %s |%n", e.getKey(), n[0], n[n.length - 1],
                    StateGradientProbe.log10Slope(n, 0, n.length), sigma);
        }
        System.out.println("Elman: ||dL/dh_t|| <= sigma_max(RW)^(T-1-t) max|tanh'|^(T-1-t) ||dL/dh_T-1||, so the slope of "
                + "log10 ||dL/dh_t|| per step is at least -log10 sigma_max when the norm decays geometrically.");
        System.out.println("Wrote " + out.resolve("grad-norms.csv") + ", grad-norms.png, grad-norms.svg");
        return 0;
    }

    /** Norms that underflowed to 0 become the smallest positive float, so that log10 stays finite (marked in the CSV as such). */
    private static double floor(double norm) {
        return Math.max(norm, Float.MIN_VALUE);
    }

    private CharRnnSettings defaults(CellType cell, int n) {
        return new CharRnnSettings(cell, n, 1, 32, 100, 10, 25, 5, 2e-3, seed, 0.1, DataType.FLOAT);
    }

    /** @return features [1, V, T] and next-character labels [1, V, T] of the chosen validation window */
    private INDArray[] oneHot(int[] ids, int v) {
        INDArray features = Nd4j.zeros(DataType.FLOAT, 1, v, length);     // [1, V, T]
        INDArray labels = Nd4j.zeros(DataType.FLOAT, 1, v, length);       // [1, V, T]
        for (int t = 0; t < length; t++) {
            features.putScalar(new long[] {0, ids[offset + t], t}, 1.0);
            labels.putScalar(new long[] {0, ids[offset + t + 1], t}, 1.0);
        }
        return new INDArray[] {features, labels};
    }

    private void write(Map<String, double[]> series) {
        StringBuilder csv = new StringBuilder("t");
        series.keySet().forEach(k -> csv.append(',').append(k.replace(' ', '_')));
        csv.append('\n');
        for (int t = 0; t < length; t++) {
            csv.append(t);
            for (double[] n : series.values()) {
                csv.append(String.format(Locale.ROOT, ",%.6e", n[t]));
            }
            csv.append('\n');
        }
        TextFiles.writeAtomically(out.resolve("grad-norms.csv"), os -> os.write(csv.toString().getBytes(StandardCharsets.UTF_8)));
        XYChart chart = ChartFiles.lineChart("||dL/dh_t||, loss at t = " + (length - 1), "t", "log10 ||dL/dh_t||");
        double[] x = new double[length];
        Arrays.setAll(x, t -> t);
        series.forEach((name, n) -> chart.addSeries(name, x, Arrays.stream(n).map(Math::log10).toArray()));
        ChartFiles.savePngAndSvg(chart, out.resolve("grad-norms"));
    }
}
