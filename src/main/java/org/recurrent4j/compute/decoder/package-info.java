/**
 * The attention decoder on the compute engine. {@link org.recurrent4j.compute.decoder.DecoderSequence} owns the time
 * loop and the memory of whole passes; a step's math is its ordering's: {@code BahdanauStep} (attend with
 * s_{t−1}, then the cell; the fixed context of RNNenc; the maxout output) or {@code LuongStep} (the cell, then
 * attend with h_t; input feeding; the attentional output).
 */
package org.recurrent4j.compute.decoder;
