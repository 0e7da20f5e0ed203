/**
 * Character-level language models (char-rnn): network construction with equal-parameter-count sizing,
 * training with {@link org.recurrent4j.train.TruncatedBptt} on carried streams, resumable checkpoints, and sampling.
 */
package org.recurrent4j.lm;
