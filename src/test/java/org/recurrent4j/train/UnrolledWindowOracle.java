package org.recurrent4j.train;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Test oracle for truncated BPTT, independent of any backward pass: the exact gradient of one window's loss by
 * central finite differences over an explicitly unrolled forward pass ({@code rnnTimeStep}) that starts from the
 * carried state, itself obtained by a forward pass over the prefix {@code [0, start)} at the current parameters
 * and then held fixed. The loss is computed here by a naive loop: softmax cross-entropy
 * {@code −Σ_{i, t ∈ [lossStart, end)} mask[i, t] Σ_c y[i, c, t] log p[i, c, t] / mb} (many-to-one: of the one output).
 */
final class UnrolledWindowOracle {

    /** A network that can run forward step by step from a stored state (rnnTimeStep). */
    interface SteppableNet {
        void clearState();

        /** rnnTimeStep: output probabilities {@code [mb, nOut, len]}, advancing the stored state. */
        INDArray step(INDArray features);

        Object saveState();

        void restoreState(Object state);

        /** The flattened parameters, a view: writing into it changes the network. */
        INDArray params();
    }

    private static final double EPS = 1e-6;

    private UnrolledWindowOracle() {
    }

    /** The loss of steps [lossStart, end) after running [start, end) from the state at {@code start}. */
    static double windowLoss(SteppableNet net, Object stateAtStart, INDArray features, INDArray labels, INDArray labelMask,
                             long start, long lossStart, long end) {
        INDArray window = features.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(start, end)).dup();
        return windowLoss(net, stateAtStart, window, labels, labelMask, start, lossStart);
    }

    private static double windowLoss(SteppableNet net, Object stateAtStart, INDArray windowFeatures, INDArray labels,
                                     INDArray labelMask, long start, long lossStart) {
        net.restoreState(stateAtStart);
        INDArray out = net.step(windowFeatures);    // [mb, nOut, len], or [mb, nOut] for many-to-one
        if (out.rank() == 2) {
            return manyToOneLoss(out, labels);
        }
        int len = (int) out.size(2);
        double[] p = out.dup('c').data().asDouble();
        long end = start + len;
        int mb = (int) labels.size(0);
        int nOut = (int) labels.size(1);
        double loss = 0;
        for (int i = 0; i < mb; i++) {
            for (long t = lossStart; t < end; t++) {
                double m = labelMask == null ? 1.0 : labelMask.getDouble(i, t);
                for (int c = 0; c < nOut; c++) {
                    double y = labels.getDouble(i, c, t);
                    if (y != 0.0 && m != 0.0) {
                        loss -= m * y * Math.log(p[(i * nOut + c) * len + (int) (t - start)]);
                    }
                }
            }
        }
        return loss / mb;
    }

    /** Many-to-one: {@code −Σ_{i,c} y[i, c] log p[i, c] / mb}. */
    private static double manyToOneLoss(INDArray out, INDArray labels) {
        double loss = 0;
        for (int i = 0; i < labels.size(0); i++) {
            for (int c = 0; c < labels.size(1); c++) {
                double y = labels.getDouble(i, c);
                if (y != 0.0) {
                    loss -= y * Math.log(out.getDouble(i, c));
                }
            }
        }
        return loss / labels.size(0);
    }

    /** The state after a forward pass over [0, start) from zero. */
    static Object carriedState(SteppableNet net, INDArray features, long start) {
        net.clearState();
        if (start > 0) {
            net.step(features.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(0, start)).dup());
        }
        return net.saveState();
    }

    /** The state after a forward pass over [from, to) from {@code state}. */
    static Object advance(SteppableNet net, Object state, INDArray features, long from, long to) {
        net.restoreState(state);
        net.step(features.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(from, to)).dup());
        return net.saveState();
    }

    /** Central-difference gradient of {@link #windowLoss} with the state at {@code start} carried from zero. */
    static INDArray gradient(SteppableNet net, INDArray features, INDArray labels, INDArray labelMask,
                             long start, long lossStart, long end) {
        return gradientFrom(net, carriedState(net, features, start), features, labels, labelMask, start, lossStart, end);
    }

    /** Central-difference gradient of {@link #windowLoss} with the given state at {@code start} held fixed. */
    static INDArray gradientFrom(SteppableNet net, Object state, INDArray features, INDArray labels, INDArray labelMask,
                                 long start, long lossStart, long end) {
        INDArray window = features.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(start, end)).dup();
        INDArray params = net.params();
        INDArray grad = params.like();
        for (long j = 0; j < params.length(); j++) {
            double orig = params.getDouble(j);
            params.putScalar(j, orig + EPS);
            double plus = windowLoss(net, state, window, labels, labelMask, start, lossStart);
            params.putScalar(j, orig - EPS);
            double minus = windowLoss(net, state, window, labels, labelMask, start, lossStart);
            params.putScalar(j, orig);
            grad.putScalar(j, (plus - minus) / (2 * EPS));
        }
        net.clearState();
        return grad;
    }

    /** ‖a − b‖ / max(‖a‖, ‖b‖). */
    static double relativeError(INDArray a, INDArray b) {
        double denom = Math.max(a.norm2Number().doubleValue(), b.norm2Number().doubleValue());
        return denom == 0 ? 0 : a.sub(b).norm2Number().doubleValue() / denom;
    }
}
