package org.recurrent4j.seq2seq;

import java.util.List;
import java.util.Random;
import org.nd4j.linalg.learning.config.Adam;
import org.recurrent4j.data.parallel.EncodedPair;
import org.recurrent4j.data.parallel.Seq2SeqIterator;
import org.recurrent4j.data.vocab.Vocabulary;
import org.recurrent4j.train.SamplingSchedule;

/**
 * Measures the cost of scheduled sampling per update (not a test): trains the learning test's RNNsearch for N updates
 * with teacher forcing, with ε = 0.5 drawn and ε = 0.5 argmax, and prints the time per update and the part spent
 * producing the sampled inputs. Run: {@code mvn -B -q test-compile dependency:build-classpath -Dmdep.outputFile=cp.txt;
 * OMP_NUM_THREADS=1 java -cp target/classes:target/test-classes:$(cat cp.txt)
 * org.recurrent4j.seq2seq.ScheduledSamplingCostBench 40}
 */
public final class ScheduledSamplingCostBench {
    public static void main(String[] a) {
        int updates = Integer.parseInt(a[0]);
        Vocabulary v = ReversalTask.vocabulary(50);
        List<EncodedPair> train = ReversalTask.pairs(new Random(1), 5000, 50, 5, 30);
        for (String s : new String[] {"teacher-forcing", "constant:0.5", "constant:0.5/argmax", "teacher-forcing"}) {
            Seq2SeqModel model = Seq2SeqBuilder.rnnSearch().embeddingSize(32).encoderSize(64).decoderSize(64)
                    .maxoutSize(32).attentionSize(32).updater(new Adam(0.01)).seed(7).build(v, v);
            Seq2SeqIterator it = Seq2SeqIterator.builder().pairs(train).batchSize(64).seed(3).build();
            String[] parts = s.split("/");
            Seq2SeqTrainer.Result r = Seq2SeqTrainer.builder().model(model).trainingData(it).maxUpdates(updates)
                    .samplingSchedule(SamplingSchedule.parse(parts[0]))
                    .samplingMode(parts.length > 1 ? ScheduledSampler.Mode.ARGMAX : ScheduledSampler.Mode.SAMPLE)
                    .build().train();
            System.out.printf("RESULT %s: %.1f ms/update, of which %.1f ms producing sampled inputs (%.0f%% of the rest)%n", s,
                    1000 * r.sessionSeconds() / updates, 1000 * r.samplingSeconds() / updates,
                    100 * r.samplingSeconds() / (r.sessionSeconds() - r.samplingSeconds()));
        }
    }
}
