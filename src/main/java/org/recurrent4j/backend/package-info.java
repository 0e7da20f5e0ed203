/**
 * A start-up check of ND4J's backend. {@link org.recurrent4j.backend.GpuSupport#checkBackend()} does nothing on the
 * CPU backend. On the CUDA backend (Maven profile {@code cuda}) it throws an
 * {@link org.recurrent4j.backend.UnsupportedGpuException} on a GPU that ND4J's CUDA build has no kernels for (Hopper
 * or newer, for example); the message says what to do instead. Without the check, such a GPU fails with a CUDA error
 * deep inside the first layer. The command line runs it before every command that computes.
 */
package org.recurrent4j.backend;
