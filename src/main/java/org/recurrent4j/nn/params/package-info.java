/**
 * Parameter layouts: which named parameters a layer or vertex has, their shapes, their order in DL4J's flat
 * parameter vector, and their initial values. The layouts are plain values that a configuration builds and hands to
 * its implementation; nothing here reads a configuration class.
 * {@link org.recurrent4j.nn.params.CellLayout} describes a recurrent cell (Elman, GRU, LSTM) and creates its kernel,
 * which is where the gate count and the recurrent bias are known.
 * {@link org.recurrent4j.nn.params.RecurrentParamInitializer} lays out the parameters of
 * {@link org.recurrent4j.conf.ElmanRnn} and {@link org.recurrent4j.conf.Gru} (keys {@code W}, {@code RW}, {@code b}
 * and, where the cell has one, {@code RB}) from their cell and DL4J's recurrent layer configuration; an
 * {@code ElmanRnn} has the same flat layout as DL4J's {@code SimpleRnn}. The vertices' layouts implement
 * {@link org.recurrent4j.nn.params.ParamLayout}: {@link org.recurrent4j.nn.params.DecoderLayout} (the attention
 * decoder's sizes, switches, cell and score) and {@link org.recurrent4j.nn.params.ScoreLayout} (an attention score,
 * which also creates the engine's score function).
 */
package org.recurrent4j.nn.params;
