package org.recurrent4j.train;

import org.deeplearning4j.nn.api.layers.RecurrentLayer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Map;

/**
 * How to make one kind of recurrent layer run its next truncated-BPTT forward pass
 * ({@link RecurrentLayer#rnnActivateUsingStoredState}) <em>and</em> its backward pass
 * ({@link RecurrentLayer#tbpttBackpropGradient}) from a given state.
 *
 * <p>DL4J's {@code RecurrentLayer} contract says the TBPTT forward pass starts from the state set with
 * {@link RecurrentLayer#rnnSetTBPTTState}; it says nothing about where the backward pass recomputes its
 * activations from, and DL4J 1.0.0-M2.1's own layers differ: {@code LSTM} recomputes from the
 * {@code rnnTimeStep} state ({@link RecurrentLayer#rnnSetPreviousState}), {@code SimpleRnn} always from zero. An
 * adapter whose layer cannot be told where to start its backward pass does that pass itself ({@link #backpropGradient}),
 * and one whose layer stores a wrong state after its forward pass stores the right one ({@link #activate}); see
 * {@link SimpleRnnBackprop}. {@link TruncatedBptt} looks the adapter up per layer class in {@code StatefulBackprops}.
 */
@FunctionalInterface
interface StatefulBackprop {

    /**
     * Prepares {@code layer} so that its next TBPTT forward and backward pass start from {@code state}
     * (a map as returned by {@link RecurrentLayer#rnnGetTBPTTState()}; empty = the layer's zero initial state).
     *
     * @throws UnsupportedOperationException when this layer cannot backpropagate from a given state
     */
    void startFrom(RecurrentLayer layer, Map<String, INDArray> state);

    /**
     * The TBPTT forward pass of {@code layer} from its TBPTT state, as {@link RecurrentLayer#rnnActivateUsingStoredState}
     * (by default that method of the layer itself); with {@code storeLastForTBPTT} the state at the end becomes the
     * layer's TBPTT state.
     *
     * @param input the layer's input, in its data format
     */
    default INDArray activate(RecurrentLayer layer, INDArray input, boolean training, boolean storeLastForTBPTT,
                              LayerWorkspaceMgr workspaceMgr) {
        return layer.rnnActivateUsingStoredState(input, training, storeLastForTBPTT, workspaceMgr);
    }

    /**
     * The backward pass of {@code layer} after its TBPTT forward pass over a window
     * ({@link RecurrentLayer#rnnActivateUsingStoredState} with {@code storeLastForTBPTT = false}), from the state set
     * by {@link #startFrom}: the gradient in the layer's gradient view and the epsilon to the layer below, as
     * {@link RecurrentLayer#tbpttBackpropGradient}. By default that method of the layer itself.
     *
     * @param epsilon    dL/d(output), in the layer's data format
     * @param backLength the number of (last) steps to backpropagate through
     */
    default Pair<Gradient, INDArray> backpropGradient(RecurrentLayer layer, INDArray epsilon, int backLength,
                                                      LayerWorkspaceMgr workspaceMgr) {
        return layer.tbpttBackpropGradient(epsilon, backLength, workspaceMgr);
    }

    /** For layers whose TBPTT forward and backward passes both start from the TBPTT state. */
    StatefulBackprop TBPTT_STATE = RecurrentLayer::rnnSetTBPTTState;

    /**
     * Sets the state both as TBPTT state and as {@code rnnTimeStep} state: for layers whose backward pass recomputes
     * from the {@code rnnTimeStep} state (DL4J {@code LSTM}); the default for unregistered layers.
     */
    StatefulBackprop TBPTT_AND_PREVIOUS_STATE = (layer, state) -> {
        layer.rnnSetTBPTTState(state);
        layer.rnnSetPreviousState(state);
    };

    /** An adapter that refuses the layer, with {@code reason} and a suggestion in the exception message. */
    static StatefulBackprop unsupported(String reason) {
        return (layer, state) -> {
            throw new UnsupportedOperationException("TruncatedBptt: layer " + layer.getClass().getName()
                    + " (\"" + layer.conf().getLayer().getLayerName() + "\") is not supported: " + reason);
        };
    }
}
