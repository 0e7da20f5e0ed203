package org.recurrent4j.seq2seq;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The {@link StepModel} of an ensemble of M members that share their target vocabulary: every member encodes the
 * batch, advances its rows and keeps the chosen rows, and each step's next-word score is the mean of the members'
 * log-probabilities,
 * <pre>
 *   log p_ens(w | row) = (1/M) Σ_m log p_m(w | row)
 * </pre>
 * (the normalised geometric mean of the members' distributions, up to the per-row constant that makes it sum to 1;
 * {@link BeamSearch} ranks and sums these scores as a single model's log-probabilities). The attention weights of a
 * step are the mean of the attention rows of the members that attend, {@code α_ens = (1/M') Σ_m α_m} (none when no
 * member attends).
 *
 * <p>This follows OpenNMT-py's ensemble decoding ({@code onmt/decoders/ensemble.py}: {@code EnsembleGenerator}
 * returns the mean of the members' {@code log_softmax} outputs, unless {@code raw_probs}; {@code combine_attns} the
 * mean of their attention): the mean of log-probabilities is what OpenNMT-py users get by default, it is summed
 * exactly like one model's scores, and a word any member finds impossible stays impossible.
 *
 * <p>The step's means live in arrays this object reuses from step to step (grown when a step has more rows).
 */
final class EnsembleStepModel implements StepModel {
    private final List<StepModel> members;
    private final int vocabulary;
    private final Step[] memberSteps;
    private final MeanStep mean = new MeanStep();
    private double[] meanLogP = new double[0];
    private double[][] meanAlignment = new double[0][];
    /** the first {@code rows} rows of {@link #meanAlignment}, the step's [rows][Tx] */
    private double[][] alignmentRows = new double[0][];

    /**
     * @param members at least one; all with the same vocabulary size (the caller checks that their vocabularies are
     *                the same words in the same order)
     */
    EnsembleStepModel(List<? extends StepModel> members) {
        if (members.isEmpty()) {
            throw new IllegalArgumentException("EnsembleStepModel: needs at least one member, got none");
        }
        this.members = new ArrayList<>(members);
        this.vocabulary = members.get(0).vocabularySize();
        for (int m = 1; m < members.size(); m++) {
            if (members.get(m).vocabularySize() != vocabulary) {
                throw new IllegalArgumentException("EnsembleStepModel: member " + (m + 1) + " scores "
                        + members.get(m).vocabularySize() + " target words, expected " + vocabulary
                        + " as member 1");
            }
        }
        this.memberSteps = new Step[members.size()];
    }

    @Override
    public int vocabularySize() {
        return vocabulary;
    }

    @Override
    public void encode(List<int[]> sourceIds) {
        for (StepModel member : members) {
            member.encode(sourceIds);
        }
    }

    @Override
    public Step step(int[] previousTokens) {
        for (int m = 0; m < memberSteps.length; m++) {
            memberSteps[m] = members.get(m).step(previousTokens);
        }
        int rows = previousTokens.length;
        averageLogProbabilities(rows);
        mean.alignment = averageAlignments(rows);
        return mean;
    }

    @Override
    public void selectRows(long[] parentRows, long[] rowSentences) {
        for (StepModel member : members) {
            member.selectRows(parentRows, rowSentences);
        }
    }

    /** Fills {@link #meanLogP} [rows · Vy] with {@code (1/M) Σ_m log p_m}, summed in member order. */
    private void averageLogProbabilities(int rows) {
        if (meanLogP.length < rows * vocabulary) {
            meanLogP = new double[rows * vocabulary];
        }
        double scale = 1.0 / memberSteps.length;
        for (int r = 0; r < rows; r++) {
            for (int w = 0; w < vocabulary; w++) {
                double sum = 0;
                for (Step s : memberSteps) {
                    sum += s.logProbability(r, w);
                }
                meanLogP[r * vocabulary + w] = sum * scale;
            }
        }
    }

    /** @return [rows][Tx] the mean of the attending members' attention rows, or null when no member attends */
    private double[][] averageAlignments(int rows) {
        int attending = 0;
        for (Step s : memberSteps) {
            if (s.alignment() != null) {
                double[][] a = s.alignment();
                if (attending++ == 0) {
                    resizeAlignment(rows, a[0].length);
                }
                for (int r = 0; r < rows; r++) {
                    for (int j = 0; j < a[r].length; j++) {
                        meanAlignment[r][j] += a[r][j];
                    }
                }
            }
        }
        if (attending == 0) {
            return null;
        }
        if (alignmentRows.length != rows) {
            alignmentRows = new double[rows][];
        }
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < meanAlignment[r].length; j++) {
                meanAlignment[r][j] /= attending;
            }
            alignmentRows[r] = meanAlignment[r];
        }
        return alignmentRows;
    }

    /** Zeroes {@link #meanAlignment} for [rows][tx], reusing its rows where they have the right length. */
    private void resizeAlignment(int rows, int tx) {
        if (meanAlignment.length < rows) {
            meanAlignment = Arrays.copyOf(meanAlignment, rows);
        }
        for (int r = 0; r < rows; r++) {
            if (meanAlignment[r] == null || meanAlignment[r].length != tx) {
                meanAlignment[r] = new double[tx];
            } else {
                Arrays.fill(meanAlignment[r], 0.0);
            }
        }
    }

    /** The last step's means, read from the reused arrays (valid until the next step). */
    private final class MeanStep implements Step {
        private double[][] alignment;

        @Override
        public double logProbability(int row, int word) {
            return meanLogP[row * vocabulary + word];
        }

        @Override
        public double[][] alignment() {
            return alignment;
        }
    }
}
