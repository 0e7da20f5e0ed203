package org.recurrent4j.data.chars;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;

/**
 * Next-character prediction batches over a sequence of character ids: features one-hot {@code [mb, V, T]}
 * (NCW), labels the one-hot of the following character {@code [mb, V, T]}; no masks (every step is real).
 *
 * <p>Two modes:
 * <ul>
 *   <li>{@link Mode#WINDOWS}: the text is cut into non-overlapping windows of {@code T + 1} characters
 *       (consecutive windows share their boundary character), shuffled per epoch with {@code seed + epoch}
 *       (or in order), {@code mb} windows per batch, the last batch possibly smaller. Every batch starts new
 *       sequences.</li>
 *   <li>{@link Mode#STREAMS}: the text is cut into {@code mb} equal contiguous streams, one per row; batch
 *       {@code k} holds characters {@code [kT, (k+1)T)} of every stream, so row i of batch k+1 continues row i
 *       of batch k (what truncated BPTT needs); the last batch may be shorter in time. Up to {@code mb} trailing
 *       characters that do not fill the rows are not used. Only the first batch of an epoch starts new
 *       streams ({@link #startsNewStream()}).</li>
 * </ul>
 * Asynchronous prefetch is supported in window mode only: in stream mode {@link #startsNewStream()} must
 * describe the batch the trainer is about to use, which a prefetching wrapper would have moved past.
 */
public final class CharacterSequenceIterator implements DataSetIterator {

    /** How the text is cut into sequences (see class doc). */
    public enum Mode { WINDOWS, STREAMS }

    private final int[] ids;
    private final int vocabularySize;
    private final int batchSize;
    private final int sequenceLength;
    private final Mode mode;
    private final boolean shuffle;
    private final long seed;
    private DataSetPreProcessor preProcessor;

    private int epoch;
    private List<Integer> windowStarts;
    private int cursor;
    private boolean lastStartedNewStream;
    private final int streamLength;

    private CharacterSequenceIterator(Builder b) {
        if (b.ids == null) {
            throw new IllegalArgumentException("CharacterSequenceIterator: ids are required");
        }
        if (b.vocabularySize < 1 || b.batchSize < 1 || b.sequenceLength < 1) {
            throw new IllegalArgumentException("CharacterSequenceIterator: vocabularySize, batchSize and "
                    + "sequenceLength must be >= 1, got " + b.vocabularySize + ", " + b.batchSize + ", " + b.sequenceLength);
        }
        for (int id : b.ids) {
            if (id < 0 || id >= b.vocabularySize) {
                throw new IllegalArgumentException("CharacterSequenceIterator: id " + id + " outside [0, "
                        + b.vocabularySize + ")");
            }
        }
        this.ids = b.ids.clone();
        this.vocabularySize = b.vocabularySize;
        this.batchSize = b.batchSize;
        this.sequenceLength = b.sequenceLength;
        this.mode = b.mode;
        this.shuffle = b.shuffle;
        this.seed = b.seed;
        this.streamLength = (ids.length - 1) / batchSize; // inputs per stream; labels need one more character
        if (mode == Mode.STREAMS && streamLength < 1) {
            throw new IllegalArgumentException("CharacterSequenceIterator: " + ids.length + " characters cannot fill "
                    + batchSize + " streams; expected at least " + (batchSize + 1));
        }
        if (mode == Mode.WINDOWS && ids.length < sequenceLength + 1) {
            throw new IllegalArgumentException("CharacterSequenceIterator: " + ids.length + " characters are shorter "
                    + "than one window of " + (sequenceLength + 1));
        }
        setEpoch(0);
    }

    /** @return a new builder */
    public static Builder builder() {
        return new Builder();
    }

    /** Starts epoch {@code epoch} from its first batch. */
    public void setEpoch(int epoch) {
        this.epoch = epoch;
        this.cursor = 0;
        this.lastStartedNewStream = false;
        if (mode == Mode.WINDOWS) {
            List<Integer> starts = new ArrayList<>();
            for (int s = 0; s + sequenceLength < ids.length; s += sequenceLength) {
                starts.add(s);
            }
            if (shuffle) {
                Collections.shuffle(starts, new Random(seed + epoch));
            }
            windowStarts = starts;
        }
    }

    /** @return the current epoch (0 for the first) */
    public int epoch() {
        return epoch;
    }

    /**
     * @return whether the batch last returned by {@link #next()} begins new sequences, so that a recurrent
     * network must clear its stored state before it (always true in window mode)
     */
    public boolean startsNewStream() {
        return lastStartedNewStream;
    }

