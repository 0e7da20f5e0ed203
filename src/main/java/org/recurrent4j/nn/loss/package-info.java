/**
 * Loss functions for DL4J output layers computed on the compute engine: {@link
 * org.recurrent4j.nn.loss.SoftmaxCrossEntropy}, DL4J's multi-class cross-entropy (one-hot or class-index labels) with
 * the softmax, the loss and its gradient in one pass.
 */
package org.recurrent4j.nn.loss;
