/**
 * Subword units for translation: byte-pair encoding (Sennrich et al. 2016) trained and applied exactly as
 * SentencePiece's BPE ({@code spm_train --model_type=bpe}, v0.1.97) with the settings listed in
 * {@link org.recurrent4j.data.subword.BpeTrainer}, so that a vocabulary trained here equals the reference's piece for
 * piece and a sentence is cut into the same pieces as {@code spm_encode} cuts it.
 * {@link org.recurrent4j.data.subword.BpeTrainer} learns a {@link org.recurrent4j.data.subword.BpeModel} from the
 * training split; the model segments tokenized text into pieces ("▁" marks the start of a word) and joins pieces back
 * into words; {@link org.recurrent4j.data.subword.SubwordTokenizer} puts a word tokenizer and a model together.
 */
package org.recurrent4j.data.subword;
