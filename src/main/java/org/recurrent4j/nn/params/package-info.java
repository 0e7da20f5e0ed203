/**
 * Parameter layouts: which named parameters a layer or vertex has, their shapes, their order in DL4J's flat
 * parameter vector, and their initial values.
 * {@link org.recurrent4j.nn.params.RecurrentParamInitializer} serves {@link org.recurrent4j.conf.ElmanRnn} and
 * {@link org.recurrent4j.conf.Gru} (keys {@code W}, {@code RW}, {@code b} and, where the cell has one, {@code RB});
 * an {@code ElmanRnn} has the same flat layout as DL4J's {@code SimpleRnn}.
 * {@link org.recurrent4j.nn.params.DecoderLayout} serves the {@link org.recurrent4j.conf.graph.AttentionDecoderVertex},
 * and {@link org.recurrent4j.nn.params.ScoreLayout} the attention scores; it also creates the engine's score function
 * that computes with them.
 */
package org.recurrent4j.nn.params;
