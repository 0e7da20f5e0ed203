package org.recurrent4j.cli;

import java.util.List;
import java.util.Locale;
import org.nd4j.linalg.learning.config.AdaDelta;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.recurrent4j.conf.graph.AttentionDecoderVertex.Attention;
import org.recurrent4j.data.parallel.Seq2SeqEncoder;
import org.recurrent4j.data.parallel.SentencePair;
import org.recurrent4j.data.subword.BpeTrainer;
import org.recurrent4j.data.subword.SubwordModels;
import org.recurrent4j.data.tokenize.CharacterTokenizer;
import org.recurrent4j.data.tokenize.LowercasingTokenizer;
import org.recurrent4j.data.tokenize.Tokenizer;
import org.recurrent4j.data.tokenize.Tokenizer13a;
import org.recurrent4j.data.tokenize.WhitespaceTokenizer;
import org.recurrent4j.data.vocab.Vocabulary;
import org.recurrent4j.seq2seq.ModelTokenizer;
import org.recurrent4j.seq2seq.Seq2SeqBuilder;
import org.recurrent4j.seq2seq.Seq2SeqModel;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The options that decide a translation model and how its text becomes ids: tokenizer, lengths, vocabularies,
 * architecture, optimiser. Shared by the commands that train one ({@code train}, and {@code SparkTrainCommand} of
 * the {@code spark} profile); include it with {@code @Mixin}.
 */
final class Seq2SeqModelOptions {
    private static final String P = "train.";
    private static final List<String> TOKENIZERS = List.of("whitespace", "13a", "char");

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    // ---- data
    @Option(names = "--tokenizer", description = "whitespace, 13a (sacreBLEU's) or char (default: ${DEFAULT-VALUE})",
            defaultValue = "whitespace")
    String tokenizer;

    @Option(names = "--lowercase", description = "lowercase both sides")
    boolean lowercase;

    @Option(names = "--max-length", description = "drop training pairs with a side longer than this many tokens "
            + "(paper: 30 or 50; default: ${DEFAULT-VALUE})", defaultValue = "50")
    int maxLength;

    @Option(names = "--vocab", description = "words kept per language, the rest become <unk> (paper: 30000; "
            + "default: ${DEFAULT-VALUE})", defaultValue = "30000")
    int vocab;

    @Option(names = "--source-vocab", description = "words kept in the source language (default: --vocab)")
    Integer sourceVocab;

    @Option(names = "--target-vocab", description = "words kept in the target language (default: --vocab)")
    Integer targetVocab;

    @Option(names = "--subwords", paramLabel = "N", description = "BPE subwords instead of the word shortlist: a "
            + "model of N pieces per language (SentencePiece's --vocab_size; exactly spm_train --model_type=bpe with "
            + "the settings of BpeTrainer) is learned from each side of the training split after --tokenizer, stored "
            + "in the model, and the vocabularies are its pieces; --max-length then counts pieces "
            + "(default: 0 = words)", defaultValue = "0")
    int subwords;

    @Option(names = "--reverse-source", description = "feed the source reversed (Sutskever et al. 2014)")
    boolean reverseSource;

    // ---- model
    @Option(names = "--preset", description = "rnnsearch (attention), rnnenc (fixed context), luong-dot, "
            + "luong-general or luong-concat (default: ${DEFAULT-VALUE})", defaultValue = "rnnsearch")
    String preset;

    @Option(names = "--embedding", description = "word-embedding size (paper: 620; default: ${DEFAULT-VALUE})",
            defaultValue = "620")
    long embedding;

    @Option(names = "--encoder", description = "GRU units per encoder direction (paper: 1000; default: ${DEFAULT-VALUE})",
            defaultValue = "1000")
    long encoder;

    @Option(names = "--encoder-layers", description = "stacked bidirectional encoder layers (default: ${DEFAULT-VALUE})",
            defaultValue = "1")
    int encoderLayers;

    @Option(names = "--decoder", description = "decoder GRU units (paper: 1000; default: ${DEFAULT-VALUE})",
            defaultValue = "1000")
    long decoder;

