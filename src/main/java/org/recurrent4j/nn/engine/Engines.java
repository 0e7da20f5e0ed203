package org.recurrent4j.nn.engine;

import org.recurrent4j.compute.ComputeEngine;
import org.recurrent4j.compute.cpu.CpuEngine;

/** Which {@link ComputeEngine} the layers and the decoder compute on. */
public final class Engines {
    private Engines() {
    }

    /** @return the engine new layers and decoders use */
    public static ComputeEngine current() {
        return CpuEngine.get();
    }
}
