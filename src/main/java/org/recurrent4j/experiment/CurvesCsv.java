package org.recurrent4j.experiment;

import org.recurrent4j.eval.BleuByLengthResult;

import java.nio.file.Path;

/**
 * The curves of Fig. 2 as CSV ({@code bleu-vs-length.csv}): one line per model, subset and source-length bucket,
 * <pre>model,subset,lo,hi,midpoint,count,bleu,in_plot</pre>
 * {@code subset} is {@code all} or {@code no-unk}; {@code bleu} is empty for an empty bucket; {@code in_plot} says
 * whether the point is drawn and enters the slope (subset {@code all}, at least
 * {@link ExperimentSettings#minBucketSentences()} sentences). BLEU is written at full double precision.
 */
public final class CurvesCsv {
    /** The file name in the output directory. */
    public static final String FILE = "bleu-vs-length.csv";
    /** The header line. */
    public static final String HEADER = "model,subset,lo,hi,midpoint,count,bleu,in_plot";

    private CurvesCsv() {
    }

    /** @return the CSV text */
    public static String format(ExperimentResult result) {
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        int min = result.settings().minBucketSentences();
        for (ModelResult m : result.models()) {
            append(sb, m.spec().name(), "all", m.byLength(), min);
            append(sb, m.spec().name(), "no-unk", m.noUnk(), Integer.MAX_VALUE);
        }
        return sb.toString();
    }

    /** Writes {@link #FILE} into {@code directory}, atomically. */
    public static Path write(ExperimentResult result, Path directory) {
        Path file = directory.resolve(FILE);
        Utf8Files.write(file, format(result));
        return file;
    }

    private static void append(StringBuilder sb, String model, String subset, BleuByLengthResult r, int minInPlot) {
        for (BleuByLengthResult.Bucket b : r.buckets()) {
            boolean plotted = b.count() >= minInPlot && b.scoreOrNull() != null;
            sb.append(model).append(',').append(subset).append(',').append(b.lo()).append(',').append(b.hi())
                    .append(',').append((b.lo() + b.hi()) / 2.0).append(',').append(b.count()).append(',')
                    .append(b.scoreOrNull() == null ? "" : Double.toString(b.scoreOrNull().score())).append(',')
                    .append(plotted).append('\n');
        }
    }
}
