package org.recurrent4j.nn.params;

import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Parameters of the gated recurrent layers in DL4J's one flat view, in this order and these shapes
 * (G = gate blocks, n = nOut): {@code W} [nIn, G·n], {@code RW} [n, G·n], {@code b} [1, G·n] and, for cells
 * with a recurrent bias, {@code RB} [1, G·n]. Matrices are column-major ('f') like DL4J's SimpleRnn, so an
 * {@code ElmanRnn}'s flat parameters equal a {@code SimpleRnn}'s, and gate blocks are contiguous column
 * blocks. Recurrent weights are initialised block by block (each [n, n] gate block on its own).
 *
 * <p>One initializer serves one layer configuration: DL4J asks the configuration's {@code initializer()} each time,
 * which hands over its cell ({@link CellLayout}: G, the recurrent bias); sizes and weight initialisations are read from
 * the DL4J recurrent layer configuration each method receives.
 */
public final class RecurrentParamInitializer implements ParamInitializer {
    public static final String WEIGHT_KEY = "W";
    public static final String RECURRENT_WEIGHT_KEY = "RW";
    public static final String BIAS_KEY = "b";
    public static final String RECURRENT_BIAS_KEY = "RB";

    private final CellLayout cell;

    /** @param cell the layer's cell */
    public RecurrentParamInitializer(CellLayout cell) {
        this.cell = cell;
    }

    private static BaseRecurrentLayer conf(Layer layer) {
        return (BaseRecurrentLayer) layer;
    }

    @Override
    public long numParams(NeuralNetConfiguration conf) {
        return numParams(conf.getLayer());
    }

    @Override
    public long numParams(Layer layer) {
        BaseRecurrentLayer c = conf(layer);
        long gn = cell.gates() * c.getNOut();
        return c.getNIn() * gn + c.getNOut() * gn + gn + (cell.hasRecurrentBias() ? gn : 0);
    }

    @Override
    public List<String> paramKeys(Layer layer) {
        List<String> keys = new ArrayList<>(weightKeys(layer));
        keys.addAll(biasKeys(layer));
        return keys;
    }

    @Override
    public List<String> weightKeys(Layer layer) {
        return List.of(WEIGHT_KEY, RECURRENT_WEIGHT_KEY);
    }

    @Override
    public List<String> biasKeys(Layer layer) {
        return cell.hasRecurrentBias() ? List.of(BIAS_KEY, RECURRENT_BIAS_KEY) : Collections.singletonList(BIAS_KEY);
    }

    @Override
    public boolean isWeightParam(Layer layer, String key) {
        return WEIGHT_KEY.equals(key) || RECURRENT_WEIGHT_KEY.equals(key);
    }

    @Override
    public boolean isBiasParam(Layer layer, String key) {
        return BIAS_KEY.equals(key) || RECURRENT_BIAS_KEY.equals(key);
    }

    @Override
    public Map<String, INDArray> init(NeuralNetConfiguration conf, INDArray paramsView, boolean initializeParams) {
        BaseRecurrentLayer c = conf(conf.getLayer());
        Map<String, INDArray> m = views(c, paramsView);
        if (initializeParams) {
            long nIn = c.getNIn();
            long n = c.getNOut();
            int g = cell.gates();
            IWeightInit inputInit = c.getWeightInitFn();
            IWeightInit recurrentInit = c.getWeightInitFnRecurrent() != null ? c.getWeightInitFnRecurrent() : inputInit;
            INDArray w = m.get(WEIGHT_KEY);
            INDArray rw = m.get(RECURRENT_WEIGHT_KEY);
            for (int gate = 0; gate < g; gate++) {
                INDArray wBlock = w.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), interval(gate * n, (gate + 1) * n));
                wBlock.assign(inputInit.init(nIn, n, new long[] {nIn, n}, 'f', wBlock.dup('f')));
                INDArray rwBlock = rw.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), interval(gate * n, (gate + 1) * n));
                rwBlock.assign(recurrentInit.init(n, n, new long[] {n, n}, 'f', rwBlock.dup('f')));
            }
            m.get(BIAS_KEY).assign(c.getBiasInit());
            if (cell.hasRecurrentBias()) {
                m.get(RECURRENT_BIAS_KEY).assign(0.0);
            }
        }
        for (String key : m.keySet()) {
            conf.addVariable(key);
        }
        return m;
    }

    @Override
    public Map<String, INDArray> getGradientsFromFlattened(NeuralNetConfiguration conf, INDArray gradientView) {
        return views(conf(conf.getLayer()), gradientView);
    }

    /** Splits a flat buffer into the parameter views, in key order. */
    private Map<String, INDArray> views(BaseRecurrentLayer c, INDArray flat) {
        long nIn = c.getNIn();
        long gn = cell.gates() * c.getNOut();
        long n = c.getNOut();
        INDArray f = flat.reshape(flat.length());
        Map<String, INDArray> m = new LinkedHashMap<>();
        long pos = 0;
        m.put(WEIGHT_KEY, f.get(interval(pos, pos + nIn * gn)).reshape('f', nIn, gn));
        pos += nIn * gn;
        m.put(RECURRENT_WEIGHT_KEY, f.get(interval(pos, pos + n * gn)).reshape('f', n, gn));
        pos += n * gn;
        m.put(BIAS_KEY, f.get(interval(pos, pos + gn)).reshape(1, gn));
        pos += gn;
        if (cell.hasRecurrentBias()) {
            m.put(RECURRENT_BIAS_KEY, f.get(interval(pos, pos + gn)).reshape(1, gn));
        }
        return m;
    }
}
