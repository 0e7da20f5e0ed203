package org.recurrent4j.train;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * Truncated backpropagation through time, TBPTT(k1, k2) (Williams &amp; Peng 1990; Sutskever 2013, §2.8.6): run
 * forward carrying the state; every k1 steps, backpropagate through the last k2 steps and update.
 *
 * <pre>{@code
 * TruncatedBptt tbptt = TruncatedBptt.builder().k1(10).k2(25).clipGlobalNorm(5.0).build();
 * tbptt.fit(net, trainIterator);      // one epoch; MultiLayerNetwork or ComputationGraph
 * }</pre>
 *
 * <h2>What each update backpropagates</h2>
 * For a sequence of T steps (features {@code [mb, nIn, T]}, per-step labels {@code [mb, nOut, T]}; or NWC, see below)
 * updates happen at the ends {@code e = k1, 2·k1, …} and at T. The update at {@code e}, with previous end {@code p} (0 at first),
 * uses the window {@code [s, e)}, {@code s = max(0, e − k2)}:
 * <ol>
 *   <li>the state at step s is the one carried by forward passes (in training mode) from step 0 (the layers' zero
 *       state) — or from the previous batch's end, with {@link Builder#carryStateAcrossBatches}; it is a constant
 *       for this update (no gradient flows into it). The state is advanced from one window start to the next right
 *       after the window's gradient is computed and before the parameters change, i.e. with that window's
 *       parameters: for k2 ≥ k1 it is exactly the state that window's forward pass computed (as with
 *       PyTorch-style truncation by {@code detach});</li>
 *   <li>the loss is the network's loss of the steps {@code [max(s, p), e)} (DL4J's loss: summed over steps and
 *       averaged over the minibatch, label mask applied); regularization is applied by the updater, as in
 *       DL4J's {@code fit};</li>
 *   <li>its exact gradient with respect to all parameters is backpropagated through all steps of the window: a loss
 *       at step t goes back {@code t − s + 1} steps, to s and no further; then one optimizer step is taken with the
 *       network's updater, listeners ({@code onGradientCalculation}, {@code iterationDone}) and iteration count.
 *       As in DL4J, the gradient listeners see is summed over the minibatch; the updater divides it by mb.</li>
 * </ol>
 * With k2 ≥ k1 windows overlap by k2 − k1 steps and every loss term is counted in exactly one update. With
 * k2 &lt; k1 only the last k2 steps' losses of each k1 block are trained on. k1 = k2 = T is full BPTT: one update,
 * the gradient of {@code net.computeGradientAndScore()}. Between updates the carried state advances from the
 * previous window start to the next with a forward pass over those steps only (never the whole prefix), so the
 * cost per update is O(k1 + k2) steps and the memory O(k2).
 *
 * <h2>Masks, unequal lengths, many-to-one</h2>
 * Feature and label masks {@code [mb, T]} are sliced with the windows. Unless the state is carried across batches,
 * training stops after the last step at which any example has a label; a window whose counted steps carry no label
 * at all is skipped (no update; the state still advances). Many-to-one with {@code RnnOutputLayer}: a label mask
 * with 1 only at each sequence's last step; only the windows holding labels update, and for sequences of equal
 * length (or left-padded) the one update backpropagates exactly k2 steps back from the label (a shorter,
 * right-padded sequence's label is backpropagated to the start of the window that counts it). Many-to-one with labels
 * {@code [mb, nOut]} (e.g. a graph with {@code LastTimeStepVertex}): forward over the sequence, one update
 * backpropagating through its last k2 real steps (every example must have a real step among them).
 *
 * <h2>Layers</h2>
 * Recurrent layers are driven through DL4J's {@code RecurrentLayer} API; how each kind is made to start its forward
 * <em>and</em> backward pass from the carried state is looked up in {@code StatefulBackprops}. Supported: ours
 * ({@code ElmanRnn}, {@code Gru}), DL4J's {@code LSTM} and {@code GravesLSTM} (their backward pass starts from the
 * {@code rnnTimeStep} state, which is set to the carried state), and DL4J's {@code SimpleRnn}, whose own backward pass
 * always starts from zero: its backward pass is done by {@link SimpleRnnBackprop} from the carried state with the
 * layer's parameters, into its gradient view (without layer normalisation or weight noise, which are refused).
 * Refused: bidirectional layers and wrappers of recurrent layers (e.g. {@code LastTimeStep}).
 *
 * <h2>Data formats</h2>
 * NCW {@code [mb, size, T]} and NWC {@code [mb, T, size]} features and labels, per array: a feature array is sliced in
 * the {@code rnnDataFormat} of the layer reading it (all layers reading one graph input must agree), a label array in
 * that of its output layer ({@code RnnOutputLayer}, {@code RnnLossLayer}; others read NCW). Masks are
 * {@code [mb, T]} either way.
 *
 * <h2>Sequences and state</h2>
 * Independent sequences: the state is reset for every minibatch, unless {@link Builder#carryStateAcrossBatches}
 * is set (consecutive chunks of one stream, same minibatch size; then all steps of a batch are used).
 */
public final class TruncatedBptt {

    private static final Logger log = LoggerFactory.getLogger(TruncatedBptt.class);

    private final int k1;
    private final int k2;
    private final boolean carryStateAcrossBatches;
    private final double clipGlobalNorm;

    private TruncatedBptt(Builder b) {
        this.k1 = b.k1;
        this.k2 = b.k2;
        this.carryStateAcrossBatches = b.carryStateAcrossBatches;
        this.clipGlobalNorm = b.clipGlobalNorm;
    }

    public static Builder builder() {
        return new Builder();
    }

    public int k1() {
        return k1;
    }

    public int k2() {
        return k2;
    }

    /** Trains {@code net} for one epoch over {@code data}. */
    public void fit(MultiLayerNetwork net, DataSetIterator data) {
        RecurrentModel model = new MultiLayerRecurrentModel(net);
        fitEpoch(model, data, data::resetSupported, data::reset, ds -> SequenceBatch.of(ds, model.formats()));
    }

    /** Trains {@code net} for one epoch over {@code data}. */
    public void fit(ComputationGraph net, MultiDataSetIterator data) {
        RecurrentModel model = new GraphRecurrentModel(net);
        fitEpoch(model, data, data::resetSupported, data::reset, mds -> SequenceBatch.of(mds, model.formats()));
    }

    /**
     * Continues training on a stream whose state is carried across calls (needs {@link Builder#carryStateAcrossBatches}):
     * trains on the remaining batches of {@code data} as {@link #fit} does, but starting from {@code carried} instead
     * of the zero state, and returns the state at the end of the last batch for the next call. So training a stream's
     * batches in several calls gives exactly the same parameters as one call over all of them. Unlike {@link #fit} it
     * does not reset {@code data}, call epoch listeners or count an epoch: the caller decides where epochs begin.
     *
     * @param carried the layers' states in layer order as returned by a previous call; empty for the zero state
     * @return the state after the last batch (copies, detached from the network)
     */
    public List<Map<String, INDArray>> fitContinuing(MultiLayerNetwork net, DataSetIterator data,
                                                     List<Map<String, INDArray>> carried) {
        if (!carryStateAcrossBatches) {
            throw new IllegalStateException("TruncatedBptt: fitContinuing needs carryStateAcrossBatches(true)");
        }
        RecurrentModel model = new MultiLayerRecurrentModel(net);
        List<Map<String, INDArray>> state = trainBatches(model, data, ds -> SequenceBatch.of(ds, model.formats()), carried);
        model.clearState();
        return state;
    }

    private <T> void fitEpoch(RecurrentModel model, Iterator<T> data, BooleanSupplier resetSupported,
                              Runnable reset, Function<T, SequenceBatch> toBatch) {
        if (!data.hasNext() && resetSupported.getAsBoolean()) {
            reset.run();
        }
        for (TrainingListener l : model.listeners()) {
            l.onEpochStart(model.model());
        }
        trainBatches(model, data, toBatch, List.of());
        for (TrainingListener l : model.listeners()) {
            l.onEpochEnd(model.model());
        }
        model.clearState();
        model.incrementEpochCount();
    }

    /** Trains on every remaining batch of {@code data} from {@code state}; returns the state after the last one. */
    private <T> List<Map<String, INDArray>> trainBatches(RecurrentModel model, Iterator<T> data,
                                                         Function<T, SequenceBatch> toBatch,
                                                         List<Map<String, INDArray>> state) {
        GlobalNormClipping clipping = clipGlobalNorm > 0 ? new GlobalNormClipping(clipGlobalNorm) : null;
        long stateMinibatch = state.stream().flatMap(m -> m.values().stream()).mapToLong(a -> a.size(0))
                .findFirst().orElse(-1);
        int batches = 0;
        while (data.hasNext()) {
            SequenceBatch batch = toBatch.apply(data.next());
            if (!carryStateAcrossBatches) {
                state = List.of();
            } else if (!state.isEmpty() && batch.minibatchSize() != stateMinibatch) {
                throw new IllegalArgumentException("TruncatedBptt: carryStateAcrossBatches needs equal minibatch sizes, got "
                        + batch.minibatchSize() + " after " + stateMinibatch);
            }
            state = batch.isManyToOne()
                    ? trainManyToOne(model, batch, state, clipping)
                    : trainManyToMany(model, batch, state, clipping);
            stateMinibatch = batch.minibatchSize();
            batches++;
        }
        log.debug("TruncatedBptt({}, {}): {} minibatches done", k1, k2, batches);
        return state;
    }

    /** Per-step labels: the windows of {@link TbpttSchedule#manyToMany}. Returns the state at the batch end (if carried). */
    private List<Map<String, INDArray>> trainManyToMany(RecurrentModel model, SequenceBatch batch,
                                                        List<Map<String, INDArray>> state, GlobalNormClipping clipping) {
        long length = carryStateAcrossBatches ? batch.length() : batch.effectiveLength();
        List<TbpttSchedule.Window> windows = TbpttSchedule.manyToMany(length, k1, k2);
        long position = 0;    // the carried state is the state at this step
        for (int u = 0; u < windows.size(); u++) {
            TbpttSchedule.Window w = windows.get(u);
            state = advance(model, batch, state, position, w.start());
            position = w.start();
            long nextStart = u + 1 < windows.size() ? windows.get(u + 1).start()
                    : carryStateAcrossBatches ? batch.length() : position;
            SequenceBatch window = batch.slice(w.start(), w.end()).withLossFrom(w.lossStart() - w.start());
            if (window.hasAnyLabel()) {
                state = updateAndAdvance(model, window, batch, state, position, nextStart, clipping);
                position = nextStart;
            }
        }
        return carryStateAcrossBatches ? advance(model, batch, state, position, batch.length()) : List.of();
    }

    /** Labels {@code [mb, nOut]}: one update over the last k2 real steps. */
    private List<Map<String, INDArray>> trainManyToOne(RecurrentModel model, SequenceBatch batch,
                                                       List<Map<String, INDArray>> state, GlobalNormClipping clipping) {
        long length = carryStateAcrossBatches ? batch.length() : batch.effectiveLength();
        TbpttSchedule.Window w = TbpttSchedule.manyToOne(length, k2);
        checkEveryExampleInWindow(batch, w);
        state = advance(model, batch, state, 0, w.start());
        long end = carryStateAcrossBatches ? batch.length() : w.start();
        state = updateAndAdvance(model, batch.slice(w.start(), w.end()), batch, state, w.start(), end, clipping);
        return carryStateAcrossBatches ? state : List.of();
    }

    private static void checkEveryExampleInWindow(SequenceBatch batch, TbpttSchedule.Window w) {
        if (batch.featureMasks() == null) {
            return;
        }
        for (INDArray mask : batch.featureMasks()) {
            if (mask == null) {
                continue;
            }
            INDArray realInWindow = mask.get(NDArrayIndex.all(), NDArrayIndex.interval(w.start(), w.end())).max(1);   // [mb]
            for (long i = 0; i < realInWindow.length(); i++) {
                if (realInWindow.getDouble(i) == 0.0) {
                    throw new IllegalArgumentException("TruncatedBptt: many-to-one example " + i + " has no real step in "
                            + "the last k2 = " + (w.end() - w.start()) + " steps [" + w.start() + ", " + w.end()
                            + "); align sequences at the end (left-pad) or use label masks with per-step labels");
                }
            }
        }
    }

    /** Forward pass over {@code [from, to)} starting from {@code state}; returns the state at {@code to}. */
    private static List<Map<String, INDArray>> advance(RecurrentModel model, SequenceBatch batch,
                                                       List<Map<String, INDArray>> state, long from, long to) {
        if (to <= from) {
            return state;
        }
        model.startFrom(state);
        model.advance(batch.slice(from, to));
        return model.tbpttState();
    }

    /**
     * One update from {@code state}: the window's gradient; then, with the same (not yet updated) parameters, the
     * carried state is advanced over {@code [from, to)} of {@code batch}; then the optimizer step.
     * Returns the state at {@code to}.
     */
    private static List<Map<String, INDArray>> updateAndAdvance(RecurrentModel model, SequenceBatch window,
                                                                SequenceBatch batch, List<Map<String, INDArray>> state,
                                                                long from, long to, GlobalNormClipping clipping) {
        model.startFrom(state);
        model.computeGradientAndScore(window);
        List<Map<String, INDArray>> next = advance(model, batch, state, from, to);
        model.step((int) window.minibatchSize(), clipping);
        return next;
    }

    /** Builder; k1 and k2 are required. */
    public static final class Builder {
        private int k1 = -1;
        private int k2 = -1;
        private boolean carryStateAcrossBatches;
        private double clipGlobalNorm;

        private Builder() {
        }

        /** Steps between updates, ≥ 1. */
        public Builder k1(int k1) {
            this.k1 = k1;
            return this;
        }

        /** Steps each update backpropagates through, ≥ 1 (may be smaller than, equal to or larger than k1). */
        public Builder k2(int k2) {
            this.k2 = k2;
            return this;
        }

        /**
         * Carry the state from the end of one minibatch to the start of the next (consecutive chunks of one stream,
         * each row continuing the same row of the previous batch); default false: every minibatch starts from zero.
         */
        public Builder carryStateAcrossBatches(boolean carry) {
            this.carryStateAcrossBatches = carry;
            return this;
        }

        /** Clip the global L2 norm of each update's gradient to {@code threshold} (see {@link GlobalNormClipping}). */
        public Builder clipGlobalNorm(double threshold) {
            new GlobalNormClipping(threshold);     // validates
            this.clipGlobalNorm = threshold;
            return this;
        }

        public TruncatedBptt build() {
            if (k1 < 1 || k2 < 1) {
                throw new IllegalArgumentException("TruncatedBptt: k1 and k2 must be set and >= 1, got k1 = " + k1 + ", k2 = " + k2);
            }
            return new TruncatedBptt(this);
        }
    }
}
