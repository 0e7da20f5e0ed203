package org.recurrent4j.data.bible;

import org.recurrent4j.data.DataFileException;
import org.recurrent4j.data.LengthStatistics;
import org.recurrent4j.data.io.TextFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;

/**
 * Builds the English→Spanish Bible corpus from Debian's SWORD packages, byte for byte reproducibly:
 * verifies the .deb files against their pinned SHA-256, reads the zText modules with the project's own
 * {@link ZTextModule} (no SWORD library), aligns by verse slot ({@link AlignedBible}), splits by chapter
 * ({@link BibleSplit}) and writes, per split, line-aligned gzip files {@code <split>.en.gz},
 * {@code <split>.es.gz} and {@code <split>.ref.gz} (OSIS verse ids) plus a generated {@code README.md} with
 * provenance, checksums and length statistics. The gzip streams carry no file name and mtime 0, so equal
 * content gives equal bytes.
 */
public final class BibleCorpusPreparer {

    private static final Logger LOG = LoggerFactory.getLogger(BibleCorpusPreparer.class);

    /** A pinned Debian package holding one SWORD module. */
    public record SwordPackage(String name, String version, String sha256, String module, String language) {
        /** @return the name of the .deb file as {@code apt-get download} saves it */
        public String debFileName() {
            return name + "_" + version + "_all.deb";
        }
    }

    /** King James Version (1769 text), English source side. */
    public static final SwordPackage KJV = new SwordPackage("sword-text-kjv", "14.3-1",
            "9f463f28ce665f6f528fc723179722bced880a4c5485f7a41bf742838315de57", "engKJV2006eb", "en");
    /** Reina-Valera 1909, Spanish target side. */
    public static final SwordPackage RV1909 = new SwordPackage("sword-text-sparv", "2.60-1",
            "5c87f9b2bc97457e8a872f5bae7ea7ce59cb3de1dcee73e4d4740451863694cf", "spaRV1909eb", "es");

    /** Words of the cleaned text are separated by single spaces; statistics count those words. */
    private static final String LENGTH_UNIT = "space-separated words of the cleaned text (punctuation stays attached)";

    private BibleCorpusPreparer() {
    }

    /** What was written. */
    public record Report(AlignedBible bible, Map<BibleSplit, List<AlignedBible.AlignedVerse>> splits,
                         Map<String, String> fileSha256) {
    }

    /**
     * Reads a module out of its .deb after checking the package's SHA-256 and its declared versification.
     *
     * @throws DataFileException if the file is missing, its checksum differs from the pinned one, or it does
     *                           not declare {@code Versification=KJV}
     */
    static ZTextModule loadModule(Path deb, SwordPackage pkg) {
        String actual = sha256(readAll(deb));
        if (!actual.equals(pkg.sha256())) {
            throw new DataFileException("BibleCorpusPreparer", deb, 0, "SHA-256 " + actual + " differs from the pinned "
                    + pkg.sha256() + " of " + pkg.name() + " " + pkg.version()
                    + "; the corpus is only reproducible from exactly that package");
        }
        Map<String, byte[]> confs = DebPackage.extract(deb, "usr/share/sword/mods.d/");
        byte[] conf = confs.get(pkg.module() + ".conf");
        if (conf == null || !new String(conf, StandardCharsets.UTF_8).lines().anyMatch("Versification=KJV"::equals)) {
            throw new DataFileException("BibleCorpusPreparer", deb, 0, "module " + pkg.module()
                    + " has no conf declaring Versification=KJV; found " + confs.keySet());
        }
        Map<String, byte[]> files = DebPackage.extract(deb, "usr/share/sword/modules/texts/ztext/" + pkg.module() + "/");
        return new ZTextModule(pkg.module(), files, KjvVersification.kjv());
    }

