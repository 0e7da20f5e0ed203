/**
 * Weight conversion between this library's layers and other frameworks.
 * {@link org.recurrent4j.nn.convert.GruWeightImport} loads PyTorch {@code nn.GRU} and Keras {@code GRU} weights into
 * a {@link org.recurrent4j.conf.Gru} layer and exports them back. It converts each framework's layout (matrix
 * orientation, gate order) and negates the update-gate blocks, because both frameworks define that gate as one
 * minus this library's.
 * {@link org.recurrent4j.nn.convert.PyTorchRecurrentImport} builds a whole network from the {@code .npz} of a PyTorch
 * {@code nn.GRU}, {@code nn.RNN} or {@code nn.LSTM} state_dict (stacked layers, bidirectional), and
 * {@link org.recurrent4j.nn.convert.PyTorchRecurrentExport} writes such a network back as one;
 * {@link org.recurrent4j.nn.convert.PyTorchRecurrentModule} names the module kinds. The gate reordering of all of
 * them is one piece of code (per framework, a permutation of gate blocks with some negated).
 */
package org.recurrent4j.nn.convert;
