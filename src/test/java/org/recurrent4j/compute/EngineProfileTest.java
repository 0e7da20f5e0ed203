package org.recurrent4j.compute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.recurrent4j.compute.EngineProfile.Entry;

/**
 * {@link EngineProfile}: a recording engine computes what the engine it wraps computes, counts every call per
 * operation and every product per shape with its floating-point operations, passes the engine's exceptions on as they
 * are, forgets on {@code reset}, and tabulates per iteration with the time outside the engine.
 */
class EngineProfileTest extends EngineTestSupport {
    private static Map<String, Entry> byOperation(EngineProfile profile) {
        return profile.entries().stream().collect(Collectors.toMap(Entry::operation, e -> e));
    }

    @Test
    void recordsEachCallAndComputesWhatTheEngineComputes() {
        EngineProfile profile = new EngineProfile();
        ComputeEngine recorded = profile.record(ENGINE);
        double[][] a = random(5, 7, 1);
        double[][] b = random(7, 4, 1);
        Matrix expected = nans(Precision.FLOAT64, Layout.ROWS, 5, 4);
        Matrix actual = nans(Precision.FLOAT64, Layout.ROWS, 5, 4);
        ENGINE.gemm(1, matrix(Precision.FLOAT64, Layout.ROWS, a), false, matrix(Precision.FLOAT64, Layout.ROWS, b),
                false, 0, expected);
        recorded.gemm(1, matrix(Precision.FLOAT64, Layout.ROWS, a), false, matrix(Precision.FLOAT64, Layout.ROWS, b),
                false, 0, actual);
        assertClose(read(expected), actual, 0, "recorded gemm");
        Matrix x = matrix(Precision.FLOAT32, Layout.ROWS, random(3, 4, 1));
        Matrix y = nans(Precision.FLOAT32, Layout.COLUMNS, 3, 4);
        recorded.copy(x, y);
        recorded.copy(x, y);
        recorded.activation(Nonlinearity.TANH, y, y);

        Map<String, Entry> ops = byOperation(profile);
        assertEquals(3, ops.size(), ops.toString());
        Entry gemm = ops.get("gemm [5 × 7]·[7 × 4]");
        assertEquals(1, gemm.calls());
        assertEquals(2.0 * 5 * 7 * 4, gemm.flops());
        assertEquals(2, ops.get("copy").calls());
        assertEquals(1, ops.get("activation").calls());
        assertEquals(0, ops.get("copy").flops());
        assertTrue(Double.isNaN(ops.get("copy").gflopsPerSecond()));
        assertTrue(profile.totalMillis() > 0);
        List<Entry> entries = profile.entries();
        for (int i = 1; i < entries.size(); i++) {
            assertTrue(entries.get(i - 1).millis() >= entries.get(i).millis(), "most time first: " + entries);
        }
    }

    @Test
    void passesTheEnginesExceptionsOnAsTheyAre() {
        EngineProfile profile = new EngineProfile();
        ComputeEngine recorded = profile.record(ENGINE);
        Matrix a = nans(Precision.FLOAT32, Layout.ROWS, 2, 3);
        Matrix c = nans(Precision.FLOAT32, Layout.ROWS, 2, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> recorded.gemm(1, a, false, a, false, 0, c));
        assertTrue(e.getMessage().startsWith("gemm:"), e.getMessage());
    }

    @Test
    void resetForgetsAndTheTableAddsTheTimeOutsideTheEngine() {
        EngineProfile profile = new EngineProfile();
        ComputeEngine recorded = profile.record(ENGINE);
        Matrix x = nans(Precision.FLOAT64, Layout.ROWS, 2, 2);
        recorded.fill(x, 1);
        recorded.fill(x, 2);
        profile.reset();
        assertEquals(List.of(), profile.entries());
        recorded.fill(x, 3);
        double engineMs = profile.totalMillis();
        String table = profile.table(4, engineMs + 10);
        assertTrue(table.startsWith("| operation | calls / iteration | ms / iteration | share | GFLOP/s |"), table);
        assertTrue(table.contains("| fill | 0.3 |"), table);
        assertTrue(table.contains(String.format(java.util.Locale.ROOT, "| (outside the engine) |  | %.3f |", 2.5)),
                table);
        assertTrue(table.contains("| (whole iteration) |"), table);
    }

    @Test
    void describesItselfAsTheEngineItRecordsAndIsEqualOnlyToItself() {
        EngineProfile profile = new EngineProfile();
        ComputeEngine recorded = profile.record(ENGINE);
        assertEquals(ENGINE.describe(), recorded.describe());
        assertEquals("profiled " + ENGINE.describe(), recorded.toString());
        assertEquals(recorded, recorded);
        assertNotEquals(profile.record(ENGINE), recorded);
        assertSame(ENGINE.sharesHostMemory(), recorded.sharesHostMemory());
    }
}
