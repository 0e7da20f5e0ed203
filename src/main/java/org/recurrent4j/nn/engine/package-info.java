/**
 * The ND4J side of the compute engine: which engine runs ({@link org.recurrent4j.nn.engine.Engines}), views of ND4J
 * arrays as engine matrices and back ({@link org.recurrent4j.nn.engine.Nd4jViews}), and DL4J activations as engine
 * functions ({@link org.recurrent4j.nn.engine.Nd4jActivation}).
 */
package org.recurrent4j.nn.engine;
