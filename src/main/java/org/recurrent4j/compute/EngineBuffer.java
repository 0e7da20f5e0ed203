package org.recurrent4j.compute;

/**
 * Memory that an engine allocated (host memory for the CPU engine, device memory for a GPU engine). It is freed by
 * {@link #close()} or, failing that, when it becomes unreachable.
 */
public interface EngineBuffer extends AutoCloseable {

    /** @return the byte address of the first element */
    long address();

    /** @return the capacity in elements */
    long capacity();

    /** @return the element type */
    Precision precision();

    /** @return a row-major [rows, cols] view of the first rows·cols elements */
    default Matrix matrix(long rows, long cols) {
        if (rows * cols > capacity()) {
            throw new IllegalArgumentException("EngineBuffer of " + capacity() + " elements cannot hold [" + rows + ", "
                    + cols + "]");
        }
        return Matrix.rowMajor(address(), precision(), rows, cols);
    }

    @Override
    void close();
}
