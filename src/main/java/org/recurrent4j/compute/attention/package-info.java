/**
 * Attention on the compute engine: score functions ({@link org.recurrent4j.compute.attention.AdditiveScore},
 * {@link org.recurrent4j.compute.attention.DotScore}, {@link org.recurrent4j.compute.attention.ScaledScore}) and one
 * query's attention, forward and backward ({@link org.recurrent4j.compute.attention.Attention}), over a
 * {@link org.recurrent4j.compute.attention.Memory} prepared once per source. Used by the attention vertices and the
 * decoder.
 */
package org.recurrent4j.compute.attention;
