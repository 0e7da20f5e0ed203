package org.recurrent4j.experiment;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * The Markdown report ({@code results.md}) in the style of Table 1 of Bahdanau et al. (2014): BLEU on all test
 * sentences and on those without unknown words, plus BLEU on long sentences, the length slope, model size and
 * costs; then the sacreBLEU signature, the settings, seeds, machine, total time and the paper's claims. BLEU is
 * printed with two decimals (the CSV files hold full precision).
 */
public final class ResultsTable {
    /** The file name in the output directory. */
    public static final String FILE = "results.md";

    private ResultsTable() {
    }

    /** @return the Markdown text */
    public static String format(ExperimentResult result) {
        ExperimentSettings s = result.settings();
        StringBuilder md = new StringBuilder();
        md.append("# BLEU vs sentence length: ").append(result.corpus()).append(" (").append(result.mode())
                .append(")\n\n");
        md.append("| Model | All | No UNK | ≥").append(s.longSentenceLength()).append(" tokens | slope (BLEU / 10 tokens) "
                + "| relative change / 10 tokens | parameters | updates (epochs) | training time (s) | training CPU (s) | decoding time (s) |\n");
        md.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (ModelResult m : result.models()) {
            TrainingStats t = m.training();
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s (n=%d) | %s (%d buckets) | %+.1f%% | %,d | %,d (%.2f) | "
                            + "%.0f | %.0f | %.0f |%n",
                    m.spec().name(), bleu(m.bleuAll()), bleu(m.bleuNoUnk()), bleu(m.bleuLong()), m.longCount(),
                    slope(m.trend().slopePer10Tokens()), m.trend().buckets(),
                    100 * m.trend().relativeChangePer10Tokens(), m.parameters(), t.updates(), t.epochs(),
                    t.wallSeconds(), t.cpuSeconds(), m.decodeWallSeconds()));
        }
        int noUnk = result.models().isEmpty() ? 0
                : result.testSentences() - result.models().get(0).noUnk().filteredOut();
        md.append(String.format(Locale.ROOT, "%nTest: %d sentences of %s, %d of them without unknown words "
                        + "(No UNK). Source length = tokens of the models' tokenizer (13a, lowercased). Slope: "
                        + "least-squares fit of bucket BLEU against bucket midpoint, weighted by sentences, over the "
                        + "%d-token buckets with ≥ %d sentences (the plotted points); relative change: the same fit "
                        + "of ln BLEU, as exp(10 · slope) − 1.%n%n",
                result.testSentences(), result.corpus(), noUnk, s.bucketWidth(), s.minBucketSentences()));
        md.append("BLEU: sacreBLEU-compatible corpus BLEU, signature `").append(result.bleuSignature()).append("`.\n\n");
        md.append("Training pairs (both sides within the length filter): ");
        md.append(String.join(", ", result.models().stream().filter(m -> m.spec().attention())
                .map(m -> "≤" + m.spec().maxLength() + ": " + String.format(Locale.ROOT, "%,d",
                        m.training().trainingPairs())).toList()));
        md.append(".\n\nSettings:\n\n");
        for (Map.Entry<String, String> e : s.describe().entrySet()) {
            md.append("- ").append(e.getKey()).append(": ").append(e.getValue()).append('\n');
        }
        md.append("\nMachine: ").append(result.machine().describe()).append(".\n\n");
        md.append(String.format(Locale.ROOT, "Whole run: %.0f s elapsed, %.0f s CPU (all threads of the process).%n",
                result.wallSeconds(), result.processCpuSeconds()));
        int longest = s.lengthFilters().stream().mapToInt(Integer::intValue).max().orElse(0);
        if (result.model(new ModelSpec(true, longest).name()).isPresent()
                && result.model(new ModelSpec(false, longest).name()).isPresent()) {
            md.append("\nPaper's claims:\n\n```\n").append(PaperClaims.check(result, longest).report())
                    .append("\n```\n");
        }
        return md.toString();
    }

    /** Writes {@link #FILE} into {@code directory}, atomically. */
    public static Path write(ExperimentResult result, Path directory) {
        Path file = directory.resolve(FILE);
        Utf8Files.write(file, format(result));
        return file;
    }

    private static String bleu(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.2f", v);
    }

    private static String slope(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.2f", v);
    }
}
