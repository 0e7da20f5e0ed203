package org.recurrent4j.data.bible;

import org.apache.commons.compress.archivers.ar.ArArchiveEntry;
import org.apache.commons.compress.archivers.ar.ArArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.recurrent4j.data.DataFileException;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads files out of a Debian binary package (an {@code ar} archive whose {@code data.tar.xz} or
 * {@code data.tar.gz} member holds the installed files), in Java, without dpkg.
 */
final class DebPackage {

    private static final String COMPONENT = "DebPackage";

    private DebPackage() {
    }

    /**
     * @param deb       the {@code .deb} file
     * @param directory a directory inside the package, e.g. {@code usr/share/sword/modules/texts/ztext/engKJV2006eb/}
     * @return the regular files directly or indirectly under {@code directory}, by path relative to it
     * @throws DataFileException if the package is missing, not a .deb, or has nothing under {@code directory}
     */
    public static Map<String, byte[]> extract(Path deb, String directory) {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(deb));
             ArArchiveInputStream ar = new ArArchiveInputStream(raw)) {
            ArArchiveEntry entry;
            while ((entry = ar.getNextArEntry()) != null) {
                String name = entry.getName();
                if (name.equals("data.tar.xz")) {
                    return readTar(deb, new XZCompressorInputStream(ar), directory);
                }
                if (name.equals("data.tar.gz")) {
                    return readTar(deb, new GzipCompressorInputStream(ar), directory);
                }
                if (name.startsWith("data.tar")) {
                    throw new DataFileException(COMPONENT, deb, 0, "unsupported member " + name
                            + "; expected data.tar.xz or data.tar.gz");
                }
            }
            throw new DataFileException(COMPONENT, deb, 0, "no data.tar.* member; not a Debian binary package?");
        } catch (NoSuchFileException e) {
            throw new DataFileException(COMPONENT, deb, 0, "file does not exist", e);
        } catch (IOException e) {
            throw new DataFileException(COMPONENT, deb, 0, "cannot read the package: " + e, e);
        }
    }

    private static Map<String, byte[]> readTar(Path deb, InputStream compressed, String directory) throws IOException {
        String prefix = directory.endsWith("/") ? directory : directory + "/";
        Map<String, byte[]> files = new TreeMap<>();
        TarArchiveInputStream tar = new TarArchiveInputStream(compressed);
        TarArchiveEntry e;
        while ((e = tar.getNextTarEntry()) != null) {
            String name = e.getName().startsWith("./") ? e.getName().substring(2) : e.getName();
            if (e.isFile() && name.startsWith(prefix)) {
                files.put(name.substring(prefix.length()), tar.readAllBytes());
            }
        }
        if (files.isEmpty()) {
            throw new DataFileException(COMPONENT, deb, 0, "no files under " + prefix);
        }
        return files;
    }
}
