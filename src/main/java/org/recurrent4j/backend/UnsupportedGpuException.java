package org.recurrent4j.backend;

/** The GPU cannot run ND4J's CUDA build; the message says why and what to do instead. */
public class UnsupportedGpuException extends RuntimeException {
    public UnsupportedGpuException(String message) {
        super(message);
    }
}
