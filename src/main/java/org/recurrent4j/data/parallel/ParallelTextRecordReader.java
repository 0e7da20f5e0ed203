package org.recurrent4j.data.parallel;

import org.datavec.api.conf.Configuration;
import org.datavec.api.records.Record;
import org.datavec.api.records.metadata.RecordMetaData;
import org.datavec.api.split.CollectionInputSplit;
import org.datavec.api.split.InputSplit;
import org.datavec.api.writable.Text;
import org.datavec.api.writable.Writable;
import org.recurrent4j.data.DataFileException;
import org.recurrent4j.data.io.Utf8LineReader;
import org.datavec.api.records.reader.BaseRecordReader;

import java.io.DataInputStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A DataVec {@link org.datavec.api.records.reader.RecordReader} over a parallel corpus. Each record is two
 * {@link Text} writables, {@code [source, target]}. Two layouts:
 * <ul>
 *   <li>line-aligned files: initialize with an {@link InputSplit} of two locations, source then target (plain
 *       or {@code .gz}); line n of one is the translation of line n of the other;</li>
 *   <li>TSV: a split of one location, each line {@code source<TAB>target}.</li>
 * </ul>
 * Files are read lazily as strict UTF-8. Errors name the file and line and stop the reading: files whose line
 * counts differ ("ragged"), invalid UTF-8, a TSV line without exactly one tab, and an <b>empty (or blank)
 * sentence</b> on either side. Empty sentences are rejected rather than kept because a zero-length source
 * has no position to attend to, and in a line-aligned corpus an empty line usually means the files are out of
 * step; remove such pairs explicitly before reading if they are expected.
 */
public class ParallelTextRecordReader extends BaseRecordReader {

    private static final String COMPONENT = "ParallelTextRecordReader";

    private List<Path> files = List.of();
    private transient Utf8LineReader source;
    private transient Utf8LineReader target;
    private List<Writable> pending;
    private Configuration conf;

    /** Creates an uninitialized reader; call {@link #initialize(InputSplit)}. */
    public ParallelTextRecordReader() {
    }

    /** @return a reader over line-aligned {@code sourceFile} and {@code targetFile}, initialized */
    public static ParallelTextRecordReader lineAligned(Path sourceFile, Path targetFile) {
        ParallelTextRecordReader r = new ParallelTextRecordReader();
        r.open(List.of(sourceFile, targetFile));
        return r;
    }

    /** @return a reader over a TSV file of {@code source<TAB>target} lines, initialized */
    public static ParallelTextRecordReader tsv(Path file) {
        ParallelTextRecordReader r = new ParallelTextRecordReader();
        r.open(List.of(file));
        return r;
    }

    @Override
    public void initialize(InputSplit split) {
        List<Path> paths = new ArrayList<>();
        for (URI uri : split.locations()) {
            paths.add(Path.of(uri));
        }
        open(paths);
    }

    @Override
    public void initialize(Configuration conf, InputSplit split) {
        this.conf = conf;
        initialize(split);
    }

    private void open(List<Path> paths) {
        if (paths.size() != 1 && paths.size() != 2) {
            throw new IllegalArgumentException(COMPONENT + ": expected 2 locations (source, target) or 1 (TSV), got "
                    + paths.size() + ": " + paths);
        }
        closeReaders();
        this.files = List.copyOf(paths);
        source = new Utf8LineReader(COMPONENT, files.get(0));
        target = files.size() == 2 ? new Utf8LineReader(COMPONENT, files.get(1)) : null;
        pending = null;
    }

    @Override
    public boolean hasNext() {
        if (pending == null && source != null) {
            pending = readPair();
        }
        return pending != null;
    }

    @Override
    public List<Writable> next() {
        if (!hasNext()) {
            throw new java.util.NoSuchElementException(COMPONENT + ": no more pairs in " + files);
        }
        List<Writable> out = pending;
        pending = null;
        invokeListeners(out);
        return out;
    }

    private List<Writable> readPair() {
        String src = source.readLine();
        String tgt;
        if (target == null) {
            if (src == null) {
                return endOfData();
            }
            int tab = src.indexOf('\t');
            if (tab < 0 || src.indexOf('\t', tab + 1) >= 0) {
                throw source.error("expected exactly one tab (source<TAB>target), found "
                        + src.chars().filter(c -> c == '\t').count());
            }
            tgt = src.substring(tab + 1);
            src = src.substring(0, tab);
            checkNotBlank(src, source, "source");
            checkNotBlank(tgt, source, "target");
        } else {
            tgt = target.readLine();
            if (src == null && tgt == null) {
                return endOfData();
            }
            if (src == null || tgt == null) {
                Utf8LineReader shorter = src == null ? source : target;
                Utf8LineReader longer = src == null ? target : source;
                throw new DataFileException(COMPONENT, longer.file(), longer.lineNumber(),
                        "ragged parallel files: " + shorter.file() + " ends after " + shorter.lineNumber()
                                + " lines but this file has more; expected equal line counts");
            }
            checkNotBlank(src, source, "source");
            checkNotBlank(tgt, target, "target");
        }
        return List.of(new Text(src), new Text(tgt));
    }

    private static void checkNotBlank(String sentence, Utf8LineReader reader, String side) {
        if (sentence.isBlank()) {
            throw reader.error("empty " + side + " sentence; empty sentences are not allowed (see class doc)");
        }
    }

    private List<Writable> endOfData() {
        closeReaders();
        return null;
    }

    @Override
    public List<String> getLabels() {
        return null;
    }

    @Override
    public void reset() {
        if (files.isEmpty()) {
            throw new IllegalStateException(COMPONENT + ": reset() before initialize()");
        }
        open(files);
    }

    @Override
    public boolean resetSupported() {
        return true;
    }

    @Override
    public List<Writable> record(URI uri, DataInputStream dataInputStream) {
        throw new UnsupportedOperationException(COMPONENT + ": a pair needs two streams; use initialize(InputSplit)");
    }

    @Override
    public Record nextRecord() {
        return new org.datavec.api.records.impl.Record(next(), null);
    }

    @Override
    public Record loadFromMetaData(RecordMetaData recordMetaData) {
        throw new UnsupportedOperationException(COMPONENT + ": loading by metadata is not supported");
    }

    @Override
    public List<Record> loadFromMetaData(List<RecordMetaData> recordMetaDatas) {
        throw new UnsupportedOperationException(COMPONENT + ": loading by metadata is not supported");
    }

    @Override
    public void close() {
        closeReaders();
    }

    private void closeReaders() {
        if (source != null) {
            source.close();
            source = null;
        }
        if (target != null) {
            target.close();
            target = null;
        }
    }

    @Override
    public void setConf(Configuration conf) {
        this.conf = conf;
    }

    @Override
    public Configuration getConf() {
        return conf;
    }

    /** @return a split of the two line-aligned files, for {@link #initialize(InputSplit)} */
    public static InputSplit split(Path sourceFile, Path targetFile) {
        return new CollectionInputSplit(List.of(sourceFile.toUri(), targetFile.toUri()));
    }
}
