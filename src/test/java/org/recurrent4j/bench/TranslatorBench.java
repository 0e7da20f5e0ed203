package org.recurrent4j.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.recurrent4j.data.vocab.Vocabulary;
import org.recurrent4j.seq2seq.Seq2SeqBuilder;
import org.recurrent4j.seq2seq.Seq2SeqModel;
import org.recurrent4j.seq2seq.Translation;
import org.recurrent4j.seq2seq.Translator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Benchmark (not a test): decoding speed of {@link Translator} on a random-weight RNNsearch of moderate size
 * (e = 256, encoder 256 per direction, decoder 256, maxout 128, attention 256, vocabularies 10,000), float, CPU:
 * 64 source sentences of 10–30 words, every translation forced to 20 words (the {@code </s>} logit is lowered), so
 * that every beam width does the same number of steps; greedy, beam 5 and beam 10, batch 32.
 *
 * <pre>
 * OMP_NUM_THREADS=1 mvn -Pbench test-compile exec:exec -Dbench.main=org.recurrent4j.bench.TranslatorBench -Dbench= -Dbench.args=
 * </pre>
 */
public final class TranslatorBench {
    private static final Logger log = LoggerFactory.getLogger(TranslatorBench.class);

    public static void main(String[] args) {
        Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
        int vocabulary = 10_000;
        List<String> words = new ArrayList<>();
        for (int i = 0; i < vocabulary; i++) {
            words.add("w" + i);
        }
        Seq2SeqModel model = Seq2SeqBuilder.rnnSearch().embeddingSize(256).encoderSize(256).decoderSize(256)
                .maxoutSize(128).attentionSize(256).seed(1).build(Vocabulary.of(words), Vocabulary.of(words));
        model.graph().getLayer(Seq2SeqBuilder.OUTPUT).getParam("b").putScalar(Vocabulary.EOS_ID, -100f);
        Random rnd = new Random(2);
        List<List<String>> sources = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            List<String> s = new ArrayList<>();
            for (int t = 0, n = 10 + rnd.nextInt(21); t < n; t++) {
                s.add(words.get(rnd.nextInt(vocabulary)));
            }
            sources.add(s);
        }
        for (int beam : new int[] {1, 5, 10}) {
            Translator t = Translator.builder(model).beamWidth(beam).maxLength(20).batchSize(32).build();
            t.translate(sources.subList(0, 32));                                  // warm-up
            long t0 = System.nanoTime();
            List<Translation> out = t.translate(sources);
            double s = (System.nanoTime() - t0) / 1e9;
            long words20 = out.stream().mapToLong(x -> x.tokens().size()).sum();
            log.info(String.format(java.util.Locale.ROOT, "beam %2d: %d sentences, %d output words in %.2f s: "
                    + "%.1f sentences/s, %.0f hypothesis-steps/s", beam, out.size(), words20, s, out.size() / s,
                    out.size() * 21.0 * beam / s));
        }
    }
}
