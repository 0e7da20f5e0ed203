package org.recurrent4j.plot;

import java.nio.file.Path;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.recurrent4j.data.io.TextFiles;

/** Writes XChart charts as PNG and SVG, atomically (a crash never leaves a half-written image). */
public final class ChartFiles {
    private ChartFiles() {
    }

    /** @return an empty line chart with the project's style */
    public static XYChart lineChart(String title, String xLabel, String yLabel) {
        XYChart chart = new XYChartBuilder().width(800).height(500).title(title).xAxisTitle(xLabel).yAxisTitle(yLabel).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        chart.getStyler().setMarkerSize(5);
        return chart;
    }

    /** Writes {@code base.png} and {@code base.svg}. */
    public static void savePngAndSvg(XYChart chart, Path base) {
        savePng(chart, base.resolveSibling(base.getFileName() + ".png"));
        TextFiles.writeAtomically(base.resolveSibling(base.getFileName() + ".svg"),
                out -> VectorGraphicsEncoder.saveVectorGraphic(chart, out, VectorGraphicsEncoder.VectorGraphicsFormat.SVG));
    }

    /** Writes a PNG. */
    public static void savePng(org.knowm.xchart.internal.chartpart.Chart<?, ?> chart, Path png) {
        TextFiles.writeAtomically(png, out -> BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG));
    }
}
