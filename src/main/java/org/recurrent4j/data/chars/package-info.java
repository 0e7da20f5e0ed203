/**
 * Character data for character language models. {@link org.recurrent4j.data.chars.CharacterCorpus} loads a text file
 * as character ids, split into a training and a validation part.
 * {@link org.recurrent4j.data.chars.CharacterSequenceIterator} turns ids into next-character batches (one-hot
 * {@code [mb, V, T]}), either as shuffled windows or as contiguous streams whose rows continue from one batch to the
 * next, as truncated BPTT with a carried state needs. Used by {@code org.recurrent4j.lm}.
 */
package org.recurrent4j.data.chars;