    /**
     * Downloads the pinned version of {@code pkg} with {@code apt-get download} into {@code dir}.
     *
     * @return the .deb file
     * @throws IllegalStateException if apt-get fails (its output is in the message)
     */
    public static Path download(SwordPackage pkg, Path dir) {
        try {
            Files.createDirectories(dir);
            Process p = new ProcessBuilder("apt-get", "download", pkg.name() + "=" + pkg.version())
                    .directory(dir.toFile()).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IllegalStateException("BibleCorpusPreparer: 'apt-get download " + pkg.name() + "="
                        + pkg.version() + "' failed in " + dir + ": " + output.strip()
                        + " (run 'apt-get update' first, or pass the .deb files)");
            }
            return dir.resolve(pkg.debFileName());
        } catch (IOException e) {
            throw new IllegalStateException("BibleCorpusPreparer: cannot run apt-get: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("BibleCorpusPreparer: interrupted while downloading " + pkg.name(), e);
        }
    }

    /** Builds the corpus from the two .deb files into {@code outDir} (created if needed; files replaced). */
    public static Report prepare(Path kjvDeb, Path rv1909Deb, Path outDir) {
        ZTextModule en = loadModule(kjvDeb, KJV);
        ZTextModule es = loadModule(rv1909Deb, RV1909);
        AlignedBible bible = AlignedBible.align(en, es, KjvVersification.kjv());
        Map<BibleSplit, List<AlignedBible.AlignedVerse>> splits = new EnumMap<>(BibleSplit.class);
        for (BibleSplit s : BibleSplit.values()) {
            splits.put(s, new ArrayList<>());
        }
        for (AlignedBible.AlignedVerse v : bible.verses()) {
            splits.get(BibleSplit.of(v.ref())).add(v);
        }
        Map<String, String> sums = new LinkedHashMap<>();
        for (BibleSplit s : BibleSplit.values()) {
            List<AlignedBible.AlignedVerse> vs = splits.get(s);
            sums.put(writeGzipLines(outDir, s.fileStem() + ".en.gz", vs.stream().map(AlignedBible.AlignedVerse::source).toList()), null);
            sums.put(writeGzipLines(outDir, s.fileStem() + ".es.gz", vs.stream().map(AlignedBible.AlignedVerse::target).toList()), null);
            sums.put(writeGzipLines(outDir, s.fileStem() + ".ref.gz", vs.stream().map(v -> v.ref().toString()).toList()), null);
        }
        for (String name : List.copyOf(sums.keySet())) {
            sums.put(name, sha256(readAll(outDir.resolve(name))));
        }
        Report report = new Report(bible, splits, sums);
        byte[] readme = readme(report).getBytes(StandardCharsets.UTF_8);
        TextFiles.writeAtomically(outDir.resolve("README.md"), out -> out.write(readme));
        LOG.info("Bible corpus: {} aligned verses ({} train, {} dev, {} test) written to {}", bible.verses().size(),
                splits.get(BibleSplit.TRAIN).size(), splits.get(BibleSplit.DEV).size(),
                splits.get(BibleSplit.TEST).size(), outDir);
        return report;
    }

    /** @return the length statistics of one side ({@code source} or not) of {@code verses} */
    public static LengthStatistics lengths(List<AlignedBible.AlignedVerse> verses, boolean source) {
        return LengthStatistics.of(verses.stream()
                .map(v -> (source ? v.source() : v.target()).split(" ").length).toList());
    }

    private static String writeGzipLines(Path dir, String name, List<String> lines) {
        TextFiles.writeAtomically(dir.resolve(name), out -> {
            // GZIPOutputStream writes mtime 0 and no file name: the bytes depend on the content only
            try (OutputStream gz = new GZIPOutputStream(new NonClosing(out), 1 << 16)) {
                for (String line : lines) {
                    gz.write(line.getBytes(StandardCharsets.UTF_8));
                    gz.write('\n');
                }
            }
        });
        return name;
    }

