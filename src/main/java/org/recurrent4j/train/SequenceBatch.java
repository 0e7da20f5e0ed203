package org.recurrent4j.train;

import org.deeplearning4j.nn.conf.RNNFormat;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.Arrays;

/**
 * One minibatch of sequences for truncated BPTT: features {@code [mb, nIn, T]} (NCW) or {@code [mb, T, nIn]} (NWC),
 * labels either {@code [mb, nOut, T]} / {@code [mb, T, nOut]} (one label per step) or {@code [mb, nOut]}
 * (many-to-one), and optional {@code [mb, T]} masks (1 = real step); each array's format is given by
 * {@link SequenceFormats}. Holds several arrays for multi-input / multi-output graphs.
 * Immutable; {@link #slice} returns copies of a time interval.
 */
final class SequenceBatch {
    private final INDArray[] features;
    private final INDArray[] labels;
    private final INDArray[] featureMasks;   // null or per-input (elements may be null)
    private final INDArray[] labelMasks;     // null or per-output (elements may be null)
    private final SequenceFormats formats;
    private final long length;

    SequenceBatch(INDArray[] features, INDArray[] labels, INDArray[] featureMasks, INDArray[] labelMasks,
                  SequenceFormats formats) {
        if (features == null || features.length == 0 || labels == null || labels.length == 0) {
            throw new IllegalArgumentException("TruncatedBptt: a batch needs features and labels, got "
                    + (features == null ? 0 : features.length) + " feature and "
                    + (labels == null ? 0 : labels.length) + " label arrays");
        }
        this.features = features;
        this.labels = labels;
        this.featureMasks = allNull(featureMasks) ? null : featureMasks;
        this.labelMasks = allNull(labelMasks) ? null : labelMasks;
        if (formats.features().length != features.length || formats.labels().length != labels.length) {
            throw new IllegalArgumentException("TruncatedBptt: the network has " + formats.features().length
                    + " inputs and " + formats.labels().length + " outputs, the data " + features.length
                    + " feature and " + labels.length + " label arrays");
        }
        this.formats = formats;
        this.length = checkShapes();
    }

    static SequenceBatch of(DataSet ds, SequenceFormats formats) {
        return new SequenceBatch(new INDArray[]{ds.getFeatures()}, new INDArray[]{ds.getLabels()},
                new INDArray[]{ds.getFeaturesMaskArray()}, new INDArray[]{ds.getLabelsMaskArray()}, formats);
    }

    static SequenceBatch of(MultiDataSet mds, SequenceFormats formats) {
        return new SequenceBatch(mds.getFeatures(), mds.getLabels(), mds.getFeaturesMaskArrays(),
                mds.getLabelsMaskArrays(), formats);
    }

    private static boolean allNull(INDArray[] arrays) {
        return arrays == null || Arrays.stream(arrays).allMatch(a -> a == null);
    }

    private long checkShapes() {
        long t = -1;
        long mb = features[0].size(0);
        for (int i = 0; i < features.length; i++) {
            INDArray f = features[i];
            RNNFormat format = formats.features()[i];
            if (f.rank() != 3) {
                throw new IllegalArgumentException("TruncatedBptt: features " + i + " must be "
                        + (format == RNNFormat.NWC ? "[mb, T, nIn] (rank 3, NWC)" : "[mb, nIn, T] (rank 3, NCW)")
                        + ", got shape " + Arrays.toString(f.shape()));
            }
            t = checkLength(t, f.size(SequenceFormats.timeAxis(format)), "features " + i + " (" + format + ")");
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
                RNNFormat format = formats.labels()[i];
                checkLength(t, l.size(SequenceFormats.timeAxis(format)), "labels " + i + " (" + format + ")");
                if (labelMasks != null && labelMasks[i] != null) {
                    checkMask(labelMasks[i], mb, t, "label mask " + i);
                }
            } else if (l.rank() != 2) {
                throw new IllegalArgumentException("TruncatedBptt: labels " + i + " must be [mb, nOut, T] (NCW), "
                        + "[mb, T, nOut] (NWC) or [mb, nOut] (many-to-one), got shape "
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
        return new SequenceBatch(sliceAll(features, formats.features(), start, end),
                isManyToOne() ? labels : sliceAll(labels, formats.labels(), start, end),
                sliceAll(featureMasks, null, start, end),
                isManyToOne() ? labelMasks : sliceAll(labelMasks, null, start, end), formats);
    }

    /** Copies of steps [start, end) of sequence arrays in the given formats, or of masks [mb, T] when formats is null. */
    private static INDArray[] sliceAll(INDArray[] arrays, RNNFormat[] formats, long start, long end) {
        if (arrays == null) {
            return null;
        }
        INDArray[] out = new INDArray[arrays.length];
        for (int i = 0; i < arrays.length; i++) {
            INDArray a = arrays[i];
            if (a == null) {
                continue;
            }
            INDArrayIndex[] index = formats == null ? new INDArrayIndex[]{NDArrayIndex.all(), null}
                    : new INDArrayIndex[]{NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all()};
            index[formats == null ? 1 : SequenceFormats.timeAxis(formats[i])] = NDArrayIndex.interval(start, end);
            out[i] = a.get(index).dup();     // [mb, n, end-start] (NCW), [mb, end-start, n] (NWC) or [mb, end-start]
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
        return new SequenceBatch(features, labels, featureMasks, masks, formats);
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
