package org.recurrent4j.experiment;

import java.nio.file.Path;

/**
 * One line per model ({@code summary.csv}): the Table 1 scores, the long-sentence score, the slope and the costs,
 * at full precision.
 */
public final class SummaryCsv {
    /** The file name in the output directory. */
    public static final String FILE = "summary.csv";
    /** The header line. */
    public static final String HEADER = "model,attention,max_length,parameters,bleu_all,bleu_no_unk,bleu_long,"
            + "long_sentences,slope_per_10_tokens,relative_change_per_10_tokens,slope_buckets,train_pairs,updates,epochs,final_loss,train_wall_s,"
            + "train_cpu_s,decode_wall_s,decode_cpu_s";

    private SummaryCsv() {
    }

    /** @return the CSV text */
    public static String format(ExperimentResult result) {
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        for (ModelResult m : result.models()) {
            TrainingStats t = m.training();
            sb.append(String.join(",", m.spec().name(), Boolean.toString(m.spec().attention()),
                    Integer.toString(m.spec().maxLength()), Long.toString(m.parameters()), num(m.bleuAll()),
                    num(m.bleuNoUnk()), num(m.bleuLong()), Integer.toString(m.longCount()),
                    num(m.trend().slopePer10Tokens()), num(m.trend().relativeChangePer10Tokens()),
                    Integer.toString(m.trend().buckets()),
                    Integer.toString(t.trainingPairs()), Integer.toString(t.updates()), num(t.epochs()),
                    num(t.finalLoss()), num(t.wallSeconds()), num(t.cpuSeconds()), num(m.decodeWallSeconds()),
                    num(m.decodeCpuSeconds()))).append('\n');
        }
        return sb.toString();
    }

    /** Writes {@link #FILE} into {@code directory}, atomically. */
    public static Path write(ExperimentResult result, Path directory) {
        Path file = directory.resolve(FILE);
        Utf8Files.write(file, format(result));
        return file;
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "" : Double.toString(v);
    }
}
