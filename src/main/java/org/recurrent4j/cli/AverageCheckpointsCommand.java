package org.recurrent4j.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.recurrent4j.seq2seq.CheckpointAverage;
import org.recurrent4j.seq2seq.NumberedCheckpoints;
import org.recurrent4j.seq2seq.Seq2SeqModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code average-checkpoints}: writes the parameter average of several saved translation models. */
@Command(name = "average-checkpoints", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "Average the parameters of two or more translation models saved by 'train'",
                "(checkpoints, best.zip or final models) into one model: each weight is the",
                "mean of that weight in all the models. The models must have the same",
                "architecture and the same vocabularies: checkpoints of one training run,",
                "e.g. the numbered checkpoints that 'train --keep-checkpoints N' keeps",
                "(checkpoint-<update>.zip). The average usually translates better than any",
                "one of them. The output is a decoding model (no optimizer state, no",
                "training position), written atomically.",
                "",
                "Examples (from the project root: mvn -q compile exec:java -Dexec.args=\"...\"):",
                "  average-checkpoints --out averaged.zip --last 5 --checkpoint-dir runs/m30k",
                "  average-checkpoints --out averaged.zip ckpt-40k.zip ckpt-45k.zip ckpt-50k.zip",
                "  translate --model averaged.zip --input test.es --output test.hyp.en",
                ""})
public final class AverageCheckpointsCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "where the averaged model goes (.zip)")
    Path out;

    @Option(names = "--last", paramLabel = "N", description = "average the newest N numbered checkpoints "
            + "(checkpoint-<update>.zip, by update count) of --checkpoint-dir, N >= 2")
    Integer last;

    @Option(names = "--checkpoint-dir", paramLabel = "DIR", description = "the checkpoint directory of 'train' "
            + "(with --last)")
    Path checkpointDir;

    @Parameters(arity = "0..*", paramLabel = "MODEL", description = "the model files (.zip) to average, two or more "
            + "(without --last)")
    List<Path> models = List.of();

    @Override
    public Integer call() {
        long t0 = System.nanoTime();
        List<Path> files = files();
        Seq2SeqModel averaged = CheckpointAverage.averageFiles(files);
        averaged.save(out, false);
        System.err.printf(Locale.ROOT, "average-checkpoints: averaged %d models (%d parameters each) into %s in %.1f s%n",
                files.size(), averaged.parameterCount(), out, (System.nanoTime() - t0) / 1e9);
        return 0;
    }

    /** @return the files to average: the MODEL parameters, or the newest --last N of --checkpoint-dir */
    private List<Path> files() {
        if (last == null && checkpointDir == null) {
            if (models.size() < 2) {
                throw usage("give two or more MODEL files (or --last N --checkpoint-dir DIR), got " + models.size());
            }
            return models;
        }
        if (!models.isEmpty()) {
            throw usage("give either MODEL files or --last N --checkpoint-dir DIR, not both");
        }
        if (last == null || checkpointDir == null) {
            throw usage("--last and --checkpoint-dir go together");
        }
        if (last < 2) {
            throw usage("--last must be at least 2, got " + last);
        }
        return NumberedCheckpoints.newest(checkpointDir, last);
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), "average-checkpoints: " + message);
    }
}
