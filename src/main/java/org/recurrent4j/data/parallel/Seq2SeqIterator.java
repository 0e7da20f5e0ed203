package org.recurrent4j.data.parallel;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.dataset.api.MultiDataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.recurrent4j.data.vocab.Vocabulary;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;

/**
 * Minibatches for encoder-decoder training, with separate source and target lengths and length bucketing.
 *
 * <p><b>Layout</b> of each {@link MultiDataSet} ({@code mb} rows, {@code Tx} = longest source in the batch,
 * {@code Ty} = longest target in the batch + 1), padded on the right with {@code <pad>} = 0:
 * <pre>
 * features[0]     source ids          [mb, 1, Tx]   x1 .. xm
 * features[1]     target-input ids    [mb, 1, Ty]   &lt;s&gt; y1 .. yn
 * labels[0]       target-output ids   [mb, 1, Ty]   y1 .. yn &lt;/s&gt;
 * featuresMasks[0]                    [mb, Tx]      1 on real source steps
 * featuresMasks[1], labelsMasks[0]    [mb, Ty]      1 on the n+1 real target steps (the same array)
 * </pre>
 * Ids are stored as floats (exact below 2^24). The {@code [mb, 1, T]} index layout is what DL4J's
 * {@code EmbeddingSequenceLayer} takes in NCW, and class-index labels {@code [mb, 1, T]} are what
 * {@code RnnOutputLayer} with {@code LossSparseMCXENT} takes. Sparse labels are used instead of one-hot
 * {@code [mb, V, T]} because at a 30,000-word vocabulary one-hot labels of an 80 x 50 batch would be
 * 80 * 30000 * 50 * 4 bytes = 480 MB per batch, against 16 KB of indices; the loss is the same
 * (checked against one-hot labels with {@code LossMCXENT}, masks included, in {@code Seq2SeqDl4jCompatibilityTest}).
 * DL4J 1.0.0-M2.1 pitfall: a graph built without {@code setInputTypes} leaves {@code RnnOutputLayer}'s data format
 * null, and its backward pass then reads {@code [mb, 1, T]} labels as NWC and fails; set
 * {@code .dataFormat(RNNFormat.NCW)} on the output layer (with {@code setInputTypes(InputType.recurrent(1))}
 * DL4J would instead overwrite the embedding's {@code nIn} with 1).
 *
 * <p><b>Order</b> (Bahdanau et al. 2014): each epoch shuffles the pairs (seeded), cuts them into pools of
 * {@code batchesPerPool * batchSize} pairs, sorts each pool by (target length, source length) so that a batch
 * holds pairs of similar lengths (little padding), splits the pool into batches and shuffles the order of
 * those batches within the pool. Every pair appears in exactly one batch per epoch; the last batch of the
 * epoch may be smaller. Epoch {@code e} uses the random seed {@code seed + e}; {@link #reset()} moves to the
 * next epoch if {@code reshuffleEachEpoch} is set (the default, what training wants), otherwise it replays the
 * same epoch. Either way the batches are a pure function of (pairs, settings, epoch): {@link #setEpoch(int)}
 * replays any epoch.
 *
 * <p><b>Token bound</b> ({@link Builder#maxTokens(long)}, off by default): a batch's padded size,
 * {@code mb × max(Tx, Ty)} (the larger of its padded source and target arrays, Ty counting the &lt;s&gt;/&lt;/s&gt;
 * step, as OpenNMT-py's {@code batch_type tokens} counts {@code max(max_src_len, max_tgt_len)} per row), never exceeds
 * N: within each sorted pool a batch takes the next pair while both {@code batchSize} rows and N hold. A pair that
 * alone needs more than N is refused when the iterator is built (drop such pairs with the encoder's
 * {@code maxLength}), so that N is a guarantee on every batch's memory.
 *
 * <p><b>Prefetch</b>: batches are cheap to build (no text processing; pairs are encoded up front by
 * {@link Seq2SeqEncoder}), so the iterator itself is synchronous; DL4J wraps it in its
 * {@code AsyncMultiDataSetIterator} (since {@link #asyncSupported()} is true) when a network fits on it, or
 * wrap it yourself: {@code new AsyncMultiDataSetIterator(iterator, queueSize)}.
 */
public final class Seq2SeqIterator implements MultiDataSetIterator {

    private final List<EncodedPair> pairs;
    private final int batchSize;
    private final int batchesPerPool;
    private final long maxTokens;
    private final boolean shuffle;
    private final long seed;
    private final boolean reshuffleEachEpoch;
    private MultiDataSetPreProcessor preProcessor;

    private int epoch;
    private List<int[]> batches;
    private int cursor;

