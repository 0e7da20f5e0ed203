/**
 * Parallel corpora for translation, from text to training batches.
 * {@link org.recurrent4j.data.parallel.ParallelTextRecordReader} is a DataVec record reader over line-aligned files or
 * TSV, and {@link org.recurrent4j.data.parallel.ParallelCorpus} reads its records as
 * {@link org.recurrent4j.data.parallel.SentencePair}s. {@link org.recurrent4j.data.parallel.Seq2SeqEncoder} tokenizes
 * both sides, maps tokens to ids and applies the length limits, giving
 * {@link org.recurrent4j.data.parallel.EncodedPair}s. {@link org.recurrent4j.data.parallel.Seq2SeqIterator} groups
 * them by length into {@code MultiDataSet} minibatches in the layout the graph of
 * {@link org.recurrent4j.seq2seq.Seq2SeqBuilder} takes.
 */
package org.recurrent4j.data.parallel;