    /** @return the number of batches per epoch */
    public int batchesPerEpoch() {
        return mode == Mode.WINDOWS
                ? (windowStarts.size() + batchSize - 1) / batchSize
                : (streamLength + sequenceLength - 1) / sequenceLength;
    }

    @Override
    public boolean hasNext() {
        return cursor < batchesPerEpoch();
    }

    @Override
    public DataSet next() {
        if (!hasNext()) {
            throw new NoSuchElementException("CharacterSequenceIterator: epoch " + epoch + " has no more batches");
        }
        int k = cursor++;
        int rows;
        int steps;
        int[] starts;
        if (mode == Mode.WINDOWS) {
            rows = Math.min(batchSize, windowStarts.size() - k * batchSize);
            steps = sequenceLength;
            starts = new int[rows];
            for (int r = 0; r < rows; r++) {
                starts[r] = windowStarts.get(k * batchSize + r);
            }
            lastStartedNewStream = true;
        } else {
            rows = batchSize;
            steps = Math.min(sequenceLength, streamLength - k * sequenceLength);
            starts = new int[rows];
            for (int r = 0; r < rows; r++) {
                starts[r] = r * streamLength + k * sequenceLength;
            }
            lastStartedNewStream = k == 0;
        }
        INDArray features = Nd4j.zeros(DataType.FLOAT, rows, vocabularySize, steps); // [mb, V, T]
        INDArray labels = Nd4j.zeros(DataType.FLOAT, rows, vocabularySize, steps);   // [mb, V, T]
        for (int r = 0; r < rows; r++) {
            for (int t = 0; t < steps; t++) {
                features.putScalar(new long[]{r, ids[starts[r] + t], t}, 1f);
                labels.putScalar(new long[]{r, ids[starts[r] + t + 1], t}, 1f);
            }
        }
        DataSet ds = new DataSet(features, labels);
        if (preProcessor != null) {
            preProcessor.preProcess(ds);
        }
        return ds;
    }

    @Override
    public DataSet next(int num) {
        throw new UnsupportedOperationException("CharacterSequenceIterator: the batch size is fixed ("
                + batchSize + "); call next()");
    }

    @Override
    public int inputColumns() {
        return vocabularySize;
    }

    @Override
    public int totalOutcomes() {
        return vocabularySize;
    }

    @Override
    public boolean resetSupported() {
        return true;
    }

    @Override
    public boolean asyncSupported() {
        return mode == Mode.WINDOWS;
    }

    /** Starts the next epoch (window mode reshuffles with {@code seed + epoch}; stream mode restarts the streams). */
    @Override
    public void reset() {
        setEpoch(epoch + 1);
    }

    @Override
    public int batch() {
        return batchSize;
    }

    @Override
    public void setPreProcessor(DataSetPreProcessor preProcessor) {
        this.preProcessor = preProcessor;
    }

    @Override
    public DataSetPreProcessor getPreProcessor() {
        return preProcessor;
    }

    @Override
    public List<String> getLabels() {
        return null;
    }

    /** Builder: ids, vocabularySize, batchSize and sequenceLength are required. */
    public static final class Builder {
        private int[] ids;
        private int vocabularySize;
        private int batchSize;
        private int sequenceLength;
        private Mode mode = Mode.WINDOWS;
        private boolean shuffle = true;
        private long seed = 12345;

        /** The character ids, e.g. {@link CharacterCorpus#train()}. */
        public Builder ids(int[] ids) {
            this.ids = ids;
            return this;
        }

        /** Number of distinct ids (the one-hot size). */
        public Builder vocabularySize(int n) {
            this.vocabularySize = n;
            return this;
        }

        public Builder batchSize(int n) {
            this.batchSize = n;
            return this;
        }

        /** Time steps per batch (T). */
        public Builder sequenceLength(int n) {
            this.sequenceLength = n;
            return this;
        }

        /** Default {@link Mode#WINDOWS}. */
        public Builder mode(Mode mode) {
            this.mode = mode;
            return this;
        }

        /** Whether window mode shuffles the windows (default true; stream mode never shuffles). */
        public Builder shuffle(boolean shuffle) {
            this.shuffle = shuffle;
            return this;
        }

        /** Seed of epoch 0 in window mode; epoch e uses {@code seed + e}. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public CharacterSequenceIterator build() {
            return new CharacterSequenceIterator(this);
        }
    }
}
