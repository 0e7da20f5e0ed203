package org.recurrent4j.seq2seq;

import java.util.List;
import org.recurrent4j.data.subword.BpeModel;
import org.recurrent4j.data.subword.SubwordTokenizer;
import org.recurrent4j.data.tokenize.LowercasingTokenizer;
import org.recurrent4j.data.tokenize.SacreBleuCharTokenizer;
import org.recurrent4j.data.tokenize.Tokenizer;
import org.recurrent4j.data.tokenize.Tokenizer13a;
import org.recurrent4j.data.tokenize.WhitespaceTokenizer;

/**
 * The tokenizer a {@link Seq2SeqModel} was trained with, by the name in its {@link Seq2SeqModel#TOKENIZER} property
 * (whitespace when the property is absent), so that new text is split into the words the vocabularies hold.
 */
public final class ModelTokenizer {
    /** the accepted names */
    public static final List<String> NAMES = List.of(Tokenizer13a.SIGNATURE, "whitespace", WhitespaceTokenizer.SIGNATURE,
            SacreBleuCharTokenizer.SIGNATURE);

    private static final String LOWERCASE_SUFFIX = "-lowercase";

    private ModelTokenizer() {
    }

    /**
     * @return the tokenizer named by the model's property (whitespace splitting when it has none), lowercasing when
     *     the model was trained on lowercased text ({@link Seq2SeqModel#LOWERCASE})
     */
    public static Tokenizer of(Seq2SeqModel model) {
        String name = model.property(Seq2SeqModel.TOKENIZER);
        Tokenizer t = name == null ? new WhitespaceTokenizer() : byName(name);
        boolean lowercase = Boolean.parseBoolean(model.property(Seq2SeqModel.LOWERCASE));
        return lowercase && !(t instanceof LowercasingTokenizer) ? new LowercasingTokenizer(t) : t;
    }

    /**
     * @return {@code words} followed by the model's source BPE model when it reads subwords
     *         ({@link Seq2SeqModel#subwords()}), else {@code words} itself
     */
    public static Tokenizer source(Seq2SeqModel model, Tokenizer words) {
        return model.subwords() == null ? words : new SubwordTokenizer(words, model.subwords().source());
    }

    /**
     * @return {@code words} followed by the model's target BPE model when it reads subwords, else {@code words} itself
     */
    public static Tokenizer target(Seq2SeqModel model, Tokenizer words) {
        return model.subwords() == null ? words : new SubwordTokenizer(words, model.subwords().target());
    }

    /** @return the words of a translation: its pieces joined at "▁" when the model writes subwords, else its tokens */
    public static List<String> words(Seq2SeqModel model, List<String> translation) {
        return model.subwords() == null ? translation : BpeModel.join(translation);
    }

    /**
     * @param name {@code 13a} (sacreBLEU's default), {@code whitespace} or {@code none} (split at whitespace only),
     *             {@code char} (characters); any of them followed by {@code -lowercase} lowercases first (the
     *             experiment's models are {@code 13a-lowercase})
     * @throws IllegalArgumentException for another name, listing the accepted ones
     */
    public static Tokenizer byName(String name) {
        String n = name.trim();
        if (n.endsWith(LOWERCASE_SUFFIX)) {
            return new LowercasingTokenizer(byName(n.substring(0, n.length() - LOWERCASE_SUFFIX.length())));
        }
        return switch (n) {
            case Tokenizer13a.SIGNATURE -> new Tokenizer13a();
            case "whitespace", WhitespaceTokenizer.SIGNATURE -> new WhitespaceTokenizer();
            case SacreBleuCharTokenizer.SIGNATURE -> new SacreBleuCharTokenizer();
            default -> throw new IllegalArgumentException("ModelTokenizer: unknown tokenizer '" + name + "'; expected one of "
                    + NAMES + ", optionally followed by " + LOWERCASE_SUFFIX);
        };
    }
}
