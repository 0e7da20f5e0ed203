package org.recurrent4j.nn.convert;

import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.recurrent4j.conf.ElmanRnn;
import org.recurrent4j.conf.Gru;
import org.recurrent4j.conf.MaskedLstm;
import org.recurrent4j.nn.params.RecurrentParamInitializer;

/**
 * The PyTorch recurrent modules that {@link PyTorchRecurrentImport} and {@link PyTorchRecurrentExport} convert, and
 * the layer each one becomes (n = hidden_size):
 * <ul>
 *   <li>{@link #GRU} {@code nn.GRU} ↔ {@link Gru} with {@code resetAfter(true)}</li>
 *   <li>{@link #RNN_TANH} {@code nn.RNN} (the default {@code nonlinearity='tanh'}) ↔ {@link ElmanRnn} with tanh</li>
 *   <li>{@link #RNN_RELU} {@code nn.RNN(nonlinearity='relu')} ↔ {@link ElmanRnn} with ReLU</li>
 *   <li>{@link #LSTM} {@code nn.LSTM} (without {@code proj_size}) ↔ DL4J's {@link LSTM} (tanh, sigmoid gates); imported as
 *       {@link MaskedLstm}, DL4J's LSTM that applies the features mask (see there)</li>
 * </ul>
 * A state_dict does not say which nonlinearity an {@code nn.RNN} has: name {@link #RNN_RELU} explicitly for one
 * built with {@code nonlinearity='relu'}.
 */
public enum PyTorchRecurrentModule {
    GRU("nn.GRU", TorchGateOrder.GRU),
    RNN_TANH("nn.RNN", TorchGateOrder.RNN),
    RNN_RELU("nn.RNN", TorchGateOrder.RNN),
    LSTM("nn.LSTM", TorchGateOrder.LSTM);

    private final String torchClass;
    private final TorchGateOrder gateOrder;

    PyTorchRecurrentModule(String torchClass, TorchGateOrder gateOrder) {
        this.torchClass = torchClass;
        this.gateOrder = gateOrder;
    }

    /** @return G, the number of gate blocks: weight_ih has G·hidden_size rows */
    public int gates() {
        return gateOrder.gates();
    }

    /** @return the PyTorch class, e.g. {@code "nn.GRU"} */
    public String torchClass() {
        return torchClass;
    }

    /** @return the module of a gate count (the number of rows of weight_ih over hidden_size), or null if none has it */
    static PyTorchRecurrentModule ofGates(long gates) {
        if (gates == 1) {
            return RNN_TANH;
        }
        return gates == 3 ? GRU : gates == 4 ? LSTM : null;
    }

    /** @return the constructor arguments beyond sizes, layers and direction, e.g. {@code ", nonlinearity='relu'"} */
    String extraArguments() {
        return this == RNN_RELU ? ", nonlinearity='relu'" : "";
    }

    /** @return the configuration of one direction of one layer */
    Layer layerConf(long nIn, long n) {
        return switch (this) {
            case GRU -> new Gru.Builder().nIn(nIn).nOut(n).resetAfter(true).build();
            case RNN_TANH -> new ElmanRnn.Builder().nIn(nIn).nOut(n).activation(Activation.TANH).build();
            case RNN_RELU -> new ElmanRnn.Builder().nIn(nIn).nOut(n).activation(Activation.RELU).build();
            case LSTM -> new MaskedLstm(nIn, n);
        };
    }

    /**
     * @return the module a layer configuration (one direction) converts to
     * @throws IllegalArgumentException naming the layer if no module has its math
     */
    static PyTorchRecurrentModule of(Layer conf) {
        String name = "layer '" + conf.getLayerName() + "' (" + conf.getClass().getSimpleName() + ")";
        if (conf instanceof Gru gru) {
            if (!gru.isResetAfter()) {
                throw new IllegalArgumentException(name + " has resetAfter(false): nn.GRU computes the reset-after"
                        + " candidate tanh(W_in x + b_in + r ∘ (W_hn h + b_hn)); only a Gru with resetAfter(true) exports");
            }
            return GRU;
        }
        if (conf instanceof ElmanRnn elman) {
            IActivation act = elman.getActivationFn();
            if (act instanceof ActivationTanH) {
                return RNN_TANH;
            }
            if (act instanceof ActivationReLU relu && relu.equals(new ActivationReLU())) {
                return RNN_RELU;
            }
            throw new IllegalArgumentException(name + " has activation " + act + "; nn.RNN has only tanh and relu");
        }
        if (conf instanceof LSTM) {
            LSTM lstm = (LSTM) conf;
            if (!(lstm.getActivationFn() instanceof ActivationTanH)
                    || !(lstm.getGateActivationFn() instanceof ActivationSigmoid)) {
                throw new IllegalArgumentException(name + " has activation " + lstm.getActivationFn()
                        + " and gate activation " + lstm.getGateActivationFn() + "; nn.LSTM has tanh and sigmoid");
            }
            return LSTM;
        }
        throw new IllegalArgumentException(name + " has no PyTorch counterpart: only Gru (resetAfter), ElmanRnn"
                + " (tanh, relu) and LSTM layers, optionally in Bidirectional(CONCAT), export as nn.GRU, nn.RNN, nn.LSTM");
    }

    /**
     * Sets one direction's parameters (keys {@code paramPrefix + "W"}, ... of {@code layer}) from PyTorch tensors
     * of the shapes {@link TorchTensors} names. Only nn.GRU has a separate recurrent bias (our RB); the others' two
     * biases add up to our one.
     */
    void load(org.deeplearning4j.nn.api.Layer layer, String paramPrefix, TorchTensors t) {
        long n = t.weightHh().size(1);
        LayerParams.assign(layer, paramPrefix + RecurrentParamInitializer.WEIGHT_KEY, gateOrder.weightToOurs(t.weightIh(), n));
        LayerParams.assign(layer, paramPrefix + RecurrentParamInitializer.RECURRENT_WEIGHT_KEY, gateOrder.weightToOurs(t.weightHh(), n));
        if (this == GRU) {
            LayerParams.assign(layer, paramPrefix + RecurrentParamInitializer.BIAS_KEY, gateOrder.biasToOurs(t.biasIh(), n));
            LayerParams.assign(layer, paramPrefix + RecurrentParamInitializer.RECURRENT_BIAS_KEY, gateOrder.biasToOurs(t.biasHh(), n));
        } else {
            LayerParams.assign(layer, paramPrefix + RecurrentParamInitializer.BIAS_KEY, gateOrder.biasToOurs(t.biasIh().add(t.biasHh()), n));
        }
    }

    /** @return one direction's PyTorch tensors; for nn.RNN and nn.LSTM bias_ih holds our bias and bias_hh zeros */
    TorchTensors export(org.deeplearning4j.nn.api.Layer layer, String paramPrefix) {
        INDArray rw = layer.getParam(paramPrefix + RecurrentParamInitializer.RECURRENT_WEIGHT_KEY);   // [n, G·n]
        long n = rw.size(0);
        INDArray biasIh = gateOrder.biasToTorch(layer.getParam(paramPrefix + RecurrentParamInitializer.BIAS_KEY), n);
        INDArray biasHh = this == GRU
                ? gateOrder.biasToTorch(layer.getParam(paramPrefix + RecurrentParamInitializer.RECURRENT_BIAS_KEY), n)
                : biasIh.like().assign(0);
        return new TorchTensors(
                gateOrder.weightToTorch(layer.getParam(paramPrefix + RecurrentParamInitializer.WEIGHT_KEY), n),
                gateOrder.weightToTorch(rw, n), biasIh, biasHh);
    }
}
