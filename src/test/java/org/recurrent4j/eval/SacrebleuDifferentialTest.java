package org.recurrent4j.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.recurrent4j.data.tokenize.Tokenizer13a;

/**
 * Replays outputs of sacreBLEU 2.6.0 itself, recorded by {@code sacrebleu_fixture.py} (next to the fixture in
 * src/test/resources/org/recurrent4j/eval): 400 random lines through its {@code Tokenizer13a} and 250 random
 * corpora scored with random options (tokenizer 13a/none/char, lowercase, every smoothing with default and
 * explicit values, max order 1..6, effective order, 1..3 reference streams with None and empty references).
 * Expected: the same tokenization, the same score to 1e-9, the same {@code format()} line and signature.
 */
class SacrebleuDifferentialTest {

    private static final List<String[]> TOK = new ArrayList<>();
    private static final List<String[]> BLEU = new ArrayList<>();

    @BeforeAll
    static void load() throws IOException {
        try (InputStream in = SacrebleuDifferentialTest.class.getResourceAsStream("sacrebleu-2.6.0-fixture.tsv")) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            for (String line : text.split("\n")) {
                String[] f = line.split("\t", -1);
                (f[0].equals("tok") ? TOK : BLEU).add(f);
            }
        }
        assertEquals(400, TOK.size());
        assertEquals(250, BLEU.size());
    }

    private static String text(String base64) {
        return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    }

    @Test
    void tokenizer13aMatchesSacrebleu() {
        Tokenizer13a tok = new Tokenizer13a();
        List<String> mismatches = new ArrayList<>();
        for (String[] f : TOK) {
            String got = tok.normalize(text(f[1]));
            if (!got.equals(text(f[2]))) {
                mismatches.add("input " + text(f[1]) + " got [" + got + "] expected [" + text(f[2]) + "]");
            }
        }
        assertTrue(mismatches.isEmpty(), mismatches.size() + " mismatches, first: " + mismatches.stream().limit(3).toList());
    }

    @Test
    void corpusBleuMatchesSacrebleu() {
        List<String> mismatches = new ArrayList<>();
        for (String[] f : BLEU) {
            int k = 1;
            Bleu.Builder b = Bleu.builder().tokenize(f[k++]).lowercase(f[k++].equals("True"));
            b.smoothing(switch (f[k++]) {
                case "exp" -> Bleu.Smoothing.EXP;
                case "floor" -> Bleu.Smoothing.FLOOR;
                case "add-k" -> Bleu.Smoothing.ADD_K;
                case "none" -> Bleu.Smoothing.NONE;
                default -> throw new IllegalStateException("bad fixture line");
            });
            String value = f[k++];
            if (!value.equals("None")) {
                b.smoothValue(Double.parseDouble(value));
            }
            b.maxNgramOrder(Integer.parseInt(f[k++])).effectiveOrder(f[k++].equals("True"));
            int n = Integer.parseInt(f[k++]);
            int streams = Integer.parseInt(f[k++]);
            List<String> hyps = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                hyps.add(text(f[k++]));
            }
            List<List<String>> refs = new ArrayList<>();
            for (int r = 0; r < streams; r++) {
                List<String> stream = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    String x = f[k++];
                    stream.add(x.equals("~") ? null : text(x));
                }
                refs.add(stream);
            }
            double expectedScore = Double.parseDouble(f[k++]);
            String expectedLine = text(f[k++]);
            String expectedSignature = text(f[k]);

            BleuScore s = b.build().corpusScore(hyps, refs);
            if (Math.abs(s.score() - expectedScore) > 1e-9 || !s.toString().equals(expectedLine)
                    || !s.signature().equals(expectedSignature)) {
                mismatches.add("got " + s + " " + s.signature() + " expected " + expectedLine + " "
                        + expectedSignature + " (" + expectedScore + ")");
            }
        }
        assertTrue(mismatches.isEmpty(), mismatches.size() + " mismatches, first: " + mismatches.stream().limit(3).toList());
    }
}
