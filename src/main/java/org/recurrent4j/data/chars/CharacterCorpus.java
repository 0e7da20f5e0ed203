package org.recurrent4j.data.chars;

import org.recurrent4j.data.DataFileException;
import org.recurrent4j.data.io.TextFiles;
import org.recurrent4j.data.vocab.CharacterVocabulary;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A text file as character ids for language modelling, split into a training part (the first
 * {@code 1 - validationFraction} of its code points) and a validation part (the rest), as char-rnn does.
 * The vocabulary holds every character of the whole file, so validation text never has unknown characters.
 *
 * @param vocabulary  characters of the whole text
 * @param train       ids of the training part
 * @param validation  ids of the validation part
 */
public record CharacterCorpus(CharacterVocabulary vocabulary, int[] train, int[] validation) {

    /**
     * Reads {@code file} (strict UTF-8, plain or {@code .gz}) and splits it.
     *
     * @param validationFraction share of code points for validation, in [0, 1)
     * @throws DataFileException if the file is missing, not UTF-8, or too short to give both parts 2 characters
     */
    public static CharacterCorpus load(Path file, double validationFraction) {
        if (!(validationFraction >= 0 && validationFraction < 1)) {
            throw new IllegalArgumentException("CharacterCorpus: validationFraction must be in [0, 1), got "
                    + validationFraction);
        }
        String text;
        try (BufferedReader r = TextFiles.openReader("CharacterCorpus", file)) {
            StringBuilder sb = new StringBuilder();
            char[] buf = new char[1 << 16];
            int n;
            while ((n = r.read(buf)) > 0) {
                sb.append(buf, 0, n);
            }
            text = sb.toString();
        } catch (IOException e) {
            throw new DataFileException("CharacterCorpus", file, 0, "cannot read as UTF-8: " + e, e);
        }
        CharacterVocabulary vocabulary = CharacterVocabulary.of(text);
        int[] ids = vocabulary.encode(text);
        int cut = (int) Math.round(ids.length * (1 - validationFraction));
        if (cut < 2 || (validationFraction > 0 && ids.length - cut < 2)) {
            throw new DataFileException("CharacterCorpus", file, 0, "has " + ids.length
                    + " characters; too few for a split with validation fraction " + validationFraction);
        }
        return new CharacterCorpus(vocabulary, Arrays.copyOf(ids, cut), Arrays.copyOfRange(ids, cut, ids.length));
    }
}
