/**
 * Tokenizers, shared by the data pipeline and the BLEU metric, so that a model is trained and scored on the same
 * tokens. All implement {@link org.recurrent4j.data.tokenize.Tokenizer}:
 * {@link org.recurrent4j.data.tokenize.Tokenizer13a} (sacreBLEU's {@code 13a}, as used by WMT),
 * {@link org.recurrent4j.data.tokenize.WhitespaceTokenizer}, {@link org.recurrent4j.data.tokenize.CharacterTokenizer},
 * {@link org.recurrent4j.data.tokenize.SacreBleuCharTokenizer}, and the
 * {@link org.recurrent4j.data.tokenize.LowercasingTokenizer} decorator. Whitespace follows Python's definition
 * ({@link org.recurrent4j.data.tokenize.PythonWhitespace}), as sacreBLEU's does.
 */
package org.recurrent4j.data.tokenize;
