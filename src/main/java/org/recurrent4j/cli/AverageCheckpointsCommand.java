package org.recurrent4j.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.recurrent4j.seq2seq.CheckpointAverage;
import org.recurrent4j.seq2seq.Seq2SeqModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code average-checkpoints}: writes the parameter average of several saved translation models. */
@Command(name = "average-checkpoints", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "Average the parameters of two or more translation models saved by 'train'",
                "(checkpoint.zip, best.zip or final models) into one model: each weight is the",
                "mean of that weight in all the models. The models must have the same",
                "architecture and the same vocabularies: checkpoints of one training run,",
                "e.g. copies of checkpoint.zip taken at several points. The average usually",
                "translates better than any one of them. The output is a decoding model",
                "(no optimizer state, no training position), written atomically.",
                "",
                "Examples (from the project root: mvn -q compile exec:java -Dexec.args=\"...\"):",
                "  average-checkpoints --out averaged.zip ckpt-40k.zip ckpt-45k.zip ckpt-50k.zip",
                "  translate --model averaged.zip --input test.es --output test.hyp.en",
                ""})
public final class AverageCheckpointsCommand implements Callable<Integer> {

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "where the averaged model goes (.zip)")
    Path out;

    @Parameters(arity = "2..*", paramLabel = "MODEL", description = "the model files (.zip) to average, two or more")
    List<Path> models;

    @Override
    public Integer call() {
        long t0 = System.nanoTime();
        Seq2SeqModel averaged = CheckpointAverage.averageFiles(models);
        averaged.save(out, false);
        System.err.printf(Locale.ROOT, "average-checkpoints: averaged %d models (%d parameters each) into %s in %.1f s%n",
                models.size(), averaged.graph().numParams(), out, (System.nanoTime() - t0) / 1e9);
        return 0;
    }
}
