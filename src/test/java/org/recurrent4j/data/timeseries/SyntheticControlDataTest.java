package org.recurrent4j.data.timeseries;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.recurrent4j.data.DataFileException;
import org.recurrent4j.data.TestFiles;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SyntheticControlDataTest {

    private static final Path FILE = Path.of("../shared/datasets/uci-synthetic-control/synthetic_control.data");

    @TempDir
    Path dir;

    /** The file's rows parsed by a plain split, independently of the class under test. */
    private static List<double[]> rows() throws Exception {
        List<double[]> out = new ArrayList<>();
        for (String line : Files.readAllLines(FILE)) {
            out.add(java.util.Arrays.stream(line.trim().split("\\s+")).mapToDouble(Double::parseDouble).toArray());
        }
        return out;
    }

    @Test
    void manyToOneLayoutWithLabelAtTheEnd() throws Exception {
        List<double[]> rows = rows();
        SyntheticControlData data = SyntheticControlData.load(FILE, SyntheticControlData.Normalization.NONE, 42);
        List<Integer> trainRows = data.trainRows();
        assertEquals(450, trainRows.size());
        assertEquals(150, data.testRows().size());
        assertTrue(new HashSet<>(trainRows).stream().noneMatch(data.testRows()::contains));

        DataSetIterator it = data.train(32);
        int seen = 0;
        while (it.hasNext()) {
            DataSet ds = it.next();
            INDArray f = ds.getFeatures();
            INDArray l = ds.getLabels();
            INDArray lm = ds.getLabelsMaskArray();
            int mb = (int) f.size(0);
            assertEquals(List.of((long) mb, 1L, 60L), List.of(f.size(0), f.size(1), f.size(2)));
            assertEquals(List.of((long) mb, 6L, 60L), List.of(l.size(0), l.size(1), l.size(2)));
            for (int r = 0; r < mb; r++) {
                int fileRow = trainRows.get(seen + r);
                for (int t = 0; t < 60; t++) {
                    assertEquals(rows.get(fileRow)[t], f.getDouble(r, 0, t), 1e-4);
                    assertEquals(t == 59 ? 1.0 : 0.0, lm.getDouble(r, t));
                }
                for (int c = 0; c < 6; c++) {
                    assertEquals(c == fileRow / 100 ? 1.0 : 0.0, l.getDouble(r, c, 59));
                }
            }
            seen += mb;
        }
        assertEquals(450, seen);
    }

    @Test
    void standardizationUsesTrainingStatistics() {
        SyntheticControlData data = SyntheticControlData.load(FILE, SyntheticControlData.Normalization.STANDARDIZE, 42);
        DataSetIterator it = data.train(450);
        INDArray f = it.next().getFeatures();
        assertEquals(0.0, f.meanNumber().doubleValue(), 1e-3);
        assertEquals(1.0, f.stdNumber().doubleValue(), 1e-2);
        INDArray test = data.test(150).next().getFeatures();
        assertTrue(Math.abs(test.meanNumber().doubleValue()) < 0.2);
    }

    @Test
    void malformedFilesNameTheLine() {
        Path shortRow = TestFiles.lines(dir.resolve("short.data"), "1 2 3");
        DataFileException e = assertThrows(DataFileException.class,
                () -> SyntheticControlData.load(shortRow, SyntheticControlData.Normalization.NONE, 1));
        assertEquals(1, e.line());
        String sixty = "1 ".repeat(59) + "x";
        Path notNumber = TestFiles.lines(dir.resolve("nan.data"), sixty);
        assertTrue(assertThrows(DataFileException.class, () -> SyntheticControlData.load(notNumber,
                SyntheticControlData.Normalization.NONE, 1)).getMessage().contains("'x' is not a number"));
        Path tooFew = TestFiles.lines(dir.resolve("few.data"), "1 ".repeat(60));
        assertTrue(assertThrows(DataFileException.class, () -> SyntheticControlData.load(tooFew,
                SyntheticControlData.Normalization.NONE, 1)).getMessage().contains("expected 600"));
    }
}
