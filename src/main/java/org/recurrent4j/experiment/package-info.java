/**
 * The BLEU-versus-sentence-length experiment of Bahdanau, Cho &amp; Bengio (2014), Fig. 2 and Table 1: train RNNenc
 * and RNNsearch with each length filter (30 and 50 by default), translate the test split with beam search, and score
 * BLEU by source length. {@link org.recurrent4j.experiment.BleuVsLengthExperiment} runs it on a
 * {@link org.recurrent4j.experiment.PreparedCorpus} with {@link org.recurrent4j.experiment.ExperimentSettings}
 * ({@code quick()} or {@code full()}); {@code ModelTrainer} and
 * {@code ModelEvaluator} handle one model each, and most other classes hold and write the
 * results (CSV files, the chart, a Markdown report). The {@code bleu-vs-length} command runs it from the command line.
 * It builds on {@code org.recurrent4j.seq2seq} and {@code org.recurrent4j.eval}.
 */
package org.recurrent4j.experiment;
