package org.recurrent4j.seq2seq;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.recurrent4j.data.subword.BpeModel;
import org.recurrent4j.data.subword.BpeModelFile;
import org.recurrent4j.data.subword.SubwordModels;
import org.recurrent4j.data.vocab.Vocabulary;
import org.recurrent4j.nn.graph.AttentionDecoderGraphVertex;
import org.recurrent4j.nn.graph.TiedEmbeddingDecoderGraphVertex;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;

/**
 * A translation model: the {@link ComputationGraph} built by {@link Seq2SeqBuilder}, its source and target
 * {@link Vocabulary}, whether it reads the source reversed, and free-form text properties (the builder's settings,
 * the tokenizer, training facts such as the longest training source).
 *
 * <p>{@link #save} writes one file: DL4J's {@link ModelSerializer} zip (loadable by plain DL4J) with three extra
 * entries {@code recurrent4j-source-vocabulary.txt}, {@code recurrent4j-target-vocabulary.txt} and
 * {@code recurrent4j-model.properties}, and for a model that reads subwords ({@link #setSubwords}) the two BPE models
 * {@code recurrent4j-source-subwords.vocab} and {@code recurrent4j-target-subwords.vocab} (SentencePiece's
 * {@code .vocab} format, {@link BpeModelFile}) with the property {@value #SUBWORDS}{@code =bpe}; it is written atomically (a temporary file in the same directory, then a
 * rename), so a crash leaves either the old file or the new one.
 */
public final class Seq2SeqModel {
    /** property: the tokenizer name the model was trained with (e.g. "13a", "whitespace") */
    public static final String TOKENIZER = "tokenizer";
    /** property: "true" when the model was trained on lowercased text (its tokenizer then lowercases first) */
    public static final String LOWERCASE = "train.lowercase";
    /** property: the longest source (in tokens) seen in training */
    public static final String MAX_TRAINING_SOURCE_LENGTH = "maxTrainingSourceLength";
    /** property: "bpe" when the model reads and writes BPE pieces ({@link #subwords()}) */
    public static final String SUBWORDS = "subwords";

    // flat names: DL4J's ModelSerializer refuses zips with directory entries
    private static final String SOURCE_VOCABULARY = "recurrent4j-source-vocabulary.txt";
    private static final String TARGET_VOCABULARY = "recurrent4j-target-vocabulary.txt";
    private static final String PROPERTIES = "recurrent4j-model.properties";
    private static final String SOURCE_SUBWORDS = "recurrent4j-source-subwords.vocab";
    private static final String TARGET_SUBWORDS = "recurrent4j-target-subwords.vocab";
    private static final String BPE = "bpe";
    private static final String REVERSE_SOURCE = "reverseSource";

    private final ComputationGraph graph;
    private final Vocabulary sourceVocabulary;
    private final Vocabulary targetVocabulary;
    private final boolean reverseSource;
    private final Map<String, String> properties;
    /** the file {@link #load} read it from; null for a model made in memory */
    private Path file;
    /** the BPE models of both sides; null for a model that reads words */
    private SubwordModels subwords;

    /**
     * @param graph      a graph with the layout of {@link Seq2SeqBuilder} (checked: names and vocabulary sizes)
     * @param properties free-form text properties, copied
     */
    public Seq2SeqModel(ComputationGraph graph, Vocabulary sourceVocabulary, Vocabulary targetVocabulary,
                        boolean reverseSource, Map<String, String> properties) {
        this.graph = graph;
        this.sourceVocabulary = sourceVocabulary;
        this.targetVocabulary = targetVocabulary;
        this.reverseSource = reverseSource;
        this.properties = new LinkedHashMap<>(properties);
        this.properties.put(REVERSE_SOURCE, Boolean.toString(reverseSource));
        checkLayout();
    }

    /** @return the graph (training and decoding use the same one) */
    public ComputationGraph graph() { return graph; }
    /** @return the source vocabulary (ids of the SOURCE input) */
    /**
     * @return the number of parameters, the decoder vertex's included (DL4J's {@code numParams()} counts layers only)
     */
    public long parameterCount() { return graph.params().length(); }

    public Vocabulary sourceVocabulary() { return sourceVocabulary; }
    /** @return the target vocabulary (ids of TARGET_IN and of the softmax) */
    public Vocabulary targetVocabulary() { return targetVocabulary; }
    /** @return whether source ids are fed reversed */
    public boolean reverseSource() { return reverseSource; }
    /** @return the decoder vertex (step-wise decoding API) */
    public AttentionDecoderGraphVertex decoder() {
        return (AttentionDecoderGraphVertex) graph.getVertex(Seq2SeqBuilder.DECODER);
    }
    /** @return an unmodifiable view of the properties */
    public Map<String, String> properties() { return Collections.unmodifiableMap(properties); }
    /** @return the property, or null */
    public String property(String key) { return properties.get(key); }
    /** @return the file the model was loaded from ({@link #load}), or null for a model made in memory */
    public Path file() { return file; }
    /** Sets a text property (saved with the model). */
    public void setProperty(String key, String value) { properties.put(key, value); }
    /** @return the BPE models of both sides, or null when the model reads and writes words */
    public SubwordModels subwords() { return subwords; }

