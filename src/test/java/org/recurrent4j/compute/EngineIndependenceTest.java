package org.recurrent4j.compute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The compute engine depends on no ND4J, DL4J or DataVec type and on nothing of Recurrent4j outside
 * {@code org.recurrent4j.compute}: a GPU implementation must slot in beside the CPU one, and the engine's tests must
 * run where ND4J cannot travel. Read from the sources (Maven runs tests in the project directory).
 */
class EngineIndependenceTest {
    private static final Path ENGINE_SOURCES = Path.of("src/main/java/org/recurrent4j/compute");
    private static final Pattern FORBIDDEN = Pattern.compile(
            "\\b(org\\.nd4j|org\\.deeplearning4j|org\\.datavec|org\\.recurrent4j\\.(?!compute\\b)\\w+)\\.");

    @Test
    void theEngineNamesNoNd4jDl4jOrOuterPackageType() throws IOException {
        List<Path> sources;
        try (Stream<Path> files = Files.walk(ENGINE_SOURCES)) {
            sources = files.filter(f -> f.toString().endsWith(".java")).toList();
        }
        assertTrue(sources.size() > 20, "engine sources not found under " + ENGINE_SOURCES.toAbsolutePath());
        List<String> offences = sources.stream().flatMap(EngineIndependenceTest::offendingLines).toList();
        assertEquals(List.of(), offences);
    }

    private static Stream<String> offendingLines(Path source) {
        try {
            List<String> lines = Files.readAllLines(source, StandardCharsets.UTF_8);
            return java.util.stream.IntStream.range(0, lines.size())
                    .filter(i -> FORBIDDEN.matcher(lines.get(i)).find())
                    .mapToObj(i -> source + ":" + (i + 1) + ": " + lines.get(i).strip());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
