package org.recurrent4j.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class GpuSupportTest {

    @Test
    void computeCapabilitiesTheCuda116BuildRunsOn() {
        assertTrue(GpuSupport.canRun(3, 7), "K80");
        assertTrue(GpuSupport.canRun(7, 0), "V100");
        assertTrue(GpuSupport.canRun(8, 0), "A100");
        assertTrue(GpuSupport.canRun(8, 6), "RTX 30xx / A10");
        assertTrue(GpuSupport.canRun(8, 9), "Ada runs sm_86 code");
        assertFalse(GpuSupport.canRun(9, 0), "H100/H200");
        assertFalse(GpuSupport.canRun(10, 0), "Blackwell");
        assertFalse(GpuSupport.canRun(3, 5), "K40: sm_35 not in the build");
    }

    @Test
    void translatesTheHopperErrorAndNothingElse() {
        GpuSupport.Device h100 = new GpuSupport.Device("NVIDIA H100 80GB HBM3", 9, 0);
        // what ND4J throws on Hopper, wrapped as it arrives from the executioner
        RuntimeException cuda = new RuntimeException("Op [mmul] execution failed",
                new RuntimeException("cudaErrorNoKernelImageForDevice: " + GpuSupport.NO_KERNEL_IMAGE));
        RuntimeException translated = GpuSupport.translate(cuda, h100);
        assertInstanceOf(UnsupportedGpuException.class, translated);
        assertTrue(translated.getMessage().contains("NVIDIA H100 80GB HBM3 (sm_90)"), translated.getMessage());
        assertTrue(translated.getMessage().contains("Use the CPU backend"), translated.getMessage());
        assertSame(cuda, translated.getCause());

        RuntimeException other = new IllegalStateException("out of memory");
        assertSame(other, GpuSupport.translate(other, h100));
    }

    @Test
    void readsDevicesFromNd4jEnvironmentInformation() {
        Properties env = new Properties();
        env.put("backend", "CUDA");
        env.put("cuda.devicesInformation", List.of(Map.of("cuda.deviceName", "NVIDIA H200", "cuda.deviceMajor", 9,
                "cuda.deviceMinor", 0)));
        assertEquals(List.of(new GpuSupport.Device("NVIDIA H200", 9, 0)), GpuSupport.devices(env));
    }

    @Test
    void cpuBackendPassesTheCheck() {
        GpuSupport.checkBackend();
    }
}
