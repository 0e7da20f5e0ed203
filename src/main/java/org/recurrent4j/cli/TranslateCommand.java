package org.recurrent4j.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.recurrent4j.data.io.TextFiles;
import org.recurrent4j.data.tokenize.Tokenizer;
import org.recurrent4j.plot.AttentionHeatmap;
import org.recurrent4j.seq2seq.Hypothesis;
import org.recurrent4j.seq2seq.LengthPenalty;
import org.recurrent4j.seq2seq.ModelTokenizer;
import org.recurrent4j.seq2seq.Seq2SeqModel;
import org.recurrent4j.seq2seq.Translation;
import org.recurrent4j.seq2seq.Translator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code translate}: decodes text with a saved translation model (greedy or beam search). */
@Command(name = "translate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "Translate text with a model saved by 'train' (one .zip: the network, both",
                "vocabularies, the tokenizer name). Input: one source sentence per line, UTF-8.",
                "Output: one translation per line, same order, words joined by spaces.",
                "Lines are tokenized as the model was trained (else split at whitespace); a model",
                "trained with --subwords cuts the words into its pieces and joins its output back into words.",
                "",
                "Examples (from the project root: mvn -q compile exec:java -Dexec.args=\"...\"):",
                "  translate --model model.zip --input test.es --output test.hyp.en",
                "  translate --model model.zip --beam 10 --length-penalty gnmt:0.6 < test.es",
                "  translate --model model.zip --input dev.es --beam 5 --n-best 5",
                "  translate --model model.zip --input few.es --heatmaps heat/",
                "      (one attention heat map per line, heat/line-00001.png ...)",
                "  translate --model run1/best.zip --model run2/best.zip --input test.es --beam 5",
                "      (an ensemble: each step scores words by the mean log-probability of",
                "      the models, which must share their vocabularies and tokenizer)",
                "",
                "Unusual lines never stop the run: an empty line gives an empty output line;",
                "words missing from the source vocabulary are read as <unk>; lines longer",
                "than any training sentence are translated anyway (or refused with",
                "--reject-longer-than-training). Standard error gets a summary of such lines.",
                ""})
