package org.recurrent4j.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link AttentionHeatmap}: a PNG is written atomically; shapes and weights are checked. */
class AttentionHeatmapTest {

    @Test
    void writesAGreyScalePngWithOneCellPerWordPair(@TempDir Path dir) throws Exception {
        List<String> source = List.of("the", "agreement", "on", "the", "area");
        List<String> target = List.of("l'", "accord", "sur", "la", "zone", "</s>");
        double[][] a = new double[6][5];
        for (int i = 0; i < 6; i++) {
            a[i][Math.min(i, 4)] = 1.0;                          // a diagonal alignment
        }
        Path png = dir.resolve("heat.png");
        ChartFiles.savePng(AttentionHeatmap.chart(source, target, a, "diagonal"), png);
        BufferedImage img = ImageIO.read(png.toFile());
        assertTrue(img.getWidth() > 200 && img.getHeight() > 200, img.getWidth() + "x" + img.getHeight());
        // a diagonal of white cells on black: most cells are pure black
        int black = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int rgb = img.getRGB(x, y) & 0xFFFFFF;
                black += rgb == 0 ? 1 : 0;
            }
        }
        assertTrue(black > 20 * 18 * 18, "black cells: " + black + " pixels");
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file left behind");
        }
    }

    @Test
    void mismatchedShapesAndWeightsAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AttentionHeatmap.chart(List.of("a", "b"), List.of("x"), new double[][] {{0.5, 0.5}, {1, 0}}, "t"));
        assertTrue(e.getMessage().contains("one row per target word (1), got 2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> AttentionHeatmap.chart(List.of("a", "b"), List.of("x"), new double[][] {{0.5}}, "t"));
        assertTrue(e.getMessage().contains("row 0 must have one weight per source word (2), got 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> AttentionHeatmap.chart(List.of("a"), List.of("x"), new double[][] {{Double.NaN}}, "t"));
        assertTrue(e.getMessage().contains("[0, 1]"), e.getMessage());
    }
}
