package org.recurrent4j.seq2seq;

import java.util.SplittableRandom;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Scheduled sampling (Bengio et al. 2015) for a graph trained with DL4J's {@code fit}: replaces gold target-input
 * tokens of a minibatch by the model's own predictions, each with probability 1 − ε.
 *
 * <p><b>How the sampled inputs are produced</b> (the parallel approximation of Duckworth et al. 2019): one extra
 * <em>teacher-forced</em> forward pass over the batch ({@code graph.output(false, …)}: inference mode, no dropout)
 * gives the model's distribution {@code p(· | y_<t, x)} at every target position t at once; then, for each real
 * target-input position {@code t ≥ 1} (the {@code <s>} at t = 0 and padded positions are never touched), with
 * probability 1 − ε the gold {@code y_t} is replaced by a token drawn from ({@link Mode#SAMPLE}) or the argmax of
 * ({@link Mode#ARGMAX}) the distribution at position t − 1. The replaced batch is then trained on with an ordinary
 * teacher-forced {@code fit}. So the token fed at step t is the model's prediction <em>given the gold prefix</em>
 * {@code y_<t}, not given its own earlier sampled tokens as in the sequential algorithm of Bengio et al.: a
 * prediction error never feeds on itself within one pass. The sequential version would need one decoder step per
 * time step (Ty forward calls); this one costs one forward pass of the whole graph per update. Measured (RNNsearch
 * with embeddings 32, encoder 64, decoder 64, 50 words, batches of 64 pairs of 5–30 tokens, ε = 0.5, one thread on a
 * shared 2-core machine): producing the sampled inputs took 34% (argmax) to 39% (sampling) of the time of the
 * ordinary fit that follows it; {@code Seq2SeqTrainer.Result.samplingSeconds()} reports it for any run.
 *
 * <p>Labels, masks and the source are not changed; the input batch is not modified (a new {@link MultiDataSet}
 * shares all arrays but the target input). The coin flips and draws come from a {@link SplittableRandom} seeded
 * by the caller, so the result is a pure function of (parameters, batch, ε, seed, mode).
 */
public final class ScheduledSampler {

    /** How a replacing token is chosen from the model's distribution. */
    public enum Mode {
        /** draw from the softmax (Bengio et al. 2015) */
        SAMPLE,
        /** take its most probable token */
        ARGMAX
    }

    private final Mode mode;
    private long replaced;
    private long candidates;

    /** @param mode how replacing tokens are chosen */
    public ScheduledSampler(Mode mode) {
        if (mode == null) {
            throw new IllegalArgumentException("ScheduledSampler: mode must not be null");
        }
        this.mode = mode;
    }

    /** @return the mode */
    public Mode mode() {
        return mode;
    }

    /** @return how many target-input tokens the last {@link #apply} replaced */
    public long lastReplaced() {
        return replaced;
    }

    /** @return how many target-input tokens the last {@link #apply} could have replaced (real positions t ≥ 1) */
    public long lastCandidates() {
        return candidates;
    }

    /**
     * @param graph   a graph with the layout of {@link Seq2SeqBuilder}, whose output is the softmax [mb, Vy, Ty]
     * @param batch   a batch in the layout of {@link org.recurrent4j.data.parallel.Seq2SeqIterator}
     * @param epsilon probability of keeping each gold token, in [0, 1]; 1 returns {@code batch} itself (no forward
     *                pass)
     * @param seed    seed of the coin flips and draws
     * @return the batch with target input {@code [mb, 1, Ty]} partly replaced
     */
    public MultiDataSet apply(ComputationGraph graph, MultiDataSet batch, double epsilon, long seed) {
        if (!(epsilon >= 0 && epsilon <= 1)) {
            throw new IllegalArgumentException("ScheduledSampler.apply: epsilon must be in [0, 1], got " + epsilon);
        }
        if (batch.getFeatures().length != 2 || batch.getFeaturesMaskArrays() == null
                || batch.getFeaturesMaskArrays().length != 2 || batch.getFeaturesMaskArray(1) == null) {
            throw new IllegalArgumentException("ScheduledSampler.apply: expected a batch with features [source, "
                    + "target input] and their two masks (the layout of Seq2SeqIterator)");
        }
        replaced = 0;
        candidates = 0;
        if (epsilon == 1) {
            return batch;
        }
        INDArray targetIn = batch.getFeatures(1);                                        // [mb, 1, Ty]
        INDArray mask = batch.getFeaturesMaskArray(1);                                   // [mb, Ty]
        int mb = (int) targetIn.size(0);
        int ty = (int) targetIn.size(2);
        INDArray probabilities = graph.output(false, batch.getFeatures(), batch.getFeaturesMaskArrays(),
                batch.getLabelsMaskArrays())[0];                                         // [mb, Vy, Ty]
        long[][] argmax = mode == Mode.ARGMAX ? probabilities.argMax(1).toLongMatrix() : null;   // [mb, Ty]
        float[][] ids = targetIn.reshape(mb, ty).toFloatMatrix();                        // [mb, Ty]
        float[][] real = mask.toFloatMatrix();                                           // [mb, Ty]
        SplittableRandom random = new SplittableRandom(seed);
        for (int b = 0; b < mb; b++) {
            for (int t = 1; t < ty; t++) {
                if (real[b][t] == 0) {
                    continue;
                }
                candidates++;
                if (random.nextDouble() < epsilon) {
                    continue;                                                            // keep the gold token
                }
                ids[b][t] = mode == Mode.ARGMAX ? argmax[b][t - 1] : draw(probabilities, b, t - 1, random);
                replaced++;
            }
        }
        INDArray sampledIn = Nd4j.createFromArray(ids).castTo(targetIn.dataType()).reshape(mb, 1, ty);  // [mb, 1, Ty]
        return new org.nd4j.linalg.dataset.MultiDataSet(new INDArray[]{batch.getFeatures(0), sampledIn},
                batch.getLabels(), batch.getFeaturesMaskArrays(), batch.getLabelsMaskArrays());
    }

    /** A token drawn from the distribution {@code probabilities[b, :, t]}. */
    private static int draw(INDArray probabilities, int b, int t, SplittableRandom random) {
        double[] p = probabilities.get(NDArrayIndex.point(b), NDArrayIndex.all(), NDArrayIndex.point(t))
                .castTo(DataType.DOUBLE).toDoubleVector();                               // [Vy]
        double u = random.nextDouble();
        double cumulative = 0;
        int last = 0;
        for (int k = 0; k < p.length; k++) {
            if (p[k] > 0) {
                cumulative += p[k];
                last = k;
                if (u < cumulative) {
                    return k;
                }
            }
        }
        return last;                                                                     // rounding: sum(p) < u
    }
}
