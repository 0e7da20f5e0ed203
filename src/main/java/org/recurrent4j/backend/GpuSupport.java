package org.recurrent4j.backend;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Start-up check of ND4J's backend. On the CPU backend it does nothing. On ND4J's CUDA 11.6 backend (Maven
 * profile {@code cuda}) it reads each GPU's compute capability and fails early, with an explanation, on GPUs the
 * backend carries no machine code for: {@code libnd4jcuda.so} of 1.0.0-M2.1 has SASS for sm_37, 50, 52, 60, 61,
 * 70, 75, 80, 86 and no PTX, so a Hopper (H100/H200, sm_90) or newer GPU fails every kernel with
 * "no kernel image is available for execution on the device". Without this check a user sees that CUDA error
 * deep inside the first layer.
 */
public final class GpuSupport {
    private static final Logger log = LoggerFactory.getLogger(GpuSupport.class);

    /** The SASS architectures in ND4J 1.0.0-M2.1's CUDA 11.6 build (compute capability × 10). */
    public static final List<Integer> ND4J_CUDA_ARCHITECTURES = List.of(37, 50, 52, 60, 61, 70, 75, 80, 86);

    /** The CUDA error text a GPU without matching machine code produces. */
    public static final String NO_KERNEL_IMAGE = "no kernel image is available for execution on the device";

    private GpuSupport() {
    }

    /** One GPU as ND4J reports it. */
    public record Device(String name, int major, int minor) {
        /** @return e.g. "NVIDIA H100 80GB HBM3 (sm_90)" */
        @Override
        public String toString() {
            return name + " (sm_" + major + minor + ")";
        }
    }

    /**
     * Checks the active backend: on CUDA, every visible GPU must be one ND4J's build can run on, and a small op must
     * run. Throws {@link UnsupportedGpuException} (with what to do) otherwise.
     */
    public static void checkBackend() {
        Properties env = Nd4j.getExecutioner().getEnvironmentInformation();
        if (!"CUDA".equals(String.valueOf(env.get("backend")))) {
            return;
        }
        List<Device> devices = devices(env);
        for (Device d : devices) {
            if (!canRun(d.major(), d.minor())) {
                throw new UnsupportedGpuException(explanation(d));
            }
        }
        try {
            Nd4j.ones(DataType.FLOAT, 4, 4).mmul(Nd4j.ones(DataType.FLOAT, 4, 4)).addi(1.0).sumNumber();
        } catch (RuntimeException e) {
            throw translate(e, devices.isEmpty() ? null : devices.get(0));
        }
        log.info("ND4J CUDA backend on {}", devices);
    }

    /**
     * @return whether SASS for one of {@link #ND4J_CUDA_ARCHITECTURES} runs on a GPU of this compute capability
     *     (machine code runs on the same major version with an equal or higher minor version)
     */
    public static boolean canRun(int major, int minor) {
        return ND4J_CUDA_ARCHITECTURES.stream().anyMatch(a -> a / 10 == major && a % 10 <= minor);
    }

    /**
     * Turns the CUDA "no kernel image" error into an {@link UnsupportedGpuException} that says why and what to do;
     * any other exception is returned unchanged.
     */
    public static RuntimeException translate(RuntimeException error, Device device) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains(NO_KERNEL_IMAGE)) {
                UnsupportedGpuException e = new UnsupportedGpuException(explanation(device));
                e.initCause(error);
                return e;
            }
        }
        return error;
    }

    static String explanation(Device device) {
        String gpu = device == null ? "this GPU" : "the " + device;
        return "ND4J 1.0.0-M2.1's CUDA backend (nd4j-cuda-11.6) cannot run on " + gpu + ": its kernels are compiled only "
                + "for compute capabilities " + ND4J_CUDA_ARCHITECTURES + " (Kepler to Ampere/Ada) and ship no PTX, so CUDA "
                + "reports \"" + NO_KERNEL_IMAGE + "\". Hopper (sm_90) and newer GPUs are not supported by any ND4J release "
                + "on Maven Central. Use the CPU backend (build without -Pcuda), or a GPU of compute capability 3.7 to 8.9 "
                + "with a CUDA 11.6 runtime (README, section GPU).";
    }

    @SuppressWarnings("unchecked")
    static List<Device> devices(Properties env) {
        Object info = env.get("cuda.devicesInformation");
        if (!(info instanceof List<?> list)) {
            return Collections.emptyList();
        }
        List<Device> devices = new ArrayList<>();
        for (Object o : list) {
            Map<String, Object> m = (Map<String, Object>) o;
            devices.add(new Device(String.valueOf(m.get("cuda.deviceName")),
                    Integer.parseInt(String.valueOf(m.get("cuda.deviceMajor"))),
                    Integer.parseInt(String.valueOf(m.get("cuda.deviceMinor")))));
        }
        return devices;
    }
}
