/**
 * Vocabularies: maps between tokens and ids, saved as plain-text files.
 * {@link org.recurrent4j.data.vocab.Vocabulary} is the word vocabulary of translation models: the special tokens
 * {@code <pad>}, {@code <unk>}, {@code <s>}, {@code </s>} at ids 0 to 3, then a frequency shortlist whose ids depend
 * only on the counts. {@link org.recurrent4j.data.vocab.CharacterVocabulary} gives one id per character for character
 * language models. Both use the file format of {@link org.recurrent4j.data.vocab.VocabularyFile}: UTF-8, one escaped
 * token per line, written atomically.
 */
package org.recurrent4j.data.vocab;