    /**
     * Makes the model read and write BPE pieces (saved with the model).
     *
     * @throws IllegalArgumentException unless each vocabulary is exactly its model's pieces
     */
    public void setSubwords(SubwordModels models) {
        requireVocabulary("source", sourceVocabulary, models.source());
        requireVocabulary("target", targetVocabulary, models.target());
        this.subwords = models;
        properties.put(SUBWORDS, BPE);
    }

    /** @return a model on {@code graph} with this one's vocabularies, source order, subwords and given properties */
    public Seq2SeqModel withGraph(ComputationGraph graph, Map<String, String> properties) {
        Seq2SeqModel copy = new Seq2SeqModel(graph, sourceVocabulary, targetVocabulary, reverseSource, properties);
        if (subwords != null) {
            copy.setSubwords(subwords);
        }
        return copy;
    }

    private static void requireVocabulary(String side, Vocabulary vocabulary, BpeModel model) {
        if (!vocabulary.equals(model.vocabulary())) {
            throw new IllegalArgumentException("Seq2SeqModel: the " + side + " vocabulary (" + vocabulary.size()
                    + " tokens) is not the " + side + " BPE model's pieces (" + model.vocabulary().size()
                    + " tokens with the specials)");
        }
    }

    /** Writes the model (with updater state, so training can resume) atomically to {@code file}. */
    public void save(Path file) {
        save(file, true);
    }

