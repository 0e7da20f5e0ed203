package org.recurrent4j.experiment;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The CSV files, the plot and the Markdown table are written and say the same thing. */
class ResultFilesTest {

    @Test
    void plotCsvAndTableAgree(@TempDir Path out) throws IOException {
        ExperimentResult result = SyntheticResults.result();
        BleuVsLengthExperiment.write(result, out);

        // the curves CSV holds every bucket of every model, BLEU at full precision
        List<String> curves = Files.readAllLines(out.resolve(CurvesCsv.FILE));
        assertEquals(CurvesCsv.HEADER, curves.get(0));
        Map<String, List<double[]>> plotted = new HashMap<>();
        int rows = 0;
        for (ModelResult m : result.models()) {
            for (String subset : List.of("all", "no-unk")) {
                var buckets = (subset.equals("all") ? m.byLength() : m.noUnk()).buckets();
                for (var b : buckets) {
                    String[] f = curves.get(++rows).split(",", -1);
                    assertEquals(m.spec().name(), f[0]);
                    assertEquals(subset, f[1]);
                    assertEquals(b.lo(), Integer.parseInt(f[2]));
                    assertEquals(b.hi(), Integer.parseInt(f[3]));
                    assertEquals(b.count(), Integer.parseInt(f[5]));
                    if (b.scoreOrNull() == null) {
                        assertEquals("", f[6]);
                    } else {
                        assertEquals(b.scoreOrNull().score(), Double.parseDouble(f[6]));
                    }
                    if (Boolean.parseBoolean(f[7])) {
                        plotted.computeIfAbsent(f[0], k -> new ArrayList<>())
                                .add(new double[] {Double.parseDouble(f[4]), Double.parseDouble(f[6])});
                    }
                }
            }
        }
        assertEquals(curves.size() - 1, rows);

        // the plot draws exactly the CSV's in_plot points
        XYChart chart = BleuVsLengthPlot.chart(result);
        assertEquals(4, chart.getSeriesMap().size());
        for (Map.Entry<String, XYSeries> e : chart.getSeriesMap().entrySet()) {
            List<double[]> expected = plotted.get(e.getKey());
            assertArrayEquals(expected.stream().mapToDouble(p -> p[0]).toArray(), e.getValue().getXData());
            assertArrayEquals(expected.stream().mapToDouble(p -> p[1]).toArray(), e.getValue().getYData());
            assertTrue(expected.size() >= 2, "each curve has several points");
        }
        byte[] png = Files.readAllBytes(out.resolve(BleuVsLengthPlot.BASE + ".png"));
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, java.util.Arrays.copyOf(png, 4));
        String svg = Files.readString(out.resolve(BleuVsLengthPlot.BASE + ".svg"), StandardCharsets.UTF_8);
        assertTrue(svg.contains("<svg"), "an SVG document");

        // the slope in the summary is the fit through the plotted points
        List<String> summary = Files.readAllLines(out.resolve(SummaryCsv.FILE));
        assertEquals(SummaryCsv.HEADER, summary.get(0));
        List<String> header = List.of(SummaryCsv.HEADER.split(","));
        String table = Files.readString(out.resolve(ResultsTable.FILE), StandardCharsets.UTF_8);
        for (int i = 0; i < result.models().size(); i++) {
            ModelResult m = result.models().get(i);
            String[] f = summary.get(i + 1).split(",", -1);
            assertEquals(m.spec().name(), f[header.indexOf("model")]);
            List<LengthTrend.Point> points = new ArrayList<>();
            for (double[] p : plotted.get(m.spec().name())) {
                long count = m.byLength().buckets().stream().filter(b -> (b.lo() + b.hi()) / 2.0 == p[0])
                        .mapToInt(b -> b.count()).sum();
                points.add(new LengthTrend.Point(p[0], (int) count, p[1]));
            }
            double slope = Double.parseDouble(f[header.indexOf("slope_per_10_tokens")]);
            assertEquals(10 * LengthTrend.fit(points).slope(), slope, 1e-9);
            double relative = Double.parseDouble(f[header.indexOf("relative_change_per_10_tokens")]);
            assertEquals(LengthTrend.fit(points).relativeChangePer10Tokens(), relative, 1e-9);
            double all = Double.parseDouble(f[header.indexOf("bleu_all")]);
            double noUnk = Double.parseDouble(f[header.indexOf("bleu_no_unk")]);
            double longOnes = Double.parseDouble(f[header.indexOf("bleu_long")]);
            assertEquals(m.bleuAll(), all);
            assertEquals(m.bleuNoUnk(), noUnk);
            assertTrue(noUnk != all, "the No UNK subset differs from All in the fixture");

            // the table row prints the same numbers, rounded
            String row = String.format(Locale.ROOT, "| %s | %.2f | %.2f | %.2f (n=%d) | %.2f (%d buckets) | %+.1f%% |",
                    m.spec().name(), all, noUnk, longOnes, Integer.parseInt(f[header.indexOf("long_sentences")]),
                    slope, Integer.parseInt(f[header.indexOf("slope_buckets")]), 100 * relative);
            assertTrue(table.contains(row), "table has " + row + "\n" + table);
        }
        assertTrue(table.contains(result.bleuSignature()) && result.bleuSignature().contains("case:lc"), table);
        assertTrue(table.contains("seed: 42") && table.contains("2 cores (test cpu)"), table);
        assertTrue(table.contains(PaperClaims.check(result, 50).report()), table);
    }

    @Test
    void noTemporaryFilesAreLeft(@TempDir Path out) throws IOException {
        BleuVsLengthExperiment.write(SyntheticResults.result(), out);
        try (var files = Files.list(out)) {
            List<String> names = files.map(p -> p.getFileName().toString()).sorted().toList();
            assertEquals(List.of("bleu-vs-length.csv", "bleu-vs-length.png", "bleu-vs-length.svg", "results.md",
                    "summary.csv"), names);
        }
    }
}
