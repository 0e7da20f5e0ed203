/**
 * The DL4J layer implementation of the recurrent layers. {@link org.recurrent4j.nn.layers.RecurrentSequenceLayer} is
 * what {@link org.recurrent4j.conf.ElmanRnn} and {@link org.recurrent4j.conf.Gru} instantiate, handing it their cell
 * as a {@link org.recurrent4j.nn.params.CellLayout}; the rest of its configuration it reads as DL4J's recurrent layer
 * configuration. It adds DL4J's layer duties (data formats, masks, dropout, weight noise, workspaces, stored states
 * for {@code rnnTimeStep} and truncated BPTT) around {@link org.recurrent4j.nn.layers.CellSequence}.
 * {@code CellSequence} runs one cell over a whole sequence of ND4J arrays through
 * {@link org.recurrent4j.compute.RecurrentSequence} on the compute engine; the truncated-BPTT adapter of DL4J's
 * {@code SimpleRnn} in {@code org.recurrent4j.train} uses it too.
 */
package org.recurrent4j.nn.layers;