    private Seq2SeqIterator(Builder b) {
        if (b.pairs == null || b.pairs.isEmpty()) {
            throw new IllegalArgumentException("Seq2SeqIterator: pairs must be non-empty");
        }
        if (b.batchSize < 1 || b.batchesPerPool < 1) {
            throw new IllegalArgumentException("Seq2SeqIterator: batchSize and batchesPerPool must be >= 1, got "
                    + b.batchSize + " and " + b.batchesPerPool);
        }
        if (b.maxTokens < 0) {
            throw new IllegalArgumentException("Seq2SeqIterator: maxTokens must be >= 0 (0 = no bound), got "
                    + b.maxTokens);
        }
        for (EncodedPair p : b.pairs) {
            if (p.source().length == 0 || p.target().length == 0) {
                throw new IllegalArgumentException("Seq2SeqIterator: pair " + p.index()
                        + " has an empty side (source " + p.source().length + ", target " + p.target().length
                        + " ids); expected at least one id each");
            }
            if (b.maxTokens > 0 && paddedSteps(p) > b.maxTokens) {
                throw new IllegalArgumentException("Seq2SeqIterator: pair " + p.index() + " alone needs "
                        + paddedSteps(p) + " padded steps (source " + p.source().length + " ids, target "
                        + p.target().length + " + 1), more than maxTokens " + b.maxTokens
                        + "; drop long pairs (maxLength) or raise maxTokens");
            }
        }
        this.pairs = List.copyOf(b.pairs);
        this.batchSize = b.batchSize;
        this.batchesPerPool = b.batchesPerPool;
        this.maxTokens = b.maxTokens;
        this.shuffle = b.shuffle;
        this.seed = b.seed;
        this.reshuffleEachEpoch = b.reshuffleEachEpoch;
        setEpoch(0);
    }

    /** @return a new builder */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the epoch whose batches are being returned (0 for the first) */
    public int epoch() {
        return epoch;
    }

    /** Starts epoch {@code epoch} from its first batch. */
    public void setEpoch(int epoch) {
        if (epoch < 0) {
            throw new IllegalArgumentException("Seq2SeqIterator.setEpoch: epoch must be >= 0, got " + epoch);
        }
        this.epoch = epoch;
        this.batches = planEpoch(new Random(seed + epoch));
        this.cursor = 0;
    }

    /** @return the number of sentence pairs (rows of one epoch) */
    public int size() {
        return pairs.size();
    }

    /** @return the longest source (in ids) of the pairs */
    public int maxSourceLength() {
        return pairs.stream().mapToInt(p -> p.source().length).max().orElseThrow();
    }

    /** @return the number of batches in one epoch */
    public int batchesPerEpoch() {
        return batches.size();
    }

    /** @return the corpus indices ({@link EncodedPair#index()}) of the rows of each batch of the current epoch */
    public List<int[]> batchPlan() {
        List<int[]> out = new ArrayList<>(batches.size());
        for (int[] batch : batches) {
            out.add(Arrays.stream(batch).map(i -> pairs.get(i).index()).toArray());
        }
        return out;
    }

    /** @return the time steps a pair takes in a batch: {@code max(Tx, Ty)} of its own arrays (Ty = target + 1) */
    static int paddedSteps(EncodedPair p) {
        return Math.max(p.source().length, p.target().length + 1);
    }

    /** Batches of positions into {@link #pairs}. */
    private List<int[]> planEpoch(Random random) {
        List<Integer> order = new ArrayList<>(pairs.size());
        for (int i = 0; i < pairs.size(); i++) {
            order.add(i);
        }
        if (shuffle) {
            Collections.shuffle(order, random);
        }
        Comparator<Integer> byLength = Comparator.<Integer>comparingInt(i -> pairs.get(i).target().length)
                .thenComparingInt(i -> pairs.get(i).source().length);
        int poolSize = batchSize * batchesPerPool;
        BatchSplitter splitter = new BatchSplitter(batchSize, maxTokens, i -> paddedSteps(pairs.get(i)));
        List<int[]> plan = new ArrayList<>();
        for (int start = 0; start < order.size(); start += poolSize) {
            List<Integer> pool = new ArrayList<>(order.subList(start, Math.min(order.size(), start + poolSize)));
            if (batchesPerPool > 1) {
                pool.sort(byLength); // stable: equal lengths keep the shuffled order
            }
            List<int[]> poolBatches = splitter.split(pool);
            if (shuffle && batchesPerPool > 1) {
                Collections.shuffle(poolBatches, random);
            }
            plan.addAll(poolBatches);
        }
        return plan;
    }

    @Override
    public boolean hasNext() {
        return cursor < batches.size();
    }

    @Override
    public MultiDataSet next() {
        if (!hasNext()) {
            throw new NoSuchElementException("Seq2SeqIterator: epoch " + epoch + " has no more batches");
        }
        int[] rows = batches.get(cursor++);
        List<EncodedPair> batch = new ArrayList<>(rows.length);
        for (int r : rows) {
            batch.add(pairs.get(r));
        }
        MultiDataSet mds = toMultiDataSet(batch);
        if (preProcessor != null) {
            preProcessor.preProcess(mds);
        }
        return mds;
    }

