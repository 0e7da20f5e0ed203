/**
 * DL4J layer configurations of the recurrent layers, used like DL4J's own in a {@code MultiLayerNetwork} or a
 * {@code ComputationGraph}: {@link org.recurrent4j.conf.ElmanRnn} (same parameters as DL4J's {@code SimpleRnn}) and
 * {@link org.recurrent4j.conf.Gru} (Cho et al. 2014, with an optional reset-after variant that matches cuDNN,
 * PyTorch and Keras). Both are built with their {@code Builder} and share
 * {@link org.recurrent4j.conf.RecurrentLayerConf}. They run through
 * {@link org.recurrent4j.nn.layers.RecurrentSequenceLayer} on the compute engine ({@code org.recurrent4j.compute});
 * each describes its cell as a {@link org.recurrent4j.nn.params.CellLayout}, which {@code instantiate()} hands to the
 * layer and {@code initializer()} to {@link org.recurrent4j.nn.params.RecurrentParamInitializer}. The layer and the
 * initializer name no configuration class.
 * Graph vertices (attention, the attention decoder) are in {@code org.recurrent4j.conf.graph}.
 */
package org.recurrent4j.conf;
