package org.recurrent4j.experiment;

import org.nd4j.linalg.factory.Nd4j;
import org.recurrent4j.nn.engine.Engines;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The machine a run used, for results.
 *
 * @param cores      processors available to the JVM
 * @param cpu        CPU model ({@code /proc/cpuinfo}), or "unknown"
 * @param os         OS name, version and architecture
 * @param java       Java version and vendor
 * @param backend    ND4J backend class
 * @param engine     the compute engine under the layers and the decoder, with the library of its products
 * @param ompThreads the {@code OMP_NUM_THREADS} environment variable, or "unset"
 */
public record MachineInfo(int cores, String cpu, String os, String java, String backend, String engine,
                          String ompThreads) {

    /** @return this machine's facts */
    public static MachineInfo current() {
        return new MachineInfo(Runtime.getRuntime().availableProcessors(), cpuModel(),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                        + System.getProperty("os.arch"),
                System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")",
                Nd4j.getBackend().getClass().getSimpleName(), Engines.current().describe(),
                Optional.ofNullable(System.getenv("OMP_NUM_THREADS")).orElse("unset"));
    }

    /**
     * @return one line: {@code 2 cores (…), Linux …, Java …, ND4J CpuBackend, compute engine cpu (…),
     *     OMP_NUM_THREADS=1}
     */
    public String describe() {
        return cores + " cores (" + cpu + "), " + os + ", Java " + java + ", ND4J " + backend + ", compute engine "
                + engine + ", OMP_NUM_THREADS=" + ompThreads;
    }

    private static String cpuModel() {
        Path info = Path.of("/proc/cpuinfo");
        if (!Files.isReadable(info)) {
            return "unknown";
        }
        try (Stream<String> lines = Files.lines(info)) {
            return lines.filter(l -> l.startsWith("model name")).map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .findFirst().orElse("unknown");
        } catch (IOException | java.io.UncheckedIOException e) {
            return "unknown";
        }
    }
}
