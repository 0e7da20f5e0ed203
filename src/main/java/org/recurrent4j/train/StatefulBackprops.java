package org.recurrent4j.train;

import org.deeplearning4j.nn.api.layers.RecurrentLayer;
import org.deeplearning4j.nn.layers.recurrent.BidirectionalLayer;
import org.deeplearning4j.nn.layers.recurrent.GravesBidirectionalLSTM;
import org.deeplearning4j.nn.layers.recurrent.GravesLSTM;
import org.deeplearning4j.nn.layers.recurrent.LSTM;
import org.deeplearning4j.nn.layers.recurrent.SimpleRnn;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The registry of {@link StatefulBackprop} adapters, by exact layer (implementation) class. Layers without an
 * entry get {@link StatefulBackprop#TBPTT_AND_PREVIOUS_STATE}: the state is set both as TBPTT state (where the
 * {@code RecurrentLayer} contract says the TBPTT forward pass starts) and as {@code rnnTimeStep} state (where some
 * layers' backward pass recomputes from), so a layer works whichever of the two it reads. {@link TruncatedBptt}
 * clears both at the end of {@code fit}. A layer that reads neither needs an adapter that does its backward pass
 * itself, or must be registered as unsupported.
 *
 * <p>Registered by default (DL4J 1.0.0-M2.1):
 * <ul>
 *   <li>{@code LSTM}, {@code GravesLSTM}: {@link StatefulBackprop#TBPTT_AND_PREVIOUS_STATE} (their backward pass,
 *       and GravesLSTM's TBPTT forward pass, start from the {@code rnnTimeStep} state);</li>
 *   <li>{@code SimpleRnn}: {@link SimpleRnnBackprop}, which does its backward pass itself (its own always
 *       recomputes from a zero state); layer normalisation and weight noise are refused;</li>
 *   <li>{@code BidirectionalLayer}, {@code GravesBidirectionalLSTM}: unsupported, not causal.</li>
 * </ul>
 */
final class StatefulBackprops {

    private static final Map<Class<?>, StatefulBackprop> ADAPTERS = new ConcurrentHashMap<>();

    static {
        register(LSTM.class, StatefulBackprop.TBPTT_AND_PREVIOUS_STATE);
        register(GravesLSTM.class, StatefulBackprop.TBPTT_AND_PREVIOUS_STATE);
        register(SimpleRnn.class, new SimpleRnnBackprop());
        StatefulBackprop bidirectional = StatefulBackprop.unsupported("a bidirectional layer sees future steps, so "
                + "truncated BPTT over a carried state is undefined; use full BPTT (net.fit)");
        register(BidirectionalLayer.class, bidirectional);
        register(GravesBidirectionalLSTM.class, bidirectional);
    }

    private StatefulBackprops() {
    }

    /** Registers (or replaces) the adapter for layers of exactly {@code layerClass}. */
    public static void register(Class<? extends RecurrentLayer> layerClass, StatefulBackprop adapter) {
        ADAPTERS.put(Objects.requireNonNull(layerClass, "layerClass"), Objects.requireNonNull(adapter, "adapter"));
    }

    /** The adapter for {@code layer}: the registered one, else {@link StatefulBackprop#TBPTT_AND_PREVIOUS_STATE}. */
    public static StatefulBackprop forLayer(RecurrentLayer layer) {
        return ADAPTERS.getOrDefault(layer.getClass(), StatefulBackprop.TBPTT_AND_PREVIOUS_STATE);
    }
}