    /** Builds one batch in the layout of the class doc from {@code batch}, in row order. */
    public static MultiDataSet toMultiDataSet(List<EncodedPair> batch) {
        int mb = batch.size();
        int tx = 0;
        int ty = 0;
        for (EncodedPair p : batch) {
            tx = Math.max(tx, p.source().length);
            ty = Math.max(ty, p.target().length + 1);
        }
        float[] src = new float[mb * tx];                 // [mb, 1, Tx], c order
        float[] srcMask = new float[mb * tx];             // [mb, Tx]
        float[] tgtIn = new float[mb * ty];               // [mb, 1, Ty]
        float[] tgtOut = new float[mb * ty];              // [mb, 1, Ty]
        float[] tgtMask = new float[mb * ty];             // [mb, Ty]
        for (int r = 0; r < mb; r++) {
            int[] s = batch.get(r).source();
            int[] t = batch.get(r).target();
            for (int i = 0; i < s.length; i++) {
                src[r * tx + i] = s[i];
                srcMask[r * tx + i] = 1f;
            }
            tgtIn[r * ty] = Vocabulary.BOS_ID;
            for (int i = 0; i < t.length; i++) {
                tgtIn[r * ty + i + 1] = t[i];
                tgtOut[r * ty + i] = t[i];
            }
            tgtOut[r * ty + t.length] = Vocabulary.EOS_ID;
            for (int i = 0; i <= t.length; i++) {
                tgtMask[r * ty + i] = 1f;
            }
        }
        INDArray targetMask = Nd4j.create(tgtMask, new long[]{mb, ty}, DataType.FLOAT);
        return new org.nd4j.linalg.dataset.MultiDataSet(
                new INDArray[]{Nd4j.create(src, new long[]{mb, 1, tx}, DataType.FLOAT),
                        Nd4j.create(tgtIn, new long[]{mb, 1, ty}, DataType.FLOAT)},
                new INDArray[]{Nd4j.create(tgtOut, new long[]{mb, 1, ty}, DataType.FLOAT)},
                new INDArray[]{Nd4j.create(srcMask, new long[]{mb, tx}, DataType.FLOAT), targetMask},
                new INDArray[]{targetMask});
    }

    @Override
    public MultiDataSet next(int num) {
        throw new UnsupportedOperationException("Seq2SeqIterator: the batch size is fixed by the builder ("
                + batchSize + "); call next()");
    }

    @Override
    public void setPreProcessor(MultiDataSetPreProcessor preProcessor) {
        this.preProcessor = preProcessor;
    }

    @Override
    public MultiDataSetPreProcessor getPreProcessor() {
        return preProcessor;
    }

    @Override
    public boolean resetSupported() {
        return true;
    }

    @Override
    public boolean asyncSupported() {
        return true;
    }

    /** Moves to the next epoch, or replays this one if {@code reshuffleEachEpoch(false)} (see class doc). */
    @Override
    public void reset() {
        setEpoch(reshuffleEachEpoch ? epoch + 1 : epoch);
    }

    @Override
    public void remove() {
        throw new UnsupportedOperationException("Seq2SeqIterator: remove");
    }

    /** Builder: {@code pairs} and {@code batchSize} are required. */
    public static final class Builder {
        private List<EncodedPair> pairs;
        private int batchSize;
        private int batchesPerPool = 20;
        private long maxTokens = 0;
        private boolean shuffle = true;
        private long seed = 12345;
        private boolean reshuffleEachEpoch = true;

        /** The encoded pairs of one split (see {@link Seq2SeqEncoder}). */
        public Builder pairs(List<EncodedPair> pairs) {
            this.pairs = pairs;
            return this;
        }

        /** Rows per batch (with {@link #maxTokens(long)}: at most). */
        public Builder batchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /**
         * The most padded steps per batch, {@code rows × max(Tx, Ty)} (see the class doc), besides at most
         * {@code batchSize} rows; default 0 = no token bound.
         */
        public Builder maxTokens(long maxTokens) {
            this.maxTokens = maxTokens;
            return this;
        }

        /** Batches per length-sorted pool (Bahdanau: 20); 1 disables bucketing. Default 20. */
        public Builder batchesPerPool(int n) {
            this.batchesPerPool = n;
            return this;
        }

        /**
         * Whether to shuffle pairs and batches (default true). With false and {@code batchesPerPool(1)} the
         * batches follow corpus order (e.g. for evaluation); with false and larger pools, consecutive pools of the
         * corpus are sorted by length.
         */
        public Builder shuffle(boolean shuffle) {
            this.shuffle = shuffle;
            return this;
        }

        /** Seed of epoch 0; epoch e uses {@code seed + e}. Default 12345. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Whether {@link Seq2SeqIterator#reset()} advances to a newly shuffled epoch (default true). */
        public Builder reshuffleEachEpoch(boolean reshuffle) {
            this.reshuffleEachEpoch = reshuffle;
            return this;
        }

        public Seq2SeqIterator build() {
            return new Seq2SeqIterator(this);
        }
    }
}
