package org.recurrent4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.recurrent4j.data.vocab.Vocabulary;
import org.recurrent4j.seq2seq.Hypothesis;
import org.recurrent4j.seq2seq.LengthPenalty;
import org.recurrent4j.seq2seq.Seq2SeqBuilder;
import org.recurrent4j.seq2seq.Seq2SeqModel;
import org.recurrent4j.seq2seq.Translation;
import org.recurrent4j.seq2seq.Translator;

/** The {@code translate} command: files in, the library's translations out, n-best format, heat maps, errors. */
class TranslateCommandTest {

    private static Seq2SeqModel model() {
        return model(3);
    }

    /** A tiny float RNNsearch over Spanish and English words; models of different seeds differ in parameters only. */
    static Seq2SeqModel model(long seed) {
        Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
        Seq2SeqModel m = Seq2SeqBuilder.rnnSearch().embeddingSize(6).encoderSize(5).decoderSize(7).maxoutSize(4)
                .attentionSize(5).seed(seed).build(Vocabulary.of(List.of("la", "casa", "verde", "es")),
                        Vocabulary.of(List.of("the", "house", "green", "is")));
        m.graph().getLayer(Seq2SeqBuilder.OUTPUT).getParam("W").muli(3);
        m.setProperty(Seq2SeqModel.TOKENIZER, "whitespace");
        m.setProperty(Seq2SeqModel.MAX_TRAINING_SOURCE_LENGTH, "3");
        return m;
    }

    private static CommandRun run(String... args) {
        return CommandRun.of(args);
    }

    @Test
    void translatesAFileAsTheLibraryDoesWithNBestListsAndHeatmaps(@TempDir Path dir) throws Exception {
        Seq2SeqModel m = model();
        Path modelFile = dir.resolve("model.zip");
        m.save(modelFile, false);
        Path in = dir.resolve("in.txt");
        Files.writeString(in, "la casa verde\n\nla nueva casa es verde\n", StandardCharsets.UTF_8);
        Path out = dir.resolve("out.txt");
        Path heat = dir.resolve("heat");
        CommandRun r = run("translate", "--model", modelFile.toString(), "--input", in.toString(), "--output", out.toString(),
                "--beam", "3", "--n-best", "2", "--length-penalty", "gnmt:0.6", "--max-length", "6",
                "--heatmaps", heat.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.err().contains("3 lines") && r.err().contains("1 empty") && r.err().contains("1 with words unknown")
                && r.err().contains("1 longer than any training source") && r.err().contains("2 heat maps"), r.err());

        Seq2SeqModel loaded = Seq2SeqModel.load(modelFile, false);
        List<Translation> expected = Translator.builder(loaded).beamWidth(3).nBest(2).lengthPenalty(LengthPenalty.gnmt(0.6))
                .maxLength(6).build().translate(List.of(List.of("la", "casa", "verde"), List.of(),
                        List.of("la", "nueva", "casa", "es", "verde")));
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < expected.size(); i++) {
            for (Hypothesis h : expected.get(i).nBest()) {
                lines.add(String.format(Locale.ROOT, "%d ||| %s ||| %.6f ||| %.6f", i, String.join(" ", h.tokens()),
                        h.logProbability(), h.score()));
            }
        }
        assertEquals(lines, Files.readAllLines(out, StandardCharsets.UTF_8));
        assertTrue(Files.size(heat.resolve("line-00001.png")) > 1000);
        assertTrue(Files.size(heat.resolve("line-00003.png")) > 1000);
        assertTrue(!Files.exists(heat.resolve("line-00002.png")), "no heat map for the empty line");
    }

    @Test
    void repeatedModelsTranslateAsTheLibrarysEnsembleAndMismatchedVocabulariesAreRefused(@TempDir Path dir)
            throws Exception {
        Path a = dir.resolve("a.zip");
        Path b = dir.resolve("b.zip");
        model(3).save(a, false);
        model(4).save(b, false);
        Path in = dir.resolve("in.txt");
        Files.writeString(in, "la casa verde\nes verde\n", StandardCharsets.UTF_8);
        CommandRun r = run("translate", "--model", a.toString(), "--model", b.toString(), "--input", in.toString(),
                "--beam", "3", "--max-length", "6");
        assertEquals(0, r.exitCode(), r.err());
        List<Translation> expected = Translator.builder(List.of(Seq2SeqModel.load(a, false),
                Seq2SeqModel.load(b, false))).beamWidth(3).maxLength(6).build()
                .translate(List.of(List.of("la", "casa", "verde"), List.of("es", "verde")));
        assertEquals(expected.stream().map(t -> String.join(" ", t.tokens()) + "\n").toList(),
                r.out().lines().map(l -> l + "\n").toList());

        Path other = dir.resolve("other.zip");
        Seq2SeqModel home = Seq2SeqBuilder.rnnSearch().embeddingSize(6).encoderSize(5).decoderSize(7).maxoutSize(4)
                .attentionSize(5).build(Vocabulary.of(List.of("la", "casa", "verde", "es")),
                        Vocabulary.of(List.of("the", "home", "green", "is")));
        home.setProperty(Seq2SeqModel.TOKENIZER, "whitespace");
        home.save(other, false);
        r = run("translate", "--model", a.toString(), "--model", other.toString(), "--input", in.toString());
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().contains("model 2 (" + other + ") has a different target vocabulary")
                && r.err().contains("model 1 (" + a + ")") && r.err().contains("entry 5 is 'home', expected 'house'"),
                r.err());

        Seq2SeqModel characters = model(4);
        characters.setProperty(Seq2SeqModel.TOKENIZER, "char");
        characters.save(other, false);
        r = run("translate", "--model", a.toString(), "--model", other.toString(), "--input", in.toString());
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().contains("--model " + other + " was trained with tokenizer char, expected whitespace as "
                + "--model " + a), r.err());
        r = run("translate", "--model", a.toString(), "--model", other.toString(), "--input", in.toString(),
                "--tokenizer", "whitespace");
        assertEquals(0, r.exitCode(), r.err());
    }

    @Test
    void helpExplainsAndBadOptionsFailWithTheirName(@TempDir Path dir) {
        PrintStream old = System.out;
        ByteArrayOutputStream help = new ByteArrayOutputStream();
        System.setOut(new PrintStream(help, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = Main.run("translate", "--help");
        } finally {
            System.setOut(old);
        }
        assertEquals(0, code);
        String text = help.toString(StandardCharsets.UTF_8);
        for (String option : List.of("--model", "--input", "--output", "--beam", "--length-penalty", "--n-best",
                "--heatmaps", "Examples")) {
            assertTrue(text.contains(option), option + " missing from:\n" + text);
        }
        CommandRun r = run("translate", "--model", dir.resolve("missing.zip").toString());
        assertNotEquals(0, r.exitCode());
        assertTrue(r.err().contains("no model file"), r.err());
        Path modelFile = dir.resolve("model.zip");
        model().save(modelFile, false);
        r = run("translate", "--model", modelFile.toString(), "--beam", "2", "--n-best", "3");
        assertNotEquals(0, r.exitCode());
        assertTrue(r.err().contains("nBest must be <= beamWidth (2), got 3"), r.err());
        r = run("translate", "--model", modelFile.toString(), "--length-penalty", "gnmt");
        assertNotEquals(0, r.exitCode());
        assertTrue(r.err().contains("--length-penalty") && r.err().contains("gnmt:ALPHA"), r.err());
    }
}
