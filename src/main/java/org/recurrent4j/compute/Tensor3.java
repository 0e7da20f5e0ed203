package org.recurrent4j.compute;

import java.util.Arrays;

/**
 * A strided 3-d view of engine memory, e.g. a DL4J sequence {@code [minibatch, size, time]} (NCW) or
 * {@code [minibatch, time, size]} (NWC) in any element order: element {@code (i, j, k)} lies at
 * {@code address + (i·stride0 + j·stride1 + k·stride2)·bytes}.
 *
 * @param address   byte address of element (0, 0, 0)
 * @param precision element type
 * @param shape     the three sizes
 * @param strides   the three strides, in elements
 */
public record Tensor3(long address, Precision precision, long[] shape, long[] strides) {

    public Tensor3 {
        if (shape.length != 3 || strides.length != 3) {
            throw new IllegalArgumentException("Tensor3: shape and strides need 3 entries; got shape "
                    + Arrays.toString(shape) + ", strides " + Arrays.toString(strides));
        }
        shape = shape.clone();
        strides = strides.clone();
    }

    /** @return size of dimension d */
    public long size(int d) {
        return shape[d];
    }

    /** @return stride of dimension d in elements */
    public long stride(int d) {
        return strides[d];
    }

    /** @return the byte address of element (i, j, k) */
    public long at(long i, long j, long k) {
        return address + (i * strides[0] + j * strides[1] + k * strides[2]) * precision.bytes();
    }

    /** @return the view with dimensions reordered: dimension k of the result is dimension {@code order[k]} of this */
    public Tensor3 permute(int... order) {
        return new Tensor3(address, precision, new long[] {shape[order[0]], shape[order[1]], shape[order[2]]},
                new long[] {strides[order[0]], strides[order[1]], strides[order[2]]});
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Tensor3 t && t.address == address && t.precision == precision
                && Arrays.equals(t.shape, shape) && Arrays.equals(t.strides, strides);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(address) * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return "Tensor3" + Arrays.toString(shape) + " strides " + Arrays.toString(strides) + " " + precision;
    }
}
