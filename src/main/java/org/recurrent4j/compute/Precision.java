package org.recurrent4j.compute;

/** The element types the engine computes in. */
public enum Precision {
    /** IEEE single precision (the training path) */
    FLOAT32(4),
    /** IEEE double precision (gradient checks and references) */
    FLOAT64(8);

    private final int bytes;

    Precision(int bytes) {
        this.bytes = bytes;
    }

    /** @return the size of one element in bytes */
    public int bytes() {
        return bytes;
    }
}
