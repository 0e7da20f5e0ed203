package org.recurrent4j.nn.engine;

import org.recurrent4j.compute.ComputeEngine;
import org.recurrent4j.compute.EngineProfile;
import org.recurrent4j.compute.cpu.CpuEngine;

/**
 * Which {@link ComputeEngine} the layers and the decoder compute on, and where a profile of its time is switched on:
 * <pre>
 *   EngineProfile profile = Engines.startProfiling();   // before the network is built (layers take their engine then)
 *   ... build, train ...
 *   System.out.println(profile.table(iterations, wallMillis));
 *   Engines.stopProfiling();
 * </pre>
 */
public final class Engines {
    private static volatile EngineProfile profile;
    private static volatile ComputeEngine profiled;

    private Engines() {
    }

    /** @return the engine new layers and decoders use (recording into the profile while one is on) */
    public static ComputeEngine current() {
        ComputeEngine p = profiled;
        return p != null ? p : CpuEngine.get();
    }

    /**
     * Records every engine call of the layers, decoders and vertices created from now on (they keep the engine they
     * were created with) until {@link #stopProfiling}; a profile already on is returned as it is.
     *
     * @return the profile
     */
    public static synchronized EngineProfile startProfiling() {
        if (profile == null) {
            profile = new EngineProfile();
            profiled = profile.record(CpuEngine.get());
        }
        return profile;
    }

    /** Layers and decoders created from now on compute without a profile (those created before keep theirs). */
    public static synchronized void stopProfiling() {
        profile = null;
        profiled = null;
    }
}
