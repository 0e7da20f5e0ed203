package org.recurrent4j.nn.engine;

import java.lang.ref.Reference;
import java.util.Arrays;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.indexer.DoubleIndexer;
import org.bytedeco.javacpp.indexer.FloatIndexer;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.recurrent4j.compute.Buffers;
import org.recurrent4j.compute.Matrix;
import org.recurrent4j.compute.Precision;
import org.recurrent4j.compute.Tensor3;

/**
 * The ND4J side of the compute engine: views of ND4J arrays as engine {@link Matrix} and {@link Tensor3} (the same
 * host memory, no copy), and back.
 *
 * <p>A view holds the address only. ND4J frees an array's memory once the garbage collector finds the array
 * unreachable, and a local variable that is not used after a call is unreachable during it. So the caller keeps each
 * array reachable until the engine is done with its views: through a field, a later use, or
 * {@link Reference#reachabilityFence} after the engine call (always for temporaries such as a {@code dup()} or a
 * {@code castTo()} made for the call). Otherwise the engine may read memory that has been freed and reused.
 */
public final class Nd4jViews {
    private Nd4jViews() {
    }

    /** @return the engine precision of an ND4J data type; throws naming the caller for any other type */
    public static Precision precision(DataType type, String who) {
        return switch (type) {
            case FLOAT -> Precision.FLOAT32;
            case DOUBLE -> Precision.FLOAT64;
            default -> throw new IllegalArgumentException(who + ": data type " + type
                    + " is not supported by the compute engine; use FLOAT or DOUBLE");
        };
    }

    /** @return the ND4J data type of an engine precision */
    public static DataType dataType(Precision p) {
        return p == Precision.FLOAT32 ? DataType.FLOAT : DataType.DOUBLE;
    }

    /** @return the byte address of the array's first element (its buffer's address plus the view's offset) */
    public static long address(INDArray a) {
        Nd4j.getAffinityManager().ensureLocation(a, org.nd4j.linalg.api.concurrency.AffinityManager.Location.HOST);
        DataBuffer data = a.data();
        return data.addressPointer().address() + (a.offset() - data.offset()) * data.getElementSize();
    }

    /**
     * Tells ND4J that the engine wrote these arrays' host memory (no-op on ND4J's CPU backend; on a GPU backend the
     * next device use copies them up, instead of using a stale device copy).
     */
    public static void written(INDArray... arrays) {
        for (INDArray a : arrays) {
            if (a != null) {
                Nd4j.getAffinityManager().tagLocation(a,
                        org.nd4j.linalg.api.concurrency.AffinityManager.Location.HOST);
            }
        }
    }

    /** @return whether {@link #matrix} can view the array without a copy */
    public static boolean viewable(INDArray a) {
        if (a.rank() > 2) {
            return false;
        }
        long[] s = strides2(a);
        long rows = a.rank() == 2 ? a.size(0) : 1;
        long cols = a.rank() == 2 ? a.size(1) : a.length();
        return s[1] == 1 || cols <= 1 || s[0] == 1 || rows <= 1;
    }

    /**
     * @param a a rank-1 ([n], viewed as [1, n]) or rank-2 array whose elements are adjacent along rows or columns
     * @return the same memory as a matrix
     */
    public static Matrix matrix(INDArray a) {
        Precision p = precision(a.dataType(), "compute engine");
        long rows = a.rank() == 2 ? a.size(0) : 1;
        long cols = a.rank() == 2 ? a.size(1) : a.length();
        if (a.rank() > 2) {
            throw new IllegalArgumentException("compute engine: expected a matrix, got shape " + Arrays.toString(a.shape()));
        }
        long[] s = strides2(a);
        long address = address(a);
        if (s[1] == 1 || cols <= 1) {
            return new Matrix(address, p, rows, cols, Math.max(Math.max(s[0], cols), 1), false);
        }
        if (s[0] == 1 || rows <= 1) {
            return new Matrix(address, p, rows, cols, Math.max(Math.max(s[1], rows), 1), true);
        }
        throw new IllegalArgumentException("compute engine: a matrix view needs unit stride along rows or columns; got "
                + "shape " + Arrays.toString(a.shape()) + ", strides " + Arrays.toString(a.stride()) + " (dup it first)");
    }

    /** @return the row and column strides of a rank-1 or rank-2 array, in elements */
    private static long[] strides2(INDArray a) {
        if (a.rank() == 2) {
            return new long[] {a.stride(0), a.stride(1)};
        }
        return new long[] {a.length(), a.rank() == 1 ? a.stride(0) : 1};
    }