    private static String readme(Report r) {
        StringBuilder sb = new StringBuilder();
        AlignedBible b = r.bible();
        sb.append("# bible-en-es: King James Version → Reina-Valera 1909, aligned by verse\n\n");
        sb.append("Generated by `recurrent4j prepare-bible` (class `org.recurrent4j.data.bible.BibleCorpusPreparer`);\n");
        sb.append("do not edit. Rebuild byte for byte with\n\n");
        sb.append("```\nmvn -q compile exec:java -Dexec.mainClass=org.recurrent4j.cli.Main \\\n    -Dexec.args=\"prepare-bible --out datasets/bible-en-es\"\n```\n\n");
        sb.append("(or `--kjv-deb FILE --rv1909-deb FILE` to use local packages; without them it runs `apt-get download`).\n\n");
        sb.append("## Sources (Debian bookworm, main)\n\n");
        sb.append("| package | version | SWORD module | .deb SHA-256 | language | license |\n|---|---|---|---|---|---|\n");
        for (SwordPackage p : List.of(KJV, RV1909)) {
            sb.append("| `").append(p.name()).append("` | ").append(p.version()).append(" | ").append(p.module())
                    .append(" | `").append(p.sha256()).append("` | ").append(p.language())
                    .append(" | public domain (module conf: `DistributionLicense=Public Domain`) |\n");
        }
        sb.append("\nBoth modules declare `Versification=KJV`, so verse slots align one to one. The zText files are read\n");
        sb.append("by the project's own reader; each verse's OSIS markup is cleaned as `OsisCleaner` documents (notes\n");
        sb.append("and titles dropped, tags stripped, entities unescaped, `\\nd` markers and `¶` removed, white space folded).\n");
        sb.append(String.format(Locale.ROOT, "Of %d verse slots, %d are aligned; skipped because empty: %d English only,"
                        + " %d Spanish only, %d both.%n%n", KjvVersification.kjv().verses().size(), b.verses().size(),
                b.emptySource(), b.emptyTarget(), b.emptyBoth()));
        sb.append("## Split\n\nBy whole chapters, `c` = 0-based chapter ordinal in canonical order (Genesis 1 = 0):\n");
        sb.append("`c % 30 == 7` → test, `c % 30 == 22` → dev, otherwise train.\n\n");
        sb.append("## Files\n\nOne verse per line, UTF-8, `\\n`; `<split>.ref.gz` holds the OSIS verse id of each line.\n\n");
        sb.append("| file | lines | SHA-256 of the .gz |\n|---|---|---|\n");
        for (Map.Entry<String, String> e : r.fileSha256().entrySet()) {
            BibleSplit split = BibleSplit.valueOf(e.getKey().substring(0, e.getKey().indexOf('.')).toUpperCase(Locale.ROOT));
            sb.append("| `").append(e.getKey()).append("` | ").append(r.splits().get(split).size()).append(" | `")
                    .append(e.getValue()).append("` |\n");
        }
        sb.append("\n## Sentence lengths\n\nLength = ").append(LENGTH_UNIT).append(".\n\n");
        sb.append("| split | side | pairs | mean | p90 | max | > 30 | > 50 |\n|---|---|---|---|---|---|---|---|\n");
        Map<String, List<AlignedBible.AlignedVerse>> rows = new LinkedHashMap<>();
        for (BibleSplit s : BibleSplit.values()) {
            rows.put(s.fileStem(), r.splits().get(s));
        }
        rows.put("all", b.verses());
        for (Map.Entry<String, List<AlignedBible.AlignedVerse>> e : rows.entrySet()) {
            for (boolean source : new boolean[]{true, false}) {
                LengthStatistics st = lengths(e.getValue(), source);
                sb.append(String.format(Locale.ROOT, "| %s | %s | %d | %.2f | %d | %d | %.2f%% | %.2f%% |%n",
                        e.getKey(), source ? "en" : "es", st.count(), st.mean(), st.p90(), st.max(),
                        100 * st.shareOver30(), 100 * st.shareOver50()));
            }
        }
        return sb.toString();
    }

    private static byte[] readAll(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new DataFileException("BibleCorpusPreparer", file, 0, "file does not exist", e);
        } catch (IOException e) {
            throw new UncheckedIOException("BibleCorpusPreparer: cannot read " + file, e);
        }
    }

    /** @return the lowercase hex SHA-256 of {@code data} */
    public static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /** Lets the gzip stream finish without closing the atomic writer's stream. */
    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