    @Option(names = "--maxout", description = "deep-output maxout units, 0 = none (paper: 500; Luong presets use 0; "
            + "default: ${DEFAULT-VALUE})", defaultValue = "500")
    long maxout;

    @Option(names = "--attention-size", description = "hidden size of additive attention (paper: 1000; "
            + "default: ${DEFAULT-VALUE})", defaultValue = "1000")
    long attentionSize;

    @Option(names = "--dropout", description = "drop probability on embeddings, between encoder layers and before the "
            + "softmax (default: ${DEFAULT-VALUE})", defaultValue = "0")
    double dropout;

    @Option(names = "--label-smoothing", paramLabel = "EPS", description = "label smoothing of the loss: targets "
            + "(1 - EPS) one-hot + EPS / V, as PyTorch's label_smoothing; 0 = none (default: ${DEFAULT-VALUE})",
            defaultValue = "0")
    double labelSmoothing;

    @Option(names = "--tie-target-embeddings", description = "one matrix for the target embeddings and the output "
            + "weights (Press & Wolf 2017; OpenNMT-py -share_decoder_embeddings): needs the decoder's output size "
            + "(--maxout, or --decoder with --maxout 0) equal to --embedding; not with --dropout")
    boolean tieTargetEmbeddings;

    // ---- optimisation
    @Option(names = "--optimizer", description = "adadelta (the paper's: rho 0.95, eps 1e-6) or adam "
            + "(default: ${DEFAULT-VALUE})", defaultValue = "adadelta")
    String optimizer;

    @Option(names = "--lr", description = "Adam's learning rate (default: ${DEFAULT-VALUE})", defaultValue = "0.001")
    double learningRate;

    /** @return words kept in the source vocabulary */
    int sourceWords() {
        return sourceVocab == null ? vocab : sourceVocab;
    }

    /** @return words kept in the target vocabulary */
    int targetWords() {
        return targetVocab == null ? vocab : targetVocab;
    }

    /** @return the builder of the chosen preset, sizes and optimiser, seeded with {@code seed} */
    Seq2SeqBuilder builder(long seed) {
        Seq2SeqBuilder b = switch (preset.toLowerCase(Locale.ROOT)) {
            case "rnnsearch" -> Seq2SeqBuilder.rnnSearch().maxoutSize(maxout);
            case "rnnenc" -> Seq2SeqBuilder.rnnEnc().maxoutSize(maxout);
            case "luong-dot" -> Seq2SeqBuilder.luong(Attention.LUONG_DOT);
            case "luong-general" -> Seq2SeqBuilder.luong(Attention.LUONG_GENERAL);
            case "luong-concat" -> Seq2SeqBuilder.luong(Attention.LUONG_CONCAT);
            default -> throw refuse("--preset must be rnnsearch, rnnenc, luong-dot, luong-general or luong-concat, "
                    + "got '" + preset + "'");
        };
        IUpdater updater = switch (optimizer.toLowerCase(Locale.ROOT)) {
            case "adadelta" -> new AdaDelta.Builder().rho(0.95).epsilon(1e-6).build();
            case "adam" -> new Adam(learningRate);
            default -> throw refuse("--optimizer must be adadelta or adam, got '" + optimizer + "'");
        };
        return b.embeddingSize(embedding).encoderSize(encoder).encoderLayers(encoderLayers).decoderSize(decoder)
                .attentionSize(attentionSize).dropout(dropout).labelSmoothing(labelSmoothing).reverseSource(reverseSource)
                .tieTargetEmbeddings(tieTargetEmbeddings).updater(updater).seed(seed);
    }

    /** @return the tokenizer of {@code --tokenizer} and {@code --lowercase} (checked) */
    Tokenizer tokenizer() {
        if (!TOKENIZERS.contains(tokenizer.toLowerCase(Locale.ROOT))) {
            throw refuse("--tokenizer must be whitespace, 13a or char, got '" + tokenizer + "'");
        }
        return tokenizer(tokenizer, lowercase);
    }

