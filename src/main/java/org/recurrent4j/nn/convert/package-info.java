/**
 * Weight conversion between this library's layers and other frameworks.
 * {@link org.recurrent4j.nn.convert.GruWeightImport} loads PyTorch {@code nn.GRU} and Keras {@code GRU} weights into
 * a {@link org.recurrent4j.conf.Gru} layer and exports them back. It converts each framework's layout (matrix
 * orientation, gate order) and negates the update-gate blocks, because both frameworks define that gate as one
 * minus this library's.
 */
package org.recurrent4j.nn.convert;
