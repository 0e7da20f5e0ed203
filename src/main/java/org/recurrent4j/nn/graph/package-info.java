/**
 * The DL4J graph vertices behind the vertex configurations of {@code org.recurrent4j.conf.graph}: a
 * {@code ComputationGraph} creates them through those configurations' {@code instantiate}, which hands each its
 * configuration as DL4J's {@code TrainingConfig} and its parameters as a {@link org.recurrent4j.nn.params.ParamLayout}.
 * {@link org.recurrent4j.nn.graph.AttentionGraphVertex} runs Bahdanau or Luong attention (a
 * {@link org.recurrent4j.nn.params.ScoreLayout}) through {@link org.recurrent4j.compute.attention.Attention};
 * {@link org.recurrent4j.nn.graph.AttentionDecoderGraphVertex} runs the attention decoder through
 * {@link org.recurrent4j.nn.decoder.AttentionDecoder}, for whole teacher-forced sequences and step by step (greedy
 * and beam search); {@link org.recurrent4j.nn.graph.TiedEmbeddingDecoderGraphVertex} adds the tied target embeddings
 * ({@link org.recurrent4j.nn.decoder.TiedEmbeddings}). {@link org.recurrent4j.nn.graph.ParameterizedGraphVertex} keeps their parameters and gradients
 * as views of the graph's flat vectors, so DL4J's updater trains them like layer parameters; {@code VertexChecks}
 * reports input shape errors.
 */
package org.recurrent4j.nn.graph;
