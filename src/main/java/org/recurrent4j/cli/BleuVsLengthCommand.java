package org.recurrent4j.cli;

import org.recurrent4j.experiment.BeamSearchTranslators;
import org.recurrent4j.experiment.BleuVsLengthExperiment;
import org.recurrent4j.experiment.ExperimentProgress;
import org.recurrent4j.experiment.CorpusSplits;
import org.recurrent4j.experiment.ExperimentResult;
import org.recurrent4j.experiment.ExperimentSettings;
import org.recurrent4j.experiment.Optimizer;
import org.recurrent4j.experiment.PaperClaims;
import org.recurrent4j.experiment.PreparedCorpus;
import org.recurrent4j.experiment.ResultsTable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * Fig. 2 and Table 1 of Bahdanau, Cho &amp; Bengio (2014): BLEU against source sentence length for RNNenc-30,
 * RNNsearch-30, RNNenc-50 and RNNsearch-50.
 */
@Command(name = "bleu-vs-length", mixinStandardHelpOptions = true,
        description = {"Train RNNenc and RNNsearch with length filters 30 and 50, translate the test split with beam",
                "search and write BLEU by source length: bleu-vs-length.png/.svg/.csv, summary.csv, results.md,",
                "translations/ and models/. --quick: small models and budgets (about 20 minutes on 2 cores)."})
public final class BleuVsLengthCommand implements Callable<Integer> {

    @Option(names = "--quick", description = "small models, fixed small budget (what CI runs); default: the paper's sizes")
    boolean quick;

    @Option(names = "--corpus", description = "bible-en-es or wmt-en-fr (default: ${DEFAULT-VALUE})",
            defaultValue = "bible-en-es")
    String corpus;

    @Option(names = "--data", description = {"folder of the corpus files (default: datasets/bible-en-es, or",
            "../shared/datasets/wmt-newstest/news-splits for wmt-en-fr)"})
    Path data;

    @Option(names = "--out", description = "output directory (default: ${DEFAULT-VALUE})",
            defaultValue = "results/bleu-vs-length")
    Path out;

    @Option(names = "--check-paper-claims", description = {"exit with status 1 unless RNNsearch-50 beats RNNenc-50 on",
            "sentences of >= 30 tokens by --margin BLEU and RNNenc-50 loses a larger share of its BLEU",
            "per 10 source tokens than RNNsearch-50 (log-linear fit over the plotted buckets)"})
    boolean checkClaims;

    @Option(names = "--claims-checked", description = {"with --check-paper-claims: ALL (both claims, the default; CI",
            "judges both) or LONG_SENTENCES (claim 1 only; claim 2 is still reported)"},
            defaultValue = "ALL")
    PaperClaims.Checked claimsChecked;

    @Option(names = "--no-progress", description = "no progress bar on standard error") boolean noProgress;
    @Option(names = "--seed", description = "seed of initialisation and data order") Long seed;
    @Option(names = "--threads", description = "models trained at once") Integer threads;
    @Option(names = "--updates", description = "budget: updates per model") Integer updates;
    @Option(names = "--epochs", description = "budget: epochs per model") Integer epochs;
    @Option(names = "--embedding", description = "embedding size") Integer embedding;
    @Option(names = "--hidden", description = "encoder/decoder state size") Integer hidden;
    @Option(names = "--maxout", description = "deep-output maxout size") Integer maxout;
    @Option(names = "--attention-size", description = "additive-attention hidden size") Integer attentionSize;
    @Option(names = "--vocabulary", description = "most frequent words per language") Integer vocabulary;
    @Option(names = "--subwords", paramLabel = "N", description = {"BPE subwords: each language's model of N pieces",
            "(SentencePiece's --vocab_size) is learned from its training split and replaces the word shortlist;",
            "lengths still count words, BLEU is on the joined words (default: words)"}) Integer subwords;
    @Option(names = "--optimizer", description = "ADAM or ADADELTA") Optimizer optimizer;
    @Option(names = "--learning-rate", description = "Adam's learning rate") Double learningRate;
    @Option(names = "--lr-decay", paramLabel = "FRACTION", description = "Adam's learning rate falls exponentially to "
            + "this fraction of --learning-rate over the budget (1 = constant; --quick: 0.1, full: 1)") Double learningRateDecay;
    @Option(names = "--clip", description = "global gradient-norm threshold") Double clip;
    @Option(names = "--batch", description = "minibatch size") Integer batch;
    @Option(names = "--beam", description = "beam width") Integer beam;
    @Option(names = "--test-limit", description = "evaluate the first n test sentences (0 = all)") Integer testLimit;
    @Option(names = "--bucket-width", description = "source-length bucket width") Integer bucketWidth;
    @Option(names = "--min-bucket", description = "least sentences of a plotted bucket") Integer minBucket;
    @Option(names = "--margin", description = "BLEU margin of the long-sentence claim (default 2.0)") Double margin;
    @Option(names = "--length-filters", split = ",", description = "training length filters (default 30,50)")
    List<Integer> lengthFilters;

