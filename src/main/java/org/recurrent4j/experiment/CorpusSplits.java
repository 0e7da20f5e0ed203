package org.recurrent4j.experiment;

import org.recurrent4j.data.parallel.ParallelCorpus;
import org.recurrent4j.data.parallel.SentencePair;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Where the train / dev / test splits of a line-aligned parallel corpus lie: one gzip file per split and language,
 * named {@code <prefix><split>.<language>.gz}.
 *
 * @param name           a short name for results ({@code bible-en-es}, {@code wmt-en-fr})
 * @param directory      the folder holding the files
 * @param prefix         what precedes the split name ({@code ""} for the Bible, {@code "enfr."} for WMT)
 * @param sourceLanguage the source file suffix ({@code en})
 * @param targetLanguage the target file suffix ({@code es}, {@code fr})
 */
public record CorpusSplits(String name, Path directory, String prefix, String sourceLanguage, String targetLanguage) {

    /** The training split. */
    public static final String TRAIN = "train";
    /** The development split. */
    public static final String DEV = "dev";
    /** The test split. */
    public static final String TEST = "test";

    /** Checks that no part is null. */
    public CorpusSplits {
        Objects.requireNonNull(name, "CorpusSplits: name");
        Objects.requireNonNull(directory, "CorpusSplits: directory");
        Objects.requireNonNull(prefix, "CorpusSplits: prefix");
        Objects.requireNonNull(sourceLanguage, "CorpusSplits: sourceLanguage");
        Objects.requireNonNull(targetLanguage, "CorpusSplits: targetLanguage");
    }

    /** The project's English→Spanish Bible ({@code datasets/bible-en-es}: {@code train.en.gz}, …). */
    public static CorpusSplits bibleEnEs(Path directory) {
        return new CorpusSplits("bible-en-es", directory, "", "en", "es");
    }

    /**
     * WMT English→French news ({@code ../shared/datasets/wmt-newstest/news-splits}: {@code enfr.train.en.gz}, …;
     * train = newstest 2008–2012 + syscomb09, dev = newstest2013, test = newstest2014 as in Bahdanau et al. 2014).
     */
    public static CorpusSplits wmtEnFr(Path directory) {
        return new CorpusSplits("wmt-en-fr", directory, "enfr.", "en", "fr");
    }

    /** @return the file of {@code split} in {@code language} */
    public Path file(String split, String language) {
        return directory.resolve(prefix + split + "." + language + ".gz");
    }

    /**
     * Reads one split.
     *
     * @throws IllegalArgumentException if a file is missing (naming it and the corpus)
     */
    public List<SentencePair> read(String split) {
        Path source = file(split, sourceLanguage);
        Path target = file(split, targetLanguage);
        for (Path p : List.of(source, target)) {
            if (!Files.isRegularFile(p)) {
                throw new IllegalArgumentException("CorpusSplits " + name + ": no file " + p.toAbsolutePath()
                        + " for split '" + split + "'; expected " + prefix + split + ".{" + sourceLanguage + ","
                        + targetLanguage + "}.gz in " + directory.toAbsolutePath());
            }
        }
        return ParallelCorpus.readLineAligned(source, target);
    }
}
