/**
 * DL4J graph vertex configurations, added to a {@code ComputationGraph} with {@code addVertex}.
 * {@link org.recurrent4j.conf.graph.BahdanauAttentionVertex} (additive) and
 * {@link org.recurrent4j.conf.graph.LuongAttentionVertex} (dot, general, concat) compute attention contexts for a
 * sequence of queries over a masked memory; both extend {@link org.recurrent4j.conf.graph.AttentionVertexConf}.
 * {@link org.recurrent4j.conf.graph.AttentionDecoderVertex} is the recurrent decoder of an encoder-decoder, with
 * attention inside the recurrence (RNNsearch, Luong) or a fixed context (RNNenc), and a GRU, Elman or LSTM cell;
 * {@link org.recurrent4j.conf.graph.TiedEmbeddingDecoderVertex} is that decoder owning the target embeddings, which
 * it also uses as its output weights (tied embeddings).
 * Vertices that own parameters extend {@link org.recurrent4j.conf.graph.ParameterizedVertex}; their implementations
 * are in {@code org.recurrent4j.nn.graph}. A configuration describes its parameters with a layout of
 * {@code org.recurrent4j.nn.params} (a score, or the decoder's sizes, cell and score) and hands that layout, not
 * itself, to the implementation it instantiates; the implementations name no configuration class.
 */
package org.recurrent4j.conf.graph;
