package org.recurrent4j.data.timeseries;

import org.datavec.api.records.reader.SequenceRecordReader;
import org.datavec.api.records.reader.impl.collection.CollectionSequenceRecordReader;
import org.datavec.api.writable.DoubleWritable;
import org.datavec.api.writable.IntWritable;
import org.datavec.api.writable.Writable;
import org.deeplearning4j.datasets.datavec.SequenceRecordReaderDataSetIterator;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.dataset.api.preprocessor.NormalizerStandardize;
import org.recurrent4j.data.io.Utf8LineReader;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The UCI Synthetic Control Chart time series (600 rows of 60 values, 6 classes in consecutive blocks of 100)
 * as many-to-one sequence classification, the DataVec way of DL4J's {@code UCISequenceClassification} example:
 * a {@link SequenceRecordReader} for the values (one sequence of 60 single-value steps per row), one for the
 * labels (one step holding the class), joined by {@link SequenceRecordReaderDataSetIterator} with
 * {@code ALIGN_END}. Features are {@code [mb, 1, 60]}; labels one-hot {@code [mb, 6, 60]} with a label mask
 * {@code [mb, 60]} that is 1 at the last step only.
 *
 * <p>The example writes every row to its own CSV file to feed {@code CSVSequenceRecordReader}; here the rows
 * are parsed once and handed to DataVec's {@link CollectionSequenceRecordReader}, which produces the same
 * records without 1,200 temporary files. Split: in each class the first 75 rows train, the last 25 test
 * (450 / 150, as in the example); the training rows are shuffled once with the given seed, because the file's
 * class blocks would otherwise give single-class batches. Normalization, if asked for, is DL4J's
 * {@link NormalizerStandardize} fitted on the training set and applied to both.
 */
public final class SyntheticControlData {

    public static final int ROWS = 600;
    public static final int LENGTH = 60;
    public static final int CLASSES = 6;
    private static final int ROWS_PER_CLASS = ROWS / CLASSES;
    private static final int TRAIN_PER_CLASS = 75;

    /** Preprocessing of the values. */
    public enum Normalization { NONE, STANDARDIZE }

    private final double[][] rows;
    private final Normalization normalization;
    private final long seed;
    private NormalizerStandardize normalizer;

    private SyntheticControlData(double[][] rows, Normalization normalization, long seed) {
        this.rows = rows;
        this.normalization = normalization;
        this.seed = seed;
    }

    /**
     * Reads {@code synthetic_control.data}: 600 lines of 60 numbers separated by white space.
     *
     * @throws org.recurrent4j.data.DataFileException naming the line if a line does not have 60 numbers, or
     *                                                 the file does not have 600 lines
     */
    public static SyntheticControlData load(Path file, Normalization normalization, long seed) {
        List<double[]> rows = new ArrayList<>(ROWS);
        try (Utf8LineReader reader = new Utf8LineReader("SyntheticControlData", file)) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isBlank()) {
                    throw reader.error("empty line; expected " + LENGTH + " numbers");
                }
                String[] f = line.trim().split("\\s+");
                if (f.length != LENGTH) {
                    throw reader.error("has " + f.length + " values; expected " + LENGTH);
                }
                double[] row = new double[LENGTH];
                for (int i = 0; i < LENGTH; i++) {
                    try {
                        row[i] = Double.parseDouble(f[i]);
                    } catch (NumberFormatException e) {
                        throw reader.error("value " + (i + 1) + " '" + f[i] + "' is not a number");
                    }
                }
                rows.add(row);
            }
            if (rows.size() != ROWS) {
                throw reader.error("file has " + rows.size() + " rows; expected " + ROWS);
            }
        }
        return new SyntheticControlData(rows.toArray(new double[0][]), normalization, seed);
    }

    /** @return the class (0..5) of row {@code row} of the file */
    public static int classOf(int row) {
        return row / ROWS_PER_CLASS;
    }

    /** @return the file rows of the training set, in iteration order */
    public List<Integer> trainRows() {
        List<Integer> out = new ArrayList<>();
        for (int r = 0; r < ROWS; r++) {
            if (r % ROWS_PER_CLASS < TRAIN_PER_CLASS) {
                out.add(r);
            }
        }
        Collections.shuffle(out, new Random(seed));
        return out;
    }

    /** @return the file rows of the test set, in iteration order (file order) */
    public List<Integer> testRows() {
        List<Integer> out = new ArrayList<>();
        for (int r = 0; r < ROWS; r++) {
            if (r % ROWS_PER_CLASS >= TRAIN_PER_CLASS) {
                out.add(r);
            }
        }
        return out;
    }

    /** @return the training iterator (450 series) */
    public DataSetIterator train(int batchSize) {
        return iterator(trainRows(), batchSize);
    }

    /** @return the test iterator (150 series) */
    public DataSetIterator test(int batchSize) {
        return iterator(testRows(), batchSize);
    }

    private DataSetIterator iterator(List<Integer> rowIds, int batchSize) {
        List<List<List<Writable>>> features = new ArrayList<>(rowIds.size());
        List<List<List<Writable>>> labels = new ArrayList<>(rowIds.size());
        for (int r : rowIds) {
            List<List<Writable>> seq = new ArrayList<>(LENGTH);
            for (double v : rows[r]) {
                seq.add(List.of(new DoubleWritable(v)));
            }
            features.add(seq);
            labels.add(List.of(List.of(new IntWritable(classOf(r)))));
        }
        DataSetIterator it = new SequenceRecordReaderDataSetIterator(new CollectionSequenceRecordReader(features),
                new CollectionSequenceRecordReader(labels), batchSize, CLASSES, false,
                SequenceRecordReaderDataSetIterator.AlignmentMode.ALIGN_END);
        if (normalization == Normalization.STANDARDIZE) {
            it.setPreProcessor(normalizer());
        }
        return it;
    }

    private synchronized NormalizerStandardize normalizer() {
        if (normalizer == null) {
            NormalizerStandardize n = new NormalizerStandardize();
            n.fit(iteratorWithoutNormalization(trainRows()));
            normalizer = n;
        }
        return normalizer;
    }

    private DataSetIterator iteratorWithoutNormalization(List<Integer> rowIds) {
        return new SyntheticControlData(rows, Normalization.NONE, seed).iterator(rowIds, 64);
    }
}