public final class TranslateCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "FILE",
            description = "the model file (.zip) to translate with; repeat it to decode with an ensemble of models")
    List<Path> model;

    @Option(names = "--input", paramLabel = "FILE", description = "source text, one sentence per line "
            + "(.gz is read compressed; default: standard input)")
    Path input;

    @Option(names = "--output", paramLabel = "FILE", description = "where translations go, written atomically when "
            + "done (default: standard output)")
    Path output;

    @Option(names = "--beam", paramLabel = "K", defaultValue = "5",
            description = "beam width; 1 = greedy decoding (default: ${DEFAULT-VALUE})")
    int beam;

    @Option(names = "--length-penalty", paramLabel = "P", defaultValue = "none",
            description = "none (rank by log-probability), average (log-probability per word) or gnmt:ALPHA "
                    + "(Wu et al. 2016, e.g. gnmt:0.6) (default: ${DEFAULT-VALUE})")
    String lengthPenalty;

    @Option(names = "--coverage-penalty", paramLabel = "BETA", defaultValue = "0",
            description = "GNMT coverage-penalty weight, 0 = off (default: ${DEFAULT-VALUE})")
    double coveragePenalty;

    @Option(names = "--min-length", paramLabel = "N", defaultValue = "0",
            description = "fewest words per translation (default: ${DEFAULT-VALUE})")
    int minLength;

    @Option(names = "--max-length", paramLabel = "N", defaultValue = "200",
            description = "most words per translation (default: ${DEFAULT-VALUE})")
    int maxLength;

    @Option(names = "--max-length-ratio", paramLabel = "R", defaultValue = "0",
            description = "most words per translation as R x source words, rounded up; 0 = off (default: ${DEFAULT-VALUE})")
    double maxLengthRatio;

    @Option(names = "--n-best", paramLabel = "N", defaultValue = "1",
            description = "hypotheses per sentence (at most --beam). Above 1 each output line is "
                    + "'LINE ||| words ||| logP ||| score', LINE counting from 0, best first, as Moses n-best lists "
                    + "(default: ${DEFAULT-VALUE})")
    int nBest;

    @Option(names = "--replace-unk", description = "replace each output <unk> by the source word it attends to most")
    boolean replaceUnknown;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "32",
            description = "sentences decoded together (default: ${DEFAULT-VALUE})")
    int batchSize;

    @Option(names = "--tokenizer", paramLabel = "NAME",
            description = "override the model's tokenizer: 13a, whitespace (= none) or char")
    String tokenizer;

    @Option(names = "--reject-longer-than-training",
            description = "fail on a line longer than any training source instead of translating it")
    boolean rejectLonger;

    @Option(names = "--heatmaps", paramLabel = "DIR",
            description = "write the attention of each translated line as DIR/line-NNNNN.png (line numbers from 1)")
    Path heatmaps;

    @Option(names = "--heatmap-lines", paramLabel = "N", split = ",",
            description = "only these line numbers (from 1) get a heat map, e.g. 1,4,9 (default: all)")
    List<Integer> heatmapLines;

    /** the models of this run, after loading */
    private List<Seq2SeqModel> loaded;

    @Override
    public Integer call() {
        PrintStream err = System.err;
        if (heatmapLines != null && heatmaps == null) {
            throw new ParameterException(spec.commandLine(), "translate: --heatmap-lines needs --heatmaps DIR");
        }
        LengthPenalty penalty;
        try {
            penalty = LengthPenalty.parse(lengthPenalty);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "translate: --length-penalty: " + e.getMessage());
        }
        List<Seq2SeqModel> models = model.stream().map(file -> Seq2SeqModel.load(file, false)).toList();
        loaded = models;
        if (tokenizer == null) {
            requireOneTokenizer(models);
        }
        requireOneSubwordModel(models);
        Tokenizer tok = ModelTokenizer.source(models.get(0),
                tokenizer == null ? ModelTokenizer.of(models.get(0)) : ModelTokenizer.byName(tokenizer));
        Translator translator;
        try {
            translator = Translator.builder(models).beamWidth(beam).lengthPenalty(penalty).coveragePenalty(coveragePenalty)
                    .minLength(minLength).maxLength(maxLength).maxLengthRatio(maxLengthRatio).nBest(nBest)
                    .replaceUnknown(replaceUnknown).batchSize(batchSize).rejectLongerThanTraining(rejectLonger).build();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        List<String> lines = readLines();
        if (heatmapLines != null) {
            for (int line : heatmapLines) {
                if (line < 1 || line > lines.size()) {
                    throw new ParameterException(spec.commandLine(), "translate: --heatmap-lines: line " + line
                            + " is not in the input (lines 1 to " + lines.size() + ")");
                }
            }
        }
        List<List<String>> sources = new ArrayList<>(lines.size());
        for (String line : lines) {
            sources.add(tok.tokenize(line));
        }
        long t0 = System.nanoTime();
        List<Translation> out = translator.translate(sources);
        double seconds = (System.nanoTime() - t0) / 1e9;
        write(out);
        int plots = heatmaps == null ? 0 : writeHeatmaps(out);
        summarize(err, out, seconds, plots);
        return 0;
    }

    /** The models of an ensemble read the same tokens: refuses models trained with different tokenizers. */
    private void requireOneTokenizer(List<Seq2SeqModel> models) {
        String expected = models.get(0).property(Seq2SeqModel.TOKENIZER);
        for (int i = 1; i < models.size(); i++) {
            String actual = models.get(i).property(Seq2SeqModel.TOKENIZER);
            if (!java.util.Objects.equals(expected, actual)) {
                throw new ParameterException(spec.commandLine(), "translate: --model " + model.get(i)
                        + " was trained with tokenizer " + name(actual) + ", expected " + name(expected) + " as --model "
                        + model.get(0) + "; choose one with --tokenizer NAME");
            }
        }
    }

    /** The models of an ensemble read and write the same pieces: refuses models with different BPE models. */
    private void requireOneSubwordModel(List<Seq2SeqModel> models) {
        for (int i = 1; i < models.size(); i++) {
            if (!java.util.Objects.equals(models.get(0).subwords(), models.get(i).subwords())) {
                throw new ParameterException(spec.commandLine(), "translate: --model " + model.get(i) + " has "
                        + (models.get(i).subwords() == null ? "no subwords" : "other subwords") + " than --model "
                        + model.get(0) + "; the models of an ensemble must share their BPE models");
            }
        }
    }

    private static String name(String tokenizer) {
        return tokenizer == null ? "(none recorded)" : tokenizer;
    }

    private List<String> readLines() {
        try (BufferedReader r = input == null
                ? new BufferedReader(new InputStreamReader(System.in, TextFiles.strictUtf8()))
                : TextFiles.openReader("translate", input)) {
            List<String> lines = new ArrayList<>();
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                lines.add(line);
            }
            return lines;
        } catch (IOException e) {
            throw new UncheckedIOException("translate: cannot read " + (input == null ? "standard input" : input)
                    + " as UTF-8: " + e.getMessage(), e);
        }
    }

    private void write(List<Translation> out) {
        if (output == null) {
            try {
                writeTo(System.out, out);
            } catch (IOException e) {
                throw new UncheckedIOException("translate: cannot write to standard output", e);
            }
        } else {
            TextFiles.writeAtomically(output, os -> writeTo(os, out));
        }
    }

    private void writeTo(OutputStream os, List<Translation> out) throws IOException {
        Writer w = new OutputStreamWriter(os, StandardCharsets.UTF_8);
        for (int i = 0; i < out.size(); i++) {
            if (nBest == 1) {
                w.write(String.join(" ", words(out.get(i).tokens())));
                w.write('\n');
                continue;
            }
            for (Hypothesis h : out.get(i).nBest()) {
                w.write(String.format(Locale.ROOT, "%d ||| %s ||| %.6f ||| %.6f%n", i, String.join(" ", words(h.tokens())),
                        h.logProbability(), h.score()));
            }
        }
        w.flush();
    }

    /** The words of a translation (pieces joined back into words for a model of subwords). */
    private List<String> words(List<String> tokens) {
        return ModelTokenizer.words(loaded.get(0), tokens);
    }

    private int writeHeatmaps(List<Translation> out) {
        Set<Integer> only = heatmapLines == null ? null : new TreeSet<>(heatmapLines);
        int written = 0;
        try {
            Files.createDirectories(heatmaps);
        } catch (IOException e) {
            throw new UncheckedIOException("translate: cannot create --heatmaps directory " + heatmaps, e);
        }
        for (int i = 0; i < out.size(); i++) {
            int line = i + 1;
            Translation t = out.get(i);
            if ((only != null && !only.contains(line)) || t.emptySource()) {
                continue;
            }
            AttentionHeatmap.savePng(t, "line " + line, heatmaps.resolve(String.format(Locale.ROOT, "line-%05d.png", line)));
            written++;
        }
        return written;
    }

    private static void summarize(PrintStream err, List<Translation> out, double seconds, int plots) {
        long empty = out.stream().filter(Translation::emptySource).count();
        long unknown = out.stream().filter(t -> t.unknownSourceWords() > 0).count();
        long longer = out.stream().filter(Translation::longerThanTraining).count();
        err.printf(Locale.ROOT, "translate: %d lines in %.1f s; %d empty, %d with words unknown to the source vocabulary "
                + "(read as <unk>), %d longer than any training source (translated anyway)%s%n", out.size(), seconds,
                empty, unknown, longer, plots > 0 ? "; " + plots + " heat maps written" : "");
    }
}
