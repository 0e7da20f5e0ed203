/**
 * Weight initialisation schemes for DL4J ({@code IWeightInit}).
 * {@link org.recurrent4j.nn.weights.OrthogonalInit} gives a random matrix with orthonormal columns (or rows), times a
 * gain; it is the default recurrent initialisation of {@link org.recurrent4j.conf.ElmanRnn} and
 * {@link org.recurrent4j.conf.Gru}. It draws from ND4J's random generator, so a network seed makes it reproducible.
 */
package org.recurrent4j.nn.weights;
