package org.recurrent4j.lm;

import java.io.File;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.recurrent4j.data.io.TextFiles;
import org.recurrent4j.data.vocab.CharacterVocabulary;

/**
 * A char-rnn checkpoint in a directory, everything needed to sample and to resume exactly:
 * <ul>
 *   <li>{@code model.zip}: the network (configuration, parameters, Adam's state, iteration and epoch counts) by
 *       {@link ModelSerializer}, with two extra entries: the training state (settings and {@link TrainingProgress})
 *       and the recurrent state carried into the next minibatch (every stream's hidden state, per layer);</li>
 *   <li>{@code vocabulary.txt}: the {@link CharacterVocabulary};</li>
 *   <li>{@code training-state.properties}: a human-readable copy of the training state.</li>
 * </ul>
 * Each file is written atomically; the model file alone holds all that resuming needs besides the vocabulary.
 *
 * @param net        the network
 * @param vocabulary its characters
 * @param settings   the run's settings
 * @param progress   position in the training stream
 * @param carried    recurrent state per layer (key → [streams, n]) carried into the next minibatch; empty at epoch start
 */
public record CharRnnCheckpoint(MultiLayerNetwork net, CharacterVocabulary vocabulary, CharRnnSettings settings,
                                TrainingProgress progress, List<Map<String, INDArray>> carried) {

    /** File name of the model inside a checkpoint directory. */
    public static final String MODEL = "model.zip";
    /** File name of the vocabulary. */
    public static final String VOCABULARY = "vocabulary.txt";
    /** File name of the readable training state. */
    public static final String STATE = "training-state.properties";
    private static final String STATE_ENTRY = "charrnn-training-state";
    private static final String CARRIED_ENTRY = "charrnn-carried-state";

    /** Writes the checkpoint into {@code dir} (created if needed). */
    public void save(Path dir) {
        try {
            Files.createDirectories(dir);
            Properties p = settings.toProperties();
            progress.writeTo(p);
            StringWriter text = new StringWriter();
            p.store(text, "char-rnn training state");
            Path tmp = Files.createTempFile(dir, ".model", ".zip.tmp");
            try {
                ModelSerializer.writeModel(net, tmp.toFile(), true);
                ModelSerializer.addObjectToFile(tmp.toFile(), STATE_ENTRY, text.toString());
                ModelSerializer.addObjectToFile(tmp.toFile(), CARRIED_ENTRY, toSerializable(carried));
                TextFiles.writeAtomically(dir.resolve(MODEL), os -> Files.copy(tmp, os));
            } finally {
                Files.deleteIfExists(tmp);
            }
            vocabulary.save(dir.resolve(VOCABULARY));
            TextFiles.writeAtomically(dir.resolve(STATE), os -> os.write(text.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException("CharRnnCheckpoint: cannot write " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads a checkpoint written by {@link #save}.
     *
     * @throws IllegalArgumentException if {@code dir} lacks the model or vocabulary file, or they do not fit together
     */
    public static CharRnnCheckpoint load(Path dir) {
        File model = dir.resolve(MODEL).toFile();
        Path vocabularyFile = dir.resolve(VOCABULARY);
        if (!model.isFile() || !Files.isRegularFile(vocabularyFile)) {
            throw new IllegalArgumentException("CharRnnCheckpoint: " + dir + " must hold " + MODEL + " and " + VOCABULARY
                    + " (written by char-rnn train)");
        }
        try {
            MultiLayerNetwork net = ModelSerializer.restoreMultiLayerNetwork(model, true);
            CharacterVocabulary vocabulary = CharacterVocabulary.load(vocabularyFile);
            long nIn = net.layerInputSize(0);
            if (nIn != vocabulary.size()) {
                throw new IllegalArgumentException("CharRnnCheckpoint: the model in " + dir + " takes " + nIn
                        + " input characters but " + VOCABULARY + " has " + vocabulary.size());
            }
            Properties p = new Properties();
            p.load(new StringReader(ModelSerializer.<String>getObjectFromFile(model, STATE_ENTRY)));
            ArrayList<HashMap<String, double[][]>> carried = ModelSerializer.getObjectFromFile(model, CARRIED_ENTRY);
            CharRnnSettings settings = CharRnnSettings.fromProperties(p);
            return new CharRnnCheckpoint(net, vocabulary, settings, TrainingProgress.readFrom(p),
                    fromSerializable(carried, settings));
        } catch (IOException e) {
            throw new UncheckedIOException("CharRnnCheckpoint: cannot read " + model + ": " + e.getMessage(), e);
        }
    }

    private static ArrayList<HashMap<String, double[][]>> toSerializable(List<Map<String, INDArray>> state) {
        ArrayList<HashMap<String, double[][]>> out = new ArrayList<>();
        for (Map<String, INDArray> layer : state) {
            HashMap<String, double[][]> m = new HashMap<>();
            layer.forEach((k, v) -> m.put(k, v.toDoubleMatrix()));   // [mb, n]; float → double is exact
            out.add(m);
        }
        return out;
    }

    private static List<Map<String, INDArray>> fromSerializable(List<HashMap<String, double[][]>> state,
                                                                CharRnnSettings settings) {
        List<Map<String, INDArray>> out = new ArrayList<>();
        for (Map<String, double[][]> layer : state) {
            Map<String, INDArray> m = new HashMap<>();
            layer.forEach((k, v) -> m.put(k, Nd4j.createFromArray(v).castTo(settings.dataType())));   // [mb, n]
            out.add(m);
        }
        return out;
    }
}
