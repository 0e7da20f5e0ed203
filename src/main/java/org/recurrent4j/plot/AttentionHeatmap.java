package org.recurrent4j.plot;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.style.Styler;
import org.recurrent4j.data.vocab.Vocabulary;
import org.recurrent4j.seq2seq.Translation;

/**
 * The attention weights of one translated sentence as a grey-scale heat map, as Fig. 3 of Bahdanau et al. (2014):
 * source words along the x axis (left to right), target words along the y axis (first word at the top, then
 * {@code </s>}), the weight α_ij of target word i on source word j as the shade of cell (j, i), black = 0,
 * white = 1.
 */
public final class AttentionHeatmap {
    /** float softmax weights may exceed [0, 1] by rounding; they are clamped */
    private static final double ROUNDING = 1e-5;

    private AttentionHeatmap() {
    }

    /**
     * @param source    the source words (x axis)
     * @param target    the target words (y axis), one per alignment row
     * @param alignment [target.size()][source.size()] attention weights in [0, 1]
     * @throws IllegalArgumentException if the shapes do not match or a weight is outside [0, 1] or NaN
     */
    public static HeatMapChart chart(List<String> source, List<String> target, double[][] alignment, String title) {
        check(source, target, alignment);
        int tx = source.size();
        int ty = target.size();
        int cell = Math.max(18, Math.min(40, 600 / Math.max(tx, ty)));
        HeatMapChart chart = new HeatMapChartBuilder().width(160 + cell * tx + 120).height(140 + cell * ty)
                .title(title).xAxisTitle("source").yAxisTitle("target").build();
        chart.getStyler().setRangeColors(new Color[] {Color.BLACK, Color.WHITE}).setMin(0).setMax(1)
                .setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotBackgroundColor(new Color(0x9E, 0xB8, 0xD0));  // white cells stand out from it
        chart.getStyler().setXAxisLabelRotation(60);
        chart.getStyler().setPlotGridLinesVisible(false);
        List<String> xs = distinct(source);
        List<String> ys = new ArrayList<>(distinct(target));
        java.util.Collections.reverse(ys);                      // the first target word at the top
        List<Number[]> cells = new ArrayList<>();
        for (int i = 0; i < ty; i++) {
            for (int j = 0; j < tx; j++) {
                cells.add(new Number[] {j, ty - 1 - i, Math.min(1.0, Math.max(0.0, alignment[i][j]))});
            }
        }
        chart.addSeries("attention", xs, ys, cells);
        return chart;
    }

    /** @return the heat map of a translation's best hypothesis: its words plus {@code </s>} against the source */
    public static HeatMapChart chart(Translation translation, String title) {
        if (translation.emptySource()) {
            throw new IllegalArgumentException("AttentionHeatmap: the translation of an empty source has no attention "
                    + "to plot");
        }
        if (translation.alignment().length > 0 && translation.alignment()[0].length == 0) {
            throw new IllegalArgumentException("AttentionHeatmap: the translation has no attention weights (a model "
                    + "without attention, RNNenc)");
        }
        List<String> target = new ArrayList<>(translation.tokens());
        target.add(Vocabulary.EOS);
        return chart(translation.sourceTokens(), target, translation.alignment(), title);
    }

    /** @return the chart as an image (e.g. for a notebook's {@code display}) */
    public static BufferedImage image(HeatMapChart chart) {
        return BitmapEncoder.getBufferedImage(chart);
    }

    /** Writes the heat map of a translation's best hypothesis as a PNG, atomically. */
    public static void savePng(Translation translation, String title, Path png) {
        ChartFiles.savePng(chart(translation, title), png);
    }

    /**
     * Category labels must be distinct for XChart; a repeated word gets an invisible suffix of zero-width spaces
     * (so "the … the" shows as written).
     */
    private static List<String> distinct(List<String> words) {
        List<String> out = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (String w : words) {
            String label = w;
            while (!seen.add(label)) {
                label = label + "\u200B";
            }
            out.add(label);
        }
        return out;
    }

    private static void check(List<String> source, List<String> target, double[][] alignment) {
        if (source.isEmpty() || target.isEmpty()) {
            throw new IllegalArgumentException("AttentionHeatmap: source and target need at least one word each, got "
                    + source.size() + " and " + target.size());
        }
        if (alignment.length != target.size()) {
            throw new IllegalArgumentException("AttentionHeatmap: alignment must have one row per target word ("
                    + target.size() + "), got " + alignment.length);
        }
        for (int i = 0; i < alignment.length; i++) {
            if (alignment[i].length != source.size()) {
                throw new IllegalArgumentException("AttentionHeatmap: alignment row " + i + " must have one weight per "
                        + "source word (" + source.size() + "), got " + alignment[i].length);
            }
            for (double a : alignment[i]) {
                if (!(a >= -ROUNDING && a <= 1 + ROUNDING)) {
                    throw new IllegalArgumentException("AttentionHeatmap: alignment weights must be in [0, 1], got "
                            + a + " in row " + i);
                }
            }
        }
    }
}