    /**
     * @param seq a sequence [mb, size, T]
     * @return the same memory as a time-major matrix [T·mb, size] (row {@code t·mb + i} = step t of example i), or null
     *     when its strides do not allow one (then copy it with the engine's {@code toTimeMajor}). An array made as
     *     {@code create([mb, T, size], 'f')} (NWC) or that array's {@code permute(0, 2, 1)} (NCW) is viewable, as is a
     *     'c'-ordered NWC array with mb = 1 or a sequence of one step.
     */
    public static Matrix timeMajor(INDArray seq) {
        long mb = seq.size(0);
        long size = seq.size(1);
        long steps = seq.size(2);
        long rows = mb * steps;
        long rowStride;
        if (steps == 1 || mb == 1) {
            rowStride = steps == 1 ? seq.stride(0) : seq.stride(2);
        } else if (seq.stride(2) == mb * seq.stride(0)) {
            rowStride = seq.stride(0);
        } else {
            return null;
        }
        long colStride = seq.stride(1);
        Precision p = precision(seq.dataType(), "compute engine");
        if ((colStride == 1 || size == 1) && rowStride >= size) {
            return new Matrix(address(seq), p, rows, size, Math.max(rowStride, 1), false);
        }
        if ((rowStride == 1 || rows == 1) && colStride >= rows) {
            return new Matrix(address(seq), p, rows, size, Math.max(colStride, 1), true);
        }
        return null;
    }

    /**
     * @param a    a matrix [R, C], or a c-order tensor [R, T, C] (its rows [T·C] long)
     * @param rows for each output row, the row of {@code a} it copies
     * @return a new c-order array of {@code rows.length} rows (one engine gather; ND4J's indexing by a list of rows
     *     makes an array per row)
     */
    public static INDArray selectRows(INDArray a, long[] rows) {
        long[] shape = a.shape().clone();
        shape[0] = rows.length;
        INDArray out = Nd4j.createUninitialized(a.dataType(), shape, 'c');
        long width = a.length() / Math.max(1, a.size(0));
        INDArray source = a.rank() == 2 ? a
                : (a.ordering() == 'c' && org.nd4j.linalg.api.shape.Shape.hasDefaultStridesForShape(a) ? a : a.dup('c'))
                        .reshape('c', a.size(0), width);
        Engines.current().gatherRows(matrix(source), rows, matrix(out.reshape('c', rows.length, width)));
        Reference.reachabilityFence(source);                                  // may be a copy, read through a view
        written(out);
        return out;
    }

    /** @return the values of a matrix [R, C], row by row, as Java arrays (without an ND4J view per row) */
    public static double[][] toDoubleRows(INDArray a) {
        int rows = (int) a.size(0);
        int cols = (int) a.size(1);
        double[] flat = new double[rows * cols];
        Engines.current().read(matrix(a), flat);
        Reference.reachabilityFence(a);
        double[][] out = new double[rows][];
        for (int r = 0; r < rows; r++) {
            out[r] = java.util.Arrays.copyOfRange(flat, r * cols, (r + 1) * cols);
        }
        return out;
    }

    /**
     * @param seq    a sequence [mb, size, T] (of a FLOAT or DOUBLE type)
     * @param copies where a copy goes when the sequence's strides make no time-major view: slot {@code slot}
     * @return the sequence as a time-major matrix [T·mb, size]: a view of its memory, or a copy
     */
    public static Matrix timeMajorOrCopy(INDArray seq, Buffers copies, int slot) {
        Matrix view = timeMajor(seq);
        if (view != null) {
            return view;
        }
        Matrix m = copies.matrix(slot, precision(seq.dataType(), "compute engine"), seq.size(0) * seq.size(2),
                seq.size(1));
        copies.engine().toTimeMajor(tensor(seq), m);
        return m;
    }

    /** @return the same memory as a 3-d tensor (any strides) */
    public static Tensor3 tensor(INDArray a) {
        if (a.rank() != 3) {
            throw new IllegalArgumentException("compute engine: expected a rank-3 array, got shape "
                    + Arrays.toString(a.shape()));
        }
        return new Tensor3(address(a), precision(a.dataType(), "compute engine"), a.shape(), a.stride());
    }

    /**
     * @return an ND4J array over a matrix's host memory (no copy; valid while that memory is), for the host-side
     *     steps that stay in ND4J (e.g. an activation function the engine does not have)
     */
    public static INDArray wrap(Matrix m) {
        DataType type = dataType(m.precision());
        long span = m.columnMajor() ? (m.cols() - 1) * m.ld() + m.rows() : (m.rows() - 1) * m.ld() + m.cols();
        long length = Math.max(span, 1);
        DataBuffer buffer;
        if (type == DataType.FLOAT) {
            FloatPointer at = new FloatPointer((Pointer) null) {
                {
                    address = m.address();
                    limit = length;
                    capacity = length;
                }
            };
            buffer = Nd4j.createBuffer(at, type, length, FloatIndexer.create(at));
        } else {
            DoublePointer at = new DoublePointer((Pointer) null) {
                {
                    address = m.address();
                    limit = length;
                    capacity = length;
                }
            };
            buffer = Nd4j.createBuffer(at, type, length, DoubleIndexer.create(at));
        }
        long[] strides = m.columnMajor() ? new long[] {1, m.ld()} : new long[] {m.ld(), 1};
        return Nd4j.create(buffer, new long[] {m.rows(), m.cols()}, strides, 0, m.columnMajor() ? 'f' : 'c');
    }
}
