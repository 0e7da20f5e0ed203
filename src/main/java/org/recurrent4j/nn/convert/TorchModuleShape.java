package org.recurrent4j.nn.convert;

/**
 * The structure of a PyTorch recurrent module: which module, its input_size, hidden_size, num_layers and
 * bidirectional.
 */
record TorchModuleShape(PyTorchRecurrentModule module, long inputSize, long hiddenSize, int layers,
                        boolean bidirectional) {

    /** @return 2 if bidirectional, else 1 */
    int directions() {
        return bidirectional ? 2 : 1;
    }

    /** @return the input size of a layer: input_size for the first, directions · hidden_size above it */
    long layerInputSize(int layer) {
        return layer == 0 ? inputSize : directions() * hiddenSize;
    }

    /** @return the expected shape of one tensor (a name of {@link TorchTensors#NAMES}) of a layer */
    long[] tensorShape(String name, int layer) {
        return TorchTensors.shape(name, module.gates() * hiddenSize, hiddenSize, layerInputSize(layer));
    }

    /** @return the Python expression that constructs the module, e.g. {@code nn.GRU(3, 4, num_layers=2, bidirectional=True)} */
    String constructor() {
        return module.torchClass() + "(" + inputSize + ", " + hiddenSize + ", num_layers=" + layers
                + (bidirectional ? ", bidirectional=True" : "") + module.extraArguments() + ")";
    }
}
