package org.recurrent4j.train;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.api.layers.RecurrentLayer;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.wrapper.BaseWrapperLayer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.optimize.solvers.BaseOptimizer;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@code MultiLayerNetwork} or {@code ComputationGraph} as {@link TruncatedBptt} drives it: forward passes
 * from a given state, gradients of a window, and one optimizer step with DL4J's updater and listeners.
 * Runs without workspaces (windows are short; memory is proportional to k2).
 */
abstract class RecurrentModel {

    protected final LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
    private final List<RecurrentLayer> recurrentLayers;

    RecurrentModel(List<Layer> layers) {
        this.recurrentLayers = new ArrayList<>();
        for (Layer layer : layers) {
            if (layer instanceof RecurrentLayer r) {
                recurrentLayers.add(r);
            } else if (layer instanceof BaseWrapperLayer w && w.getUnderlying() instanceof RecurrentLayer) {
                throw new UnsupportedOperationException("TruncatedBptt: layer \"" + layer.conf().getLayer().getLayerName()
                        + "\" (" + layer.getClass().getSimpleName() + ") wraps a recurrent layer; DL4J wrappers run it "
                        + "from a zero state. For many-to-one, use an RnnOutputLayer with a label mask set only at the last step");
            }
        }
        if (recurrentLayers.isEmpty()) {
            throw new IllegalArgumentException("TruncatedBptt: the network has no recurrent layer");
        }
    }

    abstract Model model();

    /** The data formats of the network's feature and label arrays. */
    abstract SequenceFormats formats();

    /** Forward pass (training mode) over {@code chunk} from the TBPTT state; leaves the end state as TBPTT state. */
    abstract void advance(SequenceBatch chunk);

    /**
     * Forward pass over {@code window} from the TBPTT state and backpropagation of its (masked) loss through
     * all of its steps; sets the model's gradient (in the flattened gradient view) and score.
     */
    abstract void computeGradientAndScore(SequenceBatch window);

    /** Applies the updater to the model's gradient, in place, turning it into the parameter update. */
    abstract void applyUpdater(Gradient gradient, int iteration, int epoch, int minibatchSize);

    abstract Collection<TrainingListener> listeners();

    abstract void incrementEpochCount();

    /** Layer states, in layer order: a copy of each recurrent layer's TBPTT state. */
    final List<Map<String, INDArray>> tbpttState() {
        List<Map<String, INDArray>> state = new ArrayList<>();
        for (RecurrentLayer layer : recurrentLayers) {
            state.add(new HashMap<>(layer.rnnGetTBPTTState()));
        }
        return state;
    }

    /** Makes every recurrent layer's next forward and backward pass start from {@code state} (empty list = zero state). */
    final void startFrom(List<Map<String, INDArray>> state) {
        for (int i = 0; i < recurrentLayers.size(); i++) {
            RecurrentLayer layer = recurrentLayers.get(i);
            StatefulBackprops.forLayer(layer).startFrom(layer, state.isEmpty() ? Map.of() : state.get(i));
        }
    }

    /** The TBPTT forward pass of recurrent layer {@code layer} from its TBPTT state, through its {@link StatefulBackprop}. */
    final INDArray activateRecurrent(RecurrentLayer layer, INDArray input, boolean storeLastForTbptt) {
        return StatefulBackprops.forLayer(layer).activate(layer, input, true, storeLastForTbptt, mgr);
    }

    /**
     * The backward pass of recurrent layer {@code layer} over a window of {@code backLength} steps, through its
     * {@link StatefulBackprop} (so that it starts from the state the window's forward pass started from).
     */
    final Pair<Gradient, INDArray> backpropRecurrent(RecurrentLayer layer, INDArray epsilon, int backLength) {
        return StatefulBackprops.forLayer(layer).backpropGradient(layer, epsilon, backLength, mgr);
    }

    /** Clears all layers' stored states (also the rnnTimeStep state). */
    final void clearState() {
        for (RecurrentLayer layer : recurrentLayers) {
            layer.rnnClearPreviousState();
        }
    }

    /**
     * One optimizer step, as DL4J's {@code StochasticGradientDescent.optimize}: listeners'
     * the trainer's clipping, then listeners' {@code onGradientCalculation}, the updater,
     * {@code params -= update}, {@code iterationDone}, iteration count, constraints.
     */
    final void step(int minibatchSize, GlobalNormClipping clipping) {
        Model model = model();
        for (TrainingListener l : listeners()) {
            l.onBackwardPass(model);
        }
        if (clipping != null) {
            clipping.onGradientCalculation(model);
        }
        for (TrainingListener l : listeners()) {
            l.onGradientCalculation(model);
        }
        int iteration = BaseOptimizer.getIterationCount(model);
        int epoch = BaseOptimizer.getEpochCount(model);
        Gradient gradient = model.gradient();
        applyUpdater(gradient, iteration, epoch, minibatchSize);
        model.params().subi(gradient.gradient());     // [nParams], the updater turned the gradient into the update
        for (TrainingListener l : listeners()) {
            l.iterationDone(model, iteration, epoch);
        }
        BaseOptimizer.incrementIterationCount(model, 1);
        BaseOptimizer.applyConstraints(model);
    }

    /** A gradient over the flattened view, with per-variable entries {@code prefix_key} in the given order. */
    static Gradient gradientOf(INDArray flattenedView, Map<String, Gradient> perLayer) {
        Gradient out = new DefaultGradient(flattenedView);
        for (Map.Entry<String, Gradient> e : perLayer.entrySet()) {
            Gradient g = e.getValue();
            for (Map.Entry<String, INDArray> v : g.gradientForVariable().entrySet()) {
                out.setGradientFor(e.getKey() + "_" + v.getKey(), v.getValue(), g.flatteningOrderForVariable(v.getKey()));
            }
        }
        return out;
    }

    static <K, V> LinkedHashMap<K, V> reversed(LinkedHashMap<K, V> map) {
        List<Map.Entry<K, V>> entries = new ArrayList<>(map.entrySet());
        LinkedHashMap<K, V> out = new LinkedHashMap<>();
        for (int i = entries.size() - 1; i >= 0; i--) {
            out.put(entries.get(i).getKey(), entries.get(i).getValue());
        }
        return out;
    }
}
