/**
 * The ND4J side of the attention decoder. {@link org.recurrent4j.nn.decoder.AttentionDecoder}, made from a
 * {@link org.recurrent4j.nn.params.DecoderLayout}, holds the decoder's parameters as ND4J views and runs its math
 * through {@link org.recurrent4j.compute.decoder.DecoderSequence} on the compute engine: full teacher-forced passes,
 * forward and backward, and step-wise decoding. For step-wise decoding, {@link org.recurrent4j.nn.decoder.Encoded} is
 * what is computed once per batch of sources, {@link org.recurrent4j.nn.decoder.DecoderState} the state between
 * steps, and {@link org.recurrent4j.nn.decoder.StepResult} the output of one step. The graph vertex
 * {@link org.recurrent4j.nn.graph.AttentionDecoderGraphVertex} wraps it.
 */
package org.recurrent4j.nn.decoder;