    /** Writes the model atomically to {@code file}; {@code saveUpdater} false writes a smaller, decoding-only file. */
    public void save(Path file, boolean saveUpdater) {
        Path target = file.toAbsolutePath();
        Path tmp = target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            Files.createDirectories(target.getParent());
            ModelSerializer.writeModel(graph, tmp.toFile(), saveUpdater);
            try (FileSystem zip = FileSystems.newFileSystem(URI.create("jar:" + tmp.toUri()), Map.of())) {
                Files.write(zip.getPath(SOURCE_VOCABULARY), sourceVocabulary.tokens(), StandardCharsets.UTF_8);
                Files.write(zip.getPath(TARGET_VOCABULARY), targetVocabulary.tokens(), StandardCharsets.UTF_8);
                if (subwords != null) {
                    Files.write(zip.getPath(SOURCE_SUBWORDS), BpeModelFile.lines(subwords.source()), StandardCharsets.UTF_8);
                    Files.write(zip.getPath(TARGET_SUBWORDS), BpeModelFile.lines(subwords.target()), StandardCharsets.UTF_8);
                }
                Properties p = new Properties();
                p.putAll(properties);
                try (OutputStream out = Files.newOutputStream(zip.getPath(PROPERTIES))) {
                    p.store(out, "recurrent4j Seq2SeqModel");
                }
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Seq2SeqModel: cannot write " + target, e);
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the original error, if any, is the one to report
            }
        }
    }

    /**
     * Loads a model written by {@link #save}.
     *
     * @param loadUpdater whether to restore the updater state (to continue training)
     * @throws IllegalArgumentException if the file is not a Recurrent4j model (names the missing entry)
     */
    public static Seq2SeqModel load(Path file, boolean loadUpdater) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("Seq2SeqModel.load: no model file at " + file.toAbsolutePath());
        }
        try (FileSystem zip = FileSystems.newFileSystem(file, Map.of())) {
            Vocabulary source = Vocabulary.load(entry(zip, file, SOURCE_VOCABULARY));
            Vocabulary target = Vocabulary.load(entry(zip, file, TARGET_VOCABULARY));
            Properties p = new Properties();
            try (InputStream in = Files.newInputStream(entry(zip, file, PROPERTIES))) {
                p.load(in);
            }
            Map<String, String> properties = new LinkedHashMap<>();
            for (String key : new TreeMap<>(p).keySet().stream().map(Object::toString).toList()) {
                properties.put(key, p.getProperty(key));
            }
            ComputationGraph graph = ModelSerializer.restoreComputationGraph(file.toFile(), loadUpdater);
            Seq2SeqModel model = new Seq2SeqModel(graph, source, target,
                    Boolean.parseBoolean(properties.get(REVERSE_SOURCE)), properties);
            if (BPE.equals(properties.get(SUBWORDS))) {
                model.setSubwords(new SubwordModels(subwordEntry(zip, file, SOURCE_SUBWORDS),
                        subwordEntry(zip, file, TARGET_SUBWORDS)));
            }
            model.file = file;
            return model;
        } catch (IOException e) {
            throw new UncheckedIOException("Seq2SeqModel: cannot read " + file.toAbsolutePath(), e);
        }
    }

    private static Path entry(FileSystem zip, Path file, String name) throws NoSuchFileException {
        Path p = zip.getPath(name);
        if (!Files.exists(p)) {
            throw new IllegalArgumentException("Seq2SeqModel.load: " + file.toAbsolutePath()
                    + " is not a Recurrent4j translation model (no entry " + name + "); a plain DL4J model? "
                    + "Load it with ModelSerializer and wrap it with new Seq2SeqModel(graph, vocabularies, ...)");
        }
        return p;
    }

    /** @return whether the decoder owns one matrix for the target embeddings and the output weights */
    public boolean tiedTargetEmbeddings() {
        return graph.getVertex(Seq2SeqBuilder.DECODER) instanceof TiedEmbeddingDecoderGraphVertex;
    }

    private static BpeModel subwordEntry(FileSystem zip, Path file, String name) {
        Path p = zip.getPath(name);
        if (!Files.exists(p)) {
            throw new IllegalArgumentException("Seq2SeqModel.load: " + file.toAbsolutePath() + " says it reads "
                    + "subwords (property " + SUBWORDS + "=" + BPE + ") but has no entry " + name
                    + "; expected both BPE models beside the vocabularies");
        }
        return BpeModelFile.read(p);
    }

    private void checkLayout() {
        boolean tied = graph.getVertex(Seq2SeqBuilder.DECODER) instanceof TiedEmbeddingDecoderGraphVertex;
        String[] names = tied
                ? new String[] {Seq2SeqBuilder.SOURCE_EMBEDDING, Seq2SeqBuilder.ENCODER, Seq2SeqBuilder.DECODER,
                        Seq2SeqBuilder.OUTPUT}
                : new String[] {Seq2SeqBuilder.SOURCE_EMBEDDING, Seq2SeqBuilder.TARGET_EMBEDDING,
                        Seq2SeqBuilder.ENCODER, Seq2SeqBuilder.DECODER, Seq2SeqBuilder.OUTPUT};
        for (String name : names) {
            if (graph.getVertex(name) == null) {
                throw new IllegalArgumentException("Seq2SeqModel: the graph has no vertex '" + name
                        + "'; expected the layout of Seq2SeqBuilder");
            }
        }
        if (!(graph.getVertex(Seq2SeqBuilder.DECODER) instanceof AttentionDecoderGraphVertex)) {
            throw new IllegalArgumentException("Seq2SeqModel: vertex '" + Seq2SeqBuilder.DECODER
                    + "' must be an AttentionDecoderVertex, got " + graph.getVertex(Seq2SeqBuilder.DECODER).getClass());
        }
        checkVocabulary("source", "the embedding layer '" + Seq2SeqBuilder.SOURCE_EMBEDDING + "'",
                graph.getLayer(Seq2SeqBuilder.SOURCE_EMBEDDING).getParam("W"), sourceVocabulary);
        if (tied) {
            checkVocabulary("target", "the tied embeddings E of '" + Seq2SeqBuilder.DECODER + "'",
                    ((TiedEmbeddingDecoderGraphVertex) graph.getVertex(Seq2SeqBuilder.DECODER)).embeddings(),
                    targetVocabulary);
            return;
        }
        checkVocabulary("target", "the embedding layer '" + Seq2SeqBuilder.TARGET_EMBEDDING + "'",
                graph.getLayer(Seq2SeqBuilder.TARGET_EMBEDDING).getParam("W"), targetVocabulary);
        long outputs = graph.getLayer(Seq2SeqBuilder.OUTPUT).getParam("W").size(1);
        if (outputs != targetVocabulary.size()) {
            throw new IllegalArgumentException("Seq2SeqModel: the target vocabulary has " + targetVocabulary.size()
                    + " words but the output layer '" + Seq2SeqBuilder.OUTPUT + "' has " + outputs + " classes");
        }
    }

    /** @param embeddings [V, e] the embedding matrix of one side, described by {@code owner} */
    private void checkVocabulary(String side, String owner, org.nd4j.linalg.api.ndarray.INDArray embeddings,
                                 Vocabulary vocabulary) {
        long rows = embeddings.size(0);
        if (rows != vocabulary.size()) {
            throw new IllegalArgumentException("Seq2SeqModel: the " + side + " vocabulary has " + vocabulary.size()
                    + " words but " + owner + " has " + rows + " rows");
        }
    }
}
