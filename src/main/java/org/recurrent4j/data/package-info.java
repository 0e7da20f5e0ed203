/**
 * Sequence data on DataVec: parallel corpora for translation, characters for language models, time series.
 *
 * <p>Translation, end to end:
 * <pre>{@code
 * List<SentencePair> train = ParallelCorpus.readLineAligned(Path.of("datasets/bible-en-es/train.en.gz"),
 *                                                           Path.of("datasets/bible-en-es/train.es.gz"));
 * Tokenizer tok = ...;                                   // see org.recurrent4j.data.tokenize
 * Vocabulary en = Vocabulary.build(train.stream().map(p -> tok.tokenize(p.source())).toList(), 30_000, 1);
 * Vocabulary es = Vocabulary.build(train.stream().map(p -> tok.tokenize(p.target())).toList(), 30_000, 1);
 * Seq2SeqEncoder encoder = Seq2SeqEncoder.builder().sourceTokenizer(tok).targetTokenizer(tok)
 *         .sourceVocabulary(en).targetVocabulary(es).maxLength(50).build();
 * MultiDataSetIterator batches = Seq2SeqIterator.builder()
 *         .pairs(encoder.encode(train).pairs()).batchSize(80).batchesPerPool(20).seed(1).build();
 * }</pre>
 * Each batch: features {@code [source ids [mb,1,Tx], target-input ids [mb,1,Ty]]}, labels
 * {@code [target-output ids [mb,1,Ty]]}, masks {@code [mb,Tx]}, {@code [mb,Ty]} (see
 * {@link org.recurrent4j.data.parallel.Seq2SeqIterator}). Characters:
 * {@link org.recurrent4j.data.chars.CharacterCorpus} and {@link org.recurrent4j.data.chars.CharacterSequenceIterator};
 * time series: {@link org.recurrent4j.data.timeseries.SyntheticControlData}; the Bible corpus:
 * {@link org.recurrent4j.data.bible.BibleCorpusPreparer} and the {@code prepare-bible} command.
 *
 * <p>All readers decode strict UTF-8 and report bad input as {@link org.recurrent4j.data.DataFileException}
 * naming the file and line; vocabularies and corpora are written atomically.
 */
package org.recurrent4j.data;
