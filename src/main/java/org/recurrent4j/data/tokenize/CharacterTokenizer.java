package org.recurrent4j.data.tokenize;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits text into its Unicode code points, one token each (a surrogate pair is one token). White space is
 * kept as tokens, so that the text can be rebuilt by concatenation.
 */
public final class CharacterTokenizer implements Tokenizer {

    @Override
    public List<String> tokenize(String text) {
        List<String> out = new ArrayList<>(text.length());
        text.codePoints().forEach(cp -> out.add(new String(Character.toChars(cp))));
        return out;
    }
}
