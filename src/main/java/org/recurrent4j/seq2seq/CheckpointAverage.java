package org.recurrent4j.seq2seq;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Checkpoint averaging: one model whose parameters are the element-wise mean of N models' parameters,
 * <pre>
 *   θ̄ = (1/N) Σ_i θ_i
 * </pre>
 * summed in double precision in the given order, then stored in the models' data type. The models must have the
 * same architecture (vertex types, parameter names and shapes) and the same vocabularies and source order
 * ({@link ModelCompatibility}); typically they are checkpoints of one training run, and their average usually
 * translates better than any one of them.
 *
 * <p>The result is a decoding model: a new graph of the last model's configuration holding θ̄, the last model's
 * vocabularies and properties without its training state (keys {@code training.*}), plus
 * {@value #AVERAGED_MODELS} = N. No updater state is kept: the optimizer's moments belong to one model's
 * trajectory, not to their average (OpenNMT-py's {@code average_models.py} keeps no optimizer either), so training
 * on from an average starts a fresh run. {@link #averageFiles} reads the checkpoints one at a time, so at most two
 * models are in memory whatever N is.
 *
 * <pre>
 * Seq2SeqModel averaged = CheckpointAverage.averageFiles(List.of(Path.of("a.zip"), Path.of("b.zip")));
 * averaged.save(Path.of("averaged.zip"), false);
 * </pre>
 */
public final class CheckpointAverage {
    /** property of the averaged model: how many models were averaged */
    public static final String AVERAGED_MODELS = "averagedModels";

    private static final String CONTEXT = "CheckpointAverage";

    private final Seq2SeqModel reference;
    private final String referenceName;
    private final INDArray sum;
    private Seq2SeqModel last;
    private int count;

    private CheckpointAverage(Seq2SeqModel first, String firstName) {
        this.reference = first;
        this.referenceName = firstName;
        this.sum = first.graph().params().castTo(DataType.DOUBLE).dup();
        this.last = first;
        this.count = 1;
    }

    /**
     * @param models two or more models of the same architecture and vocabularies (not changed)
     * @return the average model
     * @throws IllegalArgumentException for fewer than two models, or a model that does not match the first (names
     *                                  it, by file when loaded from one, and the first difference)
     */
    public static Seq2SeqModel average(List<Seq2SeqModel> models) {
        requireTwo(models == null ? 0 : models.size(), "models");
        CheckpointAverage average = new CheckpointAverage(models.get(0), ModelCompatibility.name(models.get(0), 0));
        for (int i = 1; i < models.size(); i++) {
            average.add(models.get(i), ModelCompatibility.name(models.get(i), i));
        }
        return average.result();
    }

    /**
     * @param files two or more model files written by {@link Seq2SeqModel#save} (checkpoints or final models)
     * @return the average model (not saved)
     * @throws IllegalArgumentException for fewer than two files, a missing or foreign file, or a model that does
     *                                  not match the first (names the file and the first difference)
     */
    public static Seq2SeqModel averageFiles(List<Path> files) {
        requireTwo(files == null ? 0 : files.size(), "files");
        Seq2SeqModel first = Seq2SeqModel.load(files.get(0), false);
        CheckpointAverage average = new CheckpointAverage(first, ModelCompatibility.name(first, 0));
        for (int i = 1; i < files.size(); i++) {
            Seq2SeqModel model = Seq2SeqModel.load(files.get(i), false);
            average.add(model, ModelCompatibility.name(model, i));
        }
        return average.result();
    }

    /** Adds a model's parameters to the sum, after checking that it matches the first model. */
    private void add(Seq2SeqModel model, String name) {
        ModelCompatibility.requireSameLayout(CONTEXT, reference, referenceName, model, name);
        ModelCompatibility.requireSameInputsAndOutputs(CONTEXT, reference, referenceName, model, name);
        sum.addi(model.graph().params().castTo(DataType.DOUBLE));
        last = model;
        count++;
    }

    /** @return a new model of the last model's configuration, vocabularies and properties holding the mean */
    private Seq2SeqModel result() {
        ComputationGraph template = last.graph();
        INDArray mean = sum.div(count).castTo(template.params().dataType());
        ComputationGraph graph = new ComputationGraph(template.getConfiguration().clone());
        graph.init(mean, false);
        Map<String, String> properties = new LinkedHashMap<>();
        last.properties().forEach((key, value) -> {
            if (!Seq2SeqTrainingState.isStateProperty(key)) {
                properties.put(key, value);
            }
        });
        properties.put(AVERAGED_MODELS, Integer.toString(count));
        return last.withGraph(graph, properties);
    }

    private static void requireTwo(int n, String what) {
        if (n < 2) {
            throw new IllegalArgumentException(CONTEXT + ": needs at least 2 " + what + " to average, got " + n);
        }
    }
}
