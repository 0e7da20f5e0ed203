package org.recurrent4j.train;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.Arrays;

/**
 * One minibatch of sequences for truncated BPTT: features {@code [mb, nIn, T]} (NCW), labels either
 * {@code [mb, nOut, T]} (one label per step) or {@code [mb, nOut]} (many-to-one), and optional
 * {@code [mb, T]} masks (1 = real step). Holds several arrays for multi-input / multi-output graphs.
 * Immutable; {@link #slice} returns views over a time interval.
 */
final class SequenceBatch {
    private final INDArray[] features;
    private final INDArray[] labels;
    private final INDArray[] featureMasks;   // null or per-input (elements may be null)
    private final INDArray[] labelMasks;     // null or per-output (elements may be null)
    private final long length;

    SequenceBatch(INDArray[] features, INDArray[] labels, INDArray[] featureMasks, INDArray[] labelMasks) {
        if (features == null || features.length == 0 || labels == null || labels.length == 0) {
            throw new IllegalArgumentException("TruncatedBptt: a batch needs features and labels, got "
                    + (features == null ? 0 : features.length) + " feature and "
                    + (labels == null ? 0 : labels.length) + " label arrays");
        }
        this.features = features;
        this.labels = labels;
        this.featureMasks = allNull(featureMasks) ? null : featureMasks;
        this.labelMasks = allNull(labelMasks) ? null : labelMasks;
        this.length = checkShapes();
    }

    static SequenceBatch of(DataSet ds) {
        return new SequenceBatch(new INDArray[]{ds.getFeatures()}, new INDArray[]{ds.getLabels()},
                new INDArray[]{ds.getFeaturesMaskArray()}, new INDArray[]{ds.getLabelsMaskArray()});
    }

    static SequenceBatch of(MultiDataSet mds) {
        return new SequenceBatch(mds.getFeatures(), mds.getLabels(), mds.getFeaturesMaskArrays(),
                mds.getLabelsMaskArrays());
    }

    private static boolean allNull(INDArray[] arrays) {
        return arrays == null || Arrays.stream(arrays).allMatch(a -> a == null);
    }

    private long checkShapes() {
        long t = -1;
        long mb = features[0].size(0);
        for (int i = 0; i < features.length; i++) {
            INDArray f = features[i];
            if (f.rank() != 3) {
                throw new IllegalArgumentException("TruncatedBptt: features " + i + " must be [mb, nIn, T] (rank 3, NCW), got shape "
                        + Arrays.toString(f.shape()));
            }
            t = checkLength(t, f.size(2), "features " + i);
            checkMb(mb, f.size(0), "features " + i);
            if (featureMasks != null && featureMasks[i] != null) {
                checkMask(featureMasks[i], mb, t, "feature mask " + i);
            }
        }
        int rank3 = 0;
        for (int i = 0; i < labels.length; i++) {
            INDArray l = labels[i];
            checkMb(mb, l.size(0), "labels " + i);
            if (l.rank() == 3) {
                rank3++;
                checkLength(t, l.size(2), "labels " + i);
                if (labelMasks != null && labelMasks[i] != null) {
                    checkMask(labelMasks[i], mb, t, "label mask " + i);
                }
            } else if (l.rank() != 2) {
                throw new IllegalArgumentException("TruncatedBptt: labels " + i + " must be [mb, nOut, T] or [mb, nOut] (many-to-one), got shape "
                        + Arrays.toString(l.shape()));
            }
        }
        if (rank3 != 0 && rank3 != labels.length) {
            throw new IllegalArgumentException("TruncatedBptt: either all labels are per step [mb, nOut, T] or all are "
                    + "many-to-one [mb, nOut]; got " + rank3 + " of " + labels.length + " per step");
        }
        return t;
    }

    private static long checkLength(long expected, long actual, String what) {
        if (expected >= 0 && expected != actual) {
            throw new IllegalArgumentException("TruncatedBptt: " + what + " has " + actual
                    + " time steps, expected " + expected + " (all features and per-step labels must have equal length)");
        }
        return actual;
    }

