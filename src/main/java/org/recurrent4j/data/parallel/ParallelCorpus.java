package org.recurrent4j.data.parallel;

import org.datavec.api.records.reader.RecordReader;
import org.datavec.api.writable.Writable;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads sentence pairs from any DataVec {@link RecordReader} whose records are {@code [source, target]} text. */
public final class ParallelCorpus {

    private ParallelCorpus() {
    }

    /**
     * Reads all remaining records of {@code reader} (it is not reset or closed).
     *
     * @throws IllegalArgumentException if a record does not have exactly two writables
     */
    public static List<SentencePair> read(RecordReader reader) {
        List<SentencePair> pairs = new ArrayList<>();
        while (reader.hasNext()) {
            List<Writable> record = reader.next();
            if (record.size() != 2) {
                throw new IllegalArgumentException("ParallelCorpus.read: record " + (pairs.size() + 1)
                        + " has " + record.size() + " writables; expected 2 (source, target)");
            }
            pairs.add(new SentencePair(record.get(0).toString(), record.get(1).toString()));
        }
        return pairs;
    }

    /** Reads line-aligned {@code sourceFile} and {@code targetFile} (plain or {@code .gz}). */
    public static List<SentencePair> readLineAligned(Path sourceFile, Path targetFile) {
        ParallelTextRecordReader reader = ParallelTextRecordReader.lineAligned(sourceFile, targetFile);
        try {
            return read(reader);
        } finally {
            reader.close();
        }
    }

    /** Reads a TSV file of {@code source<TAB>target} lines (plain or {@code .gz}). */
    public static List<SentencePair> readTsv(Path file) {
        ParallelTextRecordReader reader = ParallelTextRecordReader.tsv(file);
        try {
            return read(reader);
        } finally {
            reader.close();
        }
    }
}
