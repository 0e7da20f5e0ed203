package org.recurrent4j.seq2seq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link ModelTokenizer} splits new text as the model's training text was split: by the tokenizer property, and
 * lowercased when the model was trained on lowercased text (train --lowercase, or the experiment's 13a-lowercase).
 */
class ModelTokenizerTest {

    @Test
    void aModelTrainedOnLowercasedTextLowercasesItsInput() {
        Seq2SeqModel model = TranslatorFixtures.randomModel(5, 5, false, 1);
        model.setProperty(Seq2SeqModel.TOKENIZER, "13a");
        assertEquals(List.of("The", "Lord", "."), ModelTokenizer.of(model).tokenize("The Lord."));
        model.setProperty(Seq2SeqModel.LOWERCASE, "true");
        assertEquals(List.of("the", "lord", "."), ModelTokenizer.of(model).tokenize("The Lord."));
    }

    @Test
    void theExperimentsTokenizerNameIsAccepted() {
        assertEquals(List.of("the", "lord", "."), ModelTokenizer.byName("13a-lowercase").tokenize("The Lord."));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ModelTokenizer.byName("moses-lowercase"));
        assertTrue(e.getMessage().contains("'moses'") && e.getMessage().contains("-lowercase"), e.getMessage());
    }
}
