/**
 * Training tools for DL4J recurrent networks. {@link org.recurrent4j.train.TruncatedBptt} trains a
 * {@code MultiLayerNetwork} or {@code ComputationGraph} with truncated backpropagation through time, TBPTT(k1, k2),
 * carrying the state from window to window. To make each layer's backward pass start from that state, it uses the
 * layer's {@link org.recurrent4j.train.StatefulBackprop} adapter from {@code StatefulBackprops}
 * ({@link org.recurrent4j.train.SimpleRnnBackprop} for DL4J's {@code SimpleRnn}). Also here:
 * {@link org.recurrent4j.train.GlobalNormClipping}, a listener that clips the norm of all gradients together;
 * {@link org.recurrent4j.train.SamplingSchedule}, the schedules of scheduled sampling; and
 * {@link org.recurrent4j.train.StateGradientProbe}, which measures {@code ∂L/∂h_t} to show vanishing and exploding
 * gradients.
 */
package org.recurrent4j.train;