    /** @return the tokenizer named {@code name} (whitespace, 13a, char), lowercasing if asked */
    static Tokenizer tokenizer(String name, boolean lowercase) {
        Tokenizer base = switch (name.toLowerCase(Locale.ROOT)) {
            case "whitespace" -> new WhitespaceTokenizer();
            case "13a" -> new Tokenizer13a();
            case "char" -> new CharacterTokenizer();
            default -> throw new IllegalArgumentException("unknown tokenizer '" + name + "': whitespace, 13a or char");
        };
        return lowercase ? new LowercasingTokenizer(base) : base;
    }

    /**
     * @return a new model for the training text: vocabularies of the most frequent words, or with {@code --subwords}
     *     of the BPE pieces learned from each side (kept in the model)
     */
    Seq2SeqModel newModel(List<SentencePair> trainText, long seed) {
        Tokenizer tok = tokenizer();
        List<List<String>> sources = trainText.stream().map(p -> tok.tokenize(p.source())).toList();
        List<List<String>> targets = trainText.stream().map(p -> tok.tokenize(p.target())).toList();
        if (subwords == 0) {
            return builder(seed).build(Vocabulary.build(sources, sourceWords(), 1),
                    Vocabulary.build(targets, targetWords(), 1));
        }
        if (subwords < 0 || sourceVocab != null || targetVocab != null) {
            throw refuse("--subwords must be >= 0 and replaces --source-vocab/--target-vocab; got --subwords "
                    + subwords + (sourceVocab != null || targetVocab != null ? " with a word vocabulary size" : ""));
        }
        BpeTrainer bpe = new BpeTrainer(subwords);
        SubwordModels models = new SubwordModels(bpe.train(sources.stream().map(t -> String.join(" ", t)).toList()),
                bpe.train(targets.stream().map(t -> String.join(" ", t)).toList()));
        Seq2SeqModel m = builder(seed).build(models.source().vocabulary(), models.target().vocabulary());
        m.setSubwords(models);
        return m;
    }

    /** @return the tokenizer of the model's source side: {@code --tokenizer}, then its BPE pieces if it has them */
    Tokenizer sourceTokenizer(Seq2SeqModel model) {
        return ModelTokenizer.source(model, tokenizer());
    }

    /** @return the tokenizer of the model's target side: {@code --tokenizer}, then its BPE pieces if it has them */
    Tokenizer targetTokenizer(Seq2SeqModel model) {
        return ModelTokenizer.target(model, tokenizer());
    }

    /** @return the encoder of {@code model}'s vocabularies with its tokenizers, and the length limit if asked */
    Seq2SeqEncoder encoder(Seq2SeqModel model, boolean limitLength) {
        Seq2SeqEncoder.Builder b = Seq2SeqEncoder.builder().sourceTokenizer(sourceTokenizer(model))
                .targetTokenizer(targetTokenizer(model)).sourceVocabulary(model.sourceVocabulary())
                .targetVocabulary(model.targetVocabulary()).reverseSource(model.reverseSource());
        return (limitLength ? b.maxLength(maxLength) : b).build();
    }

    /** Keeps the tokenizer and the length limit in the model (read back by {@link #restore}). */
    void store(Seq2SeqModel model) {
        model.setProperty(Seq2SeqModel.TOKENIZER, tokenizer.toLowerCase(Locale.ROOT));
        model.setProperty(Seq2SeqModel.LOWERCASE, Boolean.toString(lowercase));
        model.setProperty(P + "maxLength", Integer.toString(maxLength));
    }

    /** Takes the tokenizer and the length limit from a model written with {@link #store}. */
    void restore(Seq2SeqModel model) {
        tokenizer = model.property(Seq2SeqModel.TOKENIZER);
        lowercase = Boolean.parseBoolean(model.property(Seq2SeqModel.LOWERCASE));
        maxLength = Integer.parseInt(model.property(P + "maxLength"));
    }

    private ParameterException refuse(String message) {
        return new ParameterException(mixee.commandLine(), mixee.name() + ": " + message);
    }
}
