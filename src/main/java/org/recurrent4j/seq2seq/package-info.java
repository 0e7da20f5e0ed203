/**
 * Translation models with attention (Bahdanau et al. 2014; Luong et al. 2015) on DL4J's {@code ComputationGraph}.
 * {@link org.recurrent4j.seq2seq.Seq2SeqBuilder} builds the encoder-decoder graph (presets {@code rnnSearch()},
 * {@code rnnEnc()}, {@code luong(...)}); {@link org.recurrent4j.seq2seq.Seq2SeqModel} holds the graph with its
 * vocabularies and settings and saves it as one zip file. {@link org.recurrent4j.seq2seq.Seq2SeqTrainer} trains it
 * within a budget, with early stopping on dev perplexity or BLEU and resumable checkpoints.
 * {@link org.recurrent4j.seq2seq.Translator} translates by greedy or beam search, giving one
 * {@link org.recurrent4j.seq2seq.Translation} per sentence with its n-best list and attention weights, with one model
 * or an ensemble; {@link org.recurrent4j.seq2seq.CheckpointAverage} averages checkpoints' parameters. Batches come
 * from {@code org.recurrent4j.data.parallel}; the decoder is {@link org.recurrent4j.conf.graph.AttentionDecoderVertex}.
 */
package org.recurrent4j.seq2seq;