    @Override
    public Integer call() {
        ExperimentSettings settings = settings();
        CorpusSplits splits = switch (corpus) {
            case "bible-en-es" -> CorpusSplits.bibleEnEs(data != null ? data : Path.of("datasets/bible-en-es"));
            case "wmt-en-fr" -> CorpusSplits.wmtEnFr(data != null ? data
                    : Path.of("../shared/datasets/wmt-newstest/news-splits"));
            default -> throw new IllegalArgumentException("bleu-vs-length: --corpus must be bible-en-es or wmt-en-fr, got "
                    + corpus);
        };
        PreparedCorpus prepared = PreparedCorpus.read(splits, settings.vocabularyWords(), settings.subwords(),
                settings.testLimit());
        ExperimentResult result = new BleuVsLengthExperiment(settings, quick ? "quick" : "full",
                new BeamSearchTranslators()).run(prepared, out,
                noProgress ? steps -> ExperimentProgress.SILENT : ExperimentProgressBar::new);
        System.out.println(ResultsTable.format(result));
        System.out.println("Wrote " + out.toAbsolutePath());
        if (checkClaims) {
            int longest = settings.lengthFilters().stream().mapToInt(Integer::intValue).max().orElseThrow();
            PaperClaims claims = PaperClaims.check(result, longest);
            boolean all = claimsChecked == PaperClaims.Checked.ALL;
            String judged = all ? "the paper's claims" : "the paper's claim 1 (judged alone: --claims-checked "
                    + claimsChecked + "; claim 2 reported)";
            if (!claims.hold(claimsChecked)) {
                System.err.println("bleu-vs-length: " + judged + (all ? " do" : " does") + " not hold:\n"
                        + claims.report());
                return 1;
            }
            System.out.println("Checked: " + judged + (all ? " hold" : " holds") + ":\n" + claims.report());
        }
        return 0;
    }

    private ExperimentSettings settings() {
        ExperimentSettings.Builder b = (quick ? ExperimentSettings.quick() : ExperimentSettings.full()).toBuilder();
        if (seed != null) { b.seed(seed); }
        if (threads != null) { b.threads(threads); }
        if (updates != null) { b.updates(updates); }
        if (epochs != null) { b.epochs(epochs); }
        if (embedding != null) { b.embeddingSize(embedding); }
        if (hidden != null) { b.hiddenSize(hidden); }
        if (maxout != null) { b.maxoutSize(maxout); }
        if (attentionSize != null) { b.attentionSize(attentionSize); }
        if (vocabulary != null) { b.vocabularyWords(vocabulary); }
        if (subwords != null) { b.subwords(subwords); }
        if (optimizer != null) { b.optimizer(optimizer); }
        if (learningRate != null) { b.learningRate(learningRate); }
        if (learningRateDecay != null) { b.learningRateDecay(learningRateDecay); }
        if (clip != null) { b.clipNorm(clip); }
        if (batch != null) { b.batchSize(batch); }
        if (beam != null) { b.beamWidth(beam); }
        if (testLimit != null) { b.testLimit(testLimit); }
        if (bucketWidth != null) { b.bucketWidth(bucketWidth); }
        if (minBucket != null) { b.minBucketSentences(minBucket); }
        if (margin != null) { b.claimMargin(margin); }
        if (lengthFilters != null) { b.lengthFilters(lengthFilters); }
        return b.build();
    }
}
