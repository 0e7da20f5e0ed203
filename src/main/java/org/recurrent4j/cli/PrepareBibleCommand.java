package org.recurrent4j.cli;

import org.recurrent4j.data.LengthStatistics;
import org.recurrent4j.data.bible.BibleCorpusPreparer;
import org.recurrent4j.data.bible.BibleSplit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code prepare-bible}: builds the verse-aligned English→Spanish corpus ({@code datasets/bible-en-es}) from
 * the Debian packages {@code sword-text-kjv} and {@code sword-text-sparv}, byte for byte reproducibly.
 */
@Command(name = "prepare-bible", mixinStandardHelpOptions = true,
        description = "Build the verse-aligned KJV -> Reina-Valera 1909 corpus from Debian's SWORD packages.")
public final class PrepareBibleCommand implements Callable<Integer> {

    @Option(names = "--out", required = true, description = "output directory, e.g. datasets/bible-en-es")
    Path out;

    @Option(names = "--kjv-deb", description = "sword-text-kjv_14.3-1_all.deb; downloaded with apt-get if absent")
    Path kjvDeb;

    @Option(names = "--rv1909-deb", description = "sword-text-sparv_2.60-1_all.deb; downloaded with apt-get if absent")
    Path rv1909Deb;

    @Override
    public Integer call() throws IOException {
        Path tmp = null;
        if (kjvDeb == null || rv1909Deb == null) {
            tmp = Files.createTempDirectory("recurrent4j-debs");
            if (kjvDeb == null) {
                kjvDeb = BibleCorpusPreparer.download(BibleCorpusPreparer.KJV, tmp);
            }
            if (rv1909Deb == null) {
                rv1909Deb = BibleCorpusPreparer.download(BibleCorpusPreparer.RV1909, tmp);
            }
        }
        BibleCorpusPreparer.Report r = BibleCorpusPreparer.prepare(kjvDeb, rv1909Deb, out);
        System.out.printf(Locale.ROOT, "aligned %d verses (skipped empty: en %d, es %d, both %d) into %s%n",
                r.bible().verses().size(), r.bible().emptySource(), r.bible().emptyTarget(), r.bible().emptyBoth(), out);
        for (BibleSplit s : BibleSplit.values()) {
            for (boolean source : new boolean[]{true, false}) {
                LengthStatistics st = BibleCorpusPreparer.lengths(r.splits().get(s), source);
                System.out.printf(Locale.ROOT, "%-5s %s pairs %5d  mean %.2f  p90 %d  max %d  >30 %.2f%%  >50 %.2f%%%n",
                        s.fileStem(), source ? "en" : "es", st.count(), st.mean(), st.p90(), st.max(),
                        100 * st.shareOver30(), 100 * st.shareOver50());
            }
        }
        if (tmp != null) {
            try (var files = Files.list(tmp)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
            Files.delete(tmp);
        }
        return 0;
    }
}
