package org.recurrent4j.experiment;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.recurrent4j.plot.ChartFiles;

import java.nio.file.Path;
import java.util.List;

/**
 * The Fig. 2-style chart ({@code bleu-vs-length.png} and {@code .svg}): corpus BLEU of each source-length bucket
 * against the bucket's midpoint, one curve per model, drawn from the buckets that {@link LengthTrend} uses (all test
 * sentences, at least {@link ExperimentSettings#minBucketSentences()} sentences). RNNsearch curves are solid,
 * RNNenc dashed; the longer length filter has circles, the shorter squares.
 */
public final class BleuVsLengthPlot {
    /** The file base name in the output directory (without extension). */
    public static final String BASE = "bleu-vs-length";

    private BleuVsLengthPlot() {
    }

    /** @return the chart (its series hold exactly the plotted values) */
    public static XYChart chart(ExperimentResult result) {
        XYChart chart = ChartFiles.lineChart("BLEU vs source sentence length (" + result.corpus() + ", "
                        + result.mode() + ")", "source sentence length (tokens, bucket midpoint)", "BLEU");
        int longest = result.models().stream().mapToInt(m -> m.spec().maxLength()).max().orElse(0);
        for (ModelResult m : result.models()) {
            List<LengthTrend.Point> points = LengthTrend.points(m.byLength(), result.settings().minBucketSentences());
            if (points.isEmpty()) {
                continue;                                   // XChart refuses empty series
            }
            double[] x = points.stream().mapToDouble(LengthTrend.Point::midpoint).toArray();
            double[] y = points.stream().mapToDouble(LengthTrend.Point::bleu).toArray();
            XYSeries s = chart.addSeries(m.spec().name(), x, y);
            s.setLineStyle(m.spec().attention() ? SeriesLines.SOLID : SeriesLines.DASH_DASH);
            s.setMarker(m.spec().maxLength() == longest ? SeriesMarkers.CIRCLE : SeriesMarkers.SQUARE);
        }
        chart.getStyler().setYAxisMin(0.0);
        return chart;
    }

    /** Writes {@link #BASE}{@code .png} and {@code .svg} into {@code directory}, atomically. */
    public static void write(ExperimentResult result, Path directory) {
        ChartFiles.savePngAndSvg(chart(result), directory.resolve(BASE));
    }
}
