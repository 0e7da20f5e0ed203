package org.recurrent4j.nn.convert;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Reading and writing {@code .npz} files (numpy's zip of {@code .npy} entries, one per array; {@code numpy.savez}
 * and {@code numpy.load}).
 */
final class NpzFiles {
    private static final String NPY = ".npy";
    /** Fixed entry time: the same arrays give the same bytes. */
    private static final LocalDateTime ENTRY_TIME = LocalDateTime.of(1980, 1, 1, 0, 0);

    private NpzFiles() {
    }

    /** @return the arrays of an npz by name (without ".npy"), with ND4J's own reader, sorted by name */
    static Map<String, INDArray> read(Path npz) throws IOException {
        if (!Files.isRegularFile(npz)) {
            throw new IOException(npz + ": no such file");
        }
        Map<String, INDArray> raw;
        try {
            raw = Nd4j.createFromNpzFile(npz.toFile());
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(npz + ": not a readable .npz file (" + e.getMessage() + ")", e);
        }
        Map<String, INDArray> m = new TreeMap<>();
        raw.forEach((k, v) -> m.put(k.endsWith(NPY) ? k.substring(0, k.length() - NPY.length()) : k, v));
        return m;
    }

    /**
     * Writes arrays (in map order, each as c-order {@code .npy} under its name + ".npy") into {@code npz}, atomically:
     * to a temporary file in the same directory, then renamed over {@code npz}.
     */
    static void writeAtomically(Path npz, Map<String, INDArray> arrays) throws IOException {
        Path target = npz.toAbsolutePath();
        Path tmp = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".tmp");
        try {
            try (OutputStream out = Files.newOutputStream(tmp); ZipOutputStream zip = new ZipOutputStream(out)) {
                for (Map.Entry<String, INDArray> e : new LinkedHashMap<>(arrays).entrySet()) {
                    byte[] npy = Nd4j.toNpyByteArray(e.getValue().dup('c'));
                    CRC32 crc = new CRC32();
                    crc.update(npy);
                    ZipEntry entry = new ZipEntry(e.getKey() + NPY);
                    entry.setMethod(ZipEntry.STORED);   // as numpy.savez; ND4J's reader reads stored entries only
                    entry.setSize(npy.length);
                    entry.setCompressedSize(npy.length);
                    entry.setCrc(crc.getValue());
                    entry.setTimeLocal(ENTRY_TIME);
                    zip.putNextEntry(entry);
                    zip.write(npy);
                    zip.closeEntry();
                }
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
