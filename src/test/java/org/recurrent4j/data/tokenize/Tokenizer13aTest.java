package org.recurrent4j.data.tokenize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * sacreBLEU has no unit test of its 13a tokenizer (its 13a coverage is test.sh's WMT17 comparison with
 * mteval-v13a.pl, whose data is not available offline); the BLEU vectors of BleuTest exercise it end to end
 * (e.g. README's hyp_len = 17 for the issue vector). The expectations here are derived by hand from the rules
 * of sacrebleu/tokenizers/tokenizer_13a.py and tokenizer_re.py (v2.6.0), each derivation in its comment:
 * R1 = split off ASCII [{-~ [-` space-& (-+ :-@ /], R2 = period/comma not preceded by a digit,
 * R3 = period/comma not followed by a digit (the line is padded with a space on both sides first),
 * R4 = dash preceded by a digit. Every expectation was then confirmed by running sacreBLEU 2.6.0's own
 * Tokenizer13a in Python; {@code SacrebleuDifferentialTest} replays more outputs of that run.
 */
class Tokenizer13aTest {

    private final Tokenizer13a tok = new Tokenizer13a();

    static Stream<Arguments> cases() {
        return Stream.of(
                // R1 '!' (0x21); R2 "o," ; whitespace collapsed
                Arguments.of("Hello, world!", "Hello , world !"),
                // ',' and '.' between digits stay (R2 needs a non-digit before, R3 a non-digit after);
                // the final '.' follows 's' (R2)
                Arguments.of("It costs 1,000.50 dollars.", "It costs 1,000.50 dollars ."),
                // final '.' after a digit: R2 does not apply, R3 does because the padding space follows it
                Arguments.of("pi is 3.14.", "pi is 3.14 ."),
                // ',' after a digit followed by a space: R3
                Arguments.of("in 1990, he", "in 1990 , he"),
                // '-' is in no R1 range (0x2D between '+' 0x2B and '/' 0x2F); R4 only after a digit
                Arguments.of("well-known 2-3 years, 1990-2000 and A-1", "well-known 2 - 3 years , 1990 - 2000 and A-1"),
                Arguments.of("5-", "5 -"),
                // the apostrophe 0x27 is in no R1 range
                Arguments.of("It wasn't surprising.", "It wasn't surprising ."),
                Arguments.of("'quoted' *star*", "'quoted' * star *"),
                // unescaping, then R1 splits & < > " (0x26, 0x3C, 0x3E, 0x22)
                Arguments.of("A &amp; B &lt;tag&gt; &quot;q&quot;", "A & B < tag > \" q \""),
                // unescape order &quot; &amp; &lt; &gt;: "&amp;quot;" ends as "&quot;", then R1 splits '&' and ';'
                Arguments.of("&amp;quot;", "& quot ;"),
                // pre-steps: <skipped> removed, "-\n" joined, "\n" to a space
                Arguments.of("foo<skipped>bar", "foobar"),
                Arguments.of("inter-\nnational\nline", "international line"),
                // '@' 0x40 (R1); "t." (R2)
                Arguments.of("e-mail@host.com", "e-mail @ host . com"),
                // R2 "a," ; R3 ",a" after a digit; R3 ".a" after a digit
                Arguments.of("a,1 and 1,a and 5.a", "a , 1 and 1 , a and 5 . a"),
                // brackets and braces: ( ) 0x28 0x29, [ ] 0x5B 0x5D, { } 0x7B 0x7D
                Arguments.of("(a)[b]{c}", "( a ) [ b ] { c }"),
                // '/' 0x2F, '\' 0x5C, '|' 0x7C, '_' 0x5F, '^' 0x5E, '`' 0x60, '~' 0x7E
                Arguments.of("x/y\\z|w a_b^c`d~e", "x / y \\ z | w a _ b ^ c ` d ~ e"),
                // '$' 0x24, '+' 0x2B, '%' 0x25, '=' 0x3D, '#' 0x23, '?' 0x3F; "5.00" stays
                Arguments.of("$5.00 + 20% = #1?", "$ 5.00 + 20 % = # 1 ?"),
                // non-ASCII punctuation is not split; "»," (R2), "l." (R2)
                Arguments.of("«Bonjour», dit-il.", "«Bonjour» , dit-il ."),
                // R2 pairs ("t.", ".."), then R3 separates the rest
                Arguments.of("Wait...", "Wait . . ."),
                // the issue sentence: ';' 0x3B (R1)
                Arguments.of("producţia de zahăr brut se exprimă în zahăr alb;",
                        "producţia de zahăr brut se exprimă în zahăr alb ;"));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void normalizesAsSacrebleu(String input, String expected) {
        assertEquals(expected, tok.normalize(input));
        assertEquals(List.of(expected.split(" ")), tok.tokenize(input));
    }

    @Test
    void blankLinesGiveNoTokens() {
        assertEquals(List.of(), tok.tokenize(""));
        assertEquals(List.of(), tok.tokenize(" \t\n "));
        assertEquals("", tok.normalize(""));
    }

    @Test
    void splitsOnPythonWhitespaceOnly() {
        // Python's str.split() splits at U+00A0 (no-break space) and tab, not at U+200B (zero-width space)
        assertEquals(List.of("a", "b", "c"), tok.tokenize("a\u00A0b\tc\r"));
        assertEquals(List.of("a\u200Bb"), tok.tokenize("a\u200Bb"));
    }

    @Test
    void nullIsRejected() {
        assertThrows(NullPointerException.class, () -> tok.tokenize(null));
    }

    @Test
    void whitespaceTokenizerSplitsOnlyOnWhitespace() { // tok:none: NoneTokenizer, then line.split()
        assertEquals(List.of("Hello,", "world!", "wasn't"), new WhitespaceTokenizer().tokenize(" Hello,\u3000world!\n wasn't "));
        assertEquals(List.of(), new WhitespaceTokenizer().tokenize(""));
    }

    @Test
    void charTokenizerGivesNonWhitespaceCodePoints() { // tok:char: " ".join(line), then line.split()
        assertEquals(List.of("a", "b", ",", "c"), new SacreBleuCharTokenizer().tokenize("ab, c"));
        assertEquals(List.of("a", "\uD83D\uDE00", "b"), new SacreBleuCharTokenizer().tokenize("a\uD83D\uDE00 b")); // 😀 is one
    }
}
