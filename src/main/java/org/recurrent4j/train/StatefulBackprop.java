package org.recurrent4j.train;

import org.deeplearning4j.nn.api.layers.RecurrentLayer;
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
 * {@code rnnTimeStep} state ({@link RecurrentLayer#rnnSetPreviousState}), {@code SimpleRnn} always from zero.
 * {@link TruncatedBptt} looks the adapter up per layer class in {@link StatefulBackprops}.
 */
@FunctionalInterface
public interface StatefulBackprop {

    /**
     * Prepares {@code layer} so that its next TBPTT forward and backward pass start from {@code state}
     * (a map as returned by {@link RecurrentLayer#rnnGetTBPTTState()}; empty = the layer's zero initial state).
     *
     * @throws UnsupportedOperationException when this layer cannot backpropagate from a given state
     */
    void startFrom(RecurrentLayer layer, Map<String, INDArray> state);

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
