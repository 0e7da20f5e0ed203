package org.recurrent4j.data.tokenize;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The {@code 13a} tokenizer of sacreBLEU 2.x ({@code tokenizers/tokenizer_13a.py} with the rules of
 * {@code tokenizers/tokenizer_re.py}), itself equivalent to Moses' {@code mteval-v13a.pl}, used by WMT.
 *
 * <p>Steps, in sacreBLEU's order:
 * <ol>
 *   <li>remove {@code <skipped>}; join {@code -\n} (remove it); every remaining {@code \n} becomes a space;</li>
 *   <li>if the line contains {@code &}: unescape {@code &quot;}, {@code &amp;}, {@code &lt;}, {@code &gt;}, one
 *       after the other in that order (so {@code &amp;quot;} ends as {@code &quot;});</li>
 *   <li>pad the line with one space on each side, then apply four regular-expression rules:
 *       split off the ASCII characters U+0020..U+0026, U+0028..U+002B, U+002F, U+003A..U+0040,
 *       U+005B..U+0060 and U+007B..U+007E (space, most punctuation and symbols, but not the apostrophe, the
 *       comma, the dash and the period);
 *       split off a period or comma not preceded by a digit; split off a period or comma not followed by a
 *       digit; split off a dash preceded by a digit;</li>
 *   <li>split on (Python) whitespace.</li>
 * </ol>
 * The apostrophe and the dash between letters are not split. {@link #normalize(String)} gives the tokenized
 * line as sacreBLEU returns it (tokens joined by single spaces). Stateless and thread-safe.
 *
 * <p>Note: sacreBLEU's BLEU right-strips a segment ({@code str.rstrip()}) before calling this tokenizer; this
 * class does not, as sacreBLEU's tokenizer does not (the difference shows only for a line ending in
 * {@code -\n}).
 */
public final class Tokenizer13a implements Tokenizer {

    /** The name of this tokenizer in a sacreBLEU signature ({@code tok:13a}). */
    public static final String SIGNATURE = "13a";

    /** One substitution of {@code tokenizer_re.py}: every match of {@code pattern} becomes {@code replacement}. */
    private record Rule(Pattern pattern, String replacement) {
        String apply(String line) {
            return pattern.matcher(line).replaceAll(replacement);
        }
    }

    /** sacreBLEU's {@code TokenizerRegexp} rules, the same code points as its Python character classes. */
    private static final List<Rule> RULES = List.of(
            // language-dependent part (assuming Western languages): [{-~ [-` space-& (-+ :-@ /]
            new Rule(Pattern.compile("([\\x{7B}-\\x{7E}\\x{5B}-\\x{60}\\x{20}-\\x{26}\\x{28}-\\x{2B}\\x{3A}-\\x{40}/])"),
                    " $1 "),
            // tokenize period and comma unless preceded by a digit
            new Rule(Pattern.compile("([^0-9])([.,])"), "$1 $2 "),
            // tokenize period and comma unless followed by a digit
            new Rule(Pattern.compile("([.,])([^0-9])"), " $1 $2"),
            // tokenize dash when preceded by a digit
            new Rule(Pattern.compile("([0-9])(-)"), "$1 $2 "));

    @Override
    public List<String> tokenize(String text) {
        return PythonWhitespace.split(applyRules(text));
    }

    /**
     * @param line one segment
     * @return the tokenized segment exactly as sacreBLEU's {@code Tokenizer13a()(line)} returns it: tokens
     *         joined by single spaces, no leading or trailing space
     */
    public String normalize(String line) {
        return String.join(" ", tokenize(line));
    }

    private static String applyRules(String text) {
        Objects.requireNonNull(text, "Tokenizer13a.tokenize: text must not be null");
        String line = text.replace("<skipped>", "")
                .replace("-\n", "")
                .replace("\n", " ");
        if (line.indexOf('&') >= 0) {
            line = line.replace("&quot;", "\"")
                    .replace("&amp;", "&")
                    .replace("&lt;", "<")
                    .replace("&gt;", ">");
        }
        line = " " + line + " ";
        for (Rule rule : RULES) {
            line = rule.apply(line);
        }
        return line;
    }
}
