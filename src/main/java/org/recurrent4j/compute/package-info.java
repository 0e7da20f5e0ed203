/**
 * The compute engine: the operations the recurrent layers, the truncated-BPTT hooks and the attention decoder spend
 * their time in, at the granularity of a time step and of a sequence, on raw memory.
 *
 * <ul>
 *   <li>{@link org.recurrent4j.compute.ComputeEngine}: products (GEMM, batched GEMM), moves and reductions, and the
 *       fused element-wise step math of each cell (GRU in both forms, LSTM, Elman's activations), masks, and the
 *       attention kernels (additive hidden layer, masked softmax, maxout), on {@link org.recurrent4j.compute.Matrix}
 *       and {@link org.recurrent4j.compute.Tensor3} views (an address, a shape, strides).</li>
 *   <li>Built on it, engine-independent: the cells ({@link org.recurrent4j.compute.ElmanKernel},
 *       {@link org.recurrent4j.compute.GruKernel}, {@link org.recurrent4j.compute.LstmKernel}), the time loop of the
 *       layers ({@link org.recurrent4j.compute.RecurrentSequence}), attention
 *       ({@code org.recurrent4j.compute.attention}) and the decoder ({@code org.recurrent4j.compute.decoder}).</li>
 *   <li>{@code org.recurrent4j.compute.cpu}: the CPU engine (OpenBLAS, vectorizable Java loops).</li>
 * </ul>
 *
 * <p>Nothing here depends on ND4J: the engine's tests and a GPU implementation need only JavaCPP. The ND4J glue (views
 * of ND4J arrays as matrices, DL4J layers and vertices) lives in {@code org.recurrent4j.nn}.
 */
package org.recurrent4j.compute;
