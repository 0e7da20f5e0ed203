/**
 * Evaluation metrics. {@link org.recurrent4j.eval.Bleu} is BLEU compatible with sacreBLEU (same tokenizers,
 * smoothing and signatures); its {@code builder()} configures a {@link org.recurrent4j.eval.BleuMetric}, and a result
 * is a {@link org.recurrent4j.eval.BleuScore}. Corpus BLEU is always computed from summed
 * {@link org.recurrent4j.eval.BleuStatistics}, never by averaging sentence scores.
 * {@link org.recurrent4j.eval.BleuByLength} gives corpus BLEU per source-length bucket, optionally on a subset chosen
 * by a {@link org.recurrent4j.eval.SentenceFilter} such as {@link org.recurrent4j.eval.NoUnkFilter}.
 * {@link org.recurrent4j.eval.BitsPerCharacter} scores character language models.
 */
package org.recurrent4j.eval;