    private static void checkMb(long expected, long actual, String what) {
        if (expected != actual) {
            throw new IllegalArgumentException("TruncatedBptt: " + what + " has minibatch size " + actual + ", expected " + expected);
        }
    }

    private static void checkMask(INDArray mask, long mb, long t, String what) {
        if (mask.rank() != 2 || mask.size(0) != mb || mask.size(1) != t) {
            throw new IllegalArgumentException("TruncatedBptt: " + what + " must have shape [" + mb + ", " + t + "], got "
                    + Arrays.toString(mask.shape()));
        }
    }

    /** Number of time steps T. */
    long length() {
        return length;
    }

    long minibatchSize() {
        return features[0].size(0);
    }

    /** True when the labels are {@code [mb, nOut]}: one label per sequence, at its end. */
    boolean isManyToOne() {
        return labels[0].rank() == 2;
    }

    INDArray[] features() {
        return features;
    }

    INDArray[] labels() {
        return labels;
    }

    /** Per-input feature masks, or null when there are none. */
    INDArray[] featureMasks() {
        return featureMasks;
    }

    /** Per-output label masks, or null when there are none. */
    INDArray[] labelMasks() {
        return labelMasks;
    }

    /**
     * One past the last step that matters: the last step at which some example has a label (label masks), or,
     * for many-to-one labels, a real input step (feature masks); T when there are no masks.
     */
    long effectiveLength() {
        INDArray[] masks = isManyToOne() ? featureMasks : labelMasks;
        if (masks == null) {
            return length;
        }
        long last = -1;
        for (INDArray m : masks) {
            if (m == null) {
                return length;
            }
            INDArray anyPerStep = m.max(0);    // [T]
            for (long t = length - 1; t > last; t--) {
                if (anyPerStep.getDouble(t) != 0.0) {
                    last = t;
                    break;
                }
            }
        }
        return last + 1;
    }

    /** The steps {@code [start, end)} of every array; many-to-one labels are kept whole. */
    SequenceBatch slice(long start, long end) {
        return new SequenceBatch(sliceAll(features, start, end, 3),
                isManyToOne() ? labels : sliceAll(labels, start, end, 3),
                sliceAll(featureMasks, start, end, 2),
                isManyToOne() ? labelMasks : sliceAll(labelMasks, start, end, 2));
    }

    private static INDArray[] sliceAll(INDArray[] arrays, long start, long end, int rank) {
        if (arrays == null) {
            return null;
        }
        INDArray[] out = new INDArray[arrays.length];
        for (int i = 0; i < arrays.length; i++) {
            INDArray a = arrays[i];
            if (a == null) {
                continue;
            }
            out[i] = rank == 3
                    ? a.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(start, end)).dup()   // [mb, n, end-start]
                    : a.get(NDArrayIndex.all(), NDArrayIndex.interval(start, end)).dup();                      // [mb, end-start]
        }
        return out;
    }

    /**
     * A copy whose per-step labels count only from step {@code lossStart} (relative to this batch) on: the label
     * mask is zeroed on {@code [0, lossStart)}. Many-to-one labels are returned unchanged.
     */
    SequenceBatch withLossFrom(long lossStart) {
        if (lossStart == 0 || isManyToOne()) {
            return this;
        }
        INDArray[] masks = new INDArray[labels.length];
        for (int i = 0; i < labels.length; i++) {
            INDArray m = labelMasks != null && labelMasks[i] != null
                    ? labelMasks[i].dup()
                    : Nd4j.ones(labels[i].dataType(), labels[i].size(0), length);   // [mb, T]
            m.get(NDArrayIndex.all(), NDArrayIndex.interval(0, lossStart)).assign(0.0);
            masks[i] = m;
        }
        return new SequenceBatch(features, labels, featureMasks, masks);
    }

    /** Whether any label of this batch counts (per-step labels with a mask that is not all zero, or many-to-one). */
    boolean hasAnyLabel() {
        if (isManyToOne() || labelMasks == null) {
            return true;
        }
        for (INDArray m : labelMasks) {
            if (m == null || m.sumNumber().doubleValue() != 0.0) {
                return true;
            }
        }
        return false;
    }
}
