/**
 * The CPU implementation of the compute engine ({@link org.recurrent4j.compute.cpu.CpuEngine}): products on the
 * matrices' memory ({@code CpuBlas}), float ones through oneDNN's sgemm ({@code FloatGemmLibrary}; OpenBLAS where
 * oneDNN is not available), double ones through OpenBLAS's CBLAS; every element-wise operation row by row in
 * Java ({@code CpuKernels}), written once over {@code RowMath} for float and double: a row's operands are copied into
 * the thread's working arrays, computed with loops the JIT vectorizes, and copied back. Float tanh and σ use a
 * rational approximation (absolute error ≤ 4e-7), double precision the exact functions.
 */
package org.recurrent4j.compute.cpu;
