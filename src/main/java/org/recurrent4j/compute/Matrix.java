package org.recurrent4j.compute;

/**
 * A dense 2-d view of engine memory: {@code rows × cols} elements of one {@link Precision} at a byte address, laid out
 * row-major ({@code (i, j)} at {@code i·ld + j}) or column-major ({@code (i, j)} at {@code i + j·ld}). Views of views
 * (row ranges, column blocks, the transpose) share the memory and cost nothing. The engine never owns what a matrix
 * points at; whoever made the memory keeps it alive.
 *
 * @param address     byte address of element (0, 0) in the engine's memory (host memory for the CPU engine)
 * @param precision   element type
 * @param rows        number of rows
 * @param cols        number of columns
 * @param ld          leading dimension: elements between consecutive rows (row-major) or columns (column-major)
 * @param columnMajor whether consecutive elements of a column are adjacent
 */
public record Matrix(long address, Precision precision, long rows, long cols, long ld, boolean columnMajor) {

    public Matrix {
        if (rows < 0 || cols < 0) {
            throw new IllegalArgumentException("Matrix: negative shape [" + rows + ", " + cols + "]");
        }
        long minLd = columnMajor ? rows : cols;
        if (ld < Math.max(1, minLd)) {
            throw new IllegalArgumentException("Matrix [" + rows + ", " + cols + "] " + (columnMajor ? "column" : "row")
                    + "-major: leading dimension must be ≥ " + Math.max(1, minLd) + "; got " + ld);
        }
    }

    /** @return a row-major matrix whose rows are adjacent ({@code ld = cols}) */
    public static Matrix rowMajor(long address, Precision precision, long rows, long cols) {
        return new Matrix(address, precision, rows, cols, Math.max(1, cols), false);
    }

    /** @return the byte address of element (i, j) */
    public long at(long i, long j) {
        long index = columnMajor ? i + j * ld : i * ld + j;
        return address + index * precision.bytes();
    }

    /** @return rows [first, first + count) */
    public Matrix rows(long first, long count) {
        check(first, count, rows, "rows");
        return new Matrix(at(first, 0), precision, count, cols, ld, columnMajor);
    }

    /** @return columns [first, first + count) */
    public Matrix cols(long first, long count) {
        check(first, count, cols, "columns");
        return new Matrix(at(0, first), precision, rows, count, ld, columnMajor);
    }

    /** @return column block {@code block} of width {@code width}: columns [block·width, (block+1)·width) */
    public Matrix block(int block, long width) {
        return cols(block * width, width);
    }

    /** @return the transpose (the same memory) */
    public Matrix transpose() {
        return new Matrix(address, precision, cols, rows, ld, !columnMajor);
    }

    /** @return whether the elements are adjacent along rows: row-major, or a single column of a column-major matrix */
    public boolean unitColumnStride() {
        return !columnMajor || cols <= 1;
    }

    /** @return whether all elements lie in one contiguous run in row order ({@code rows·cols} elements) */
    public boolean contiguousRows() {
        return (!columnMajor && (ld == cols || rows <= 1)) || (columnMajor && rows == 1 && (ld == 1 || cols <= 1));
    }

    /**
     * @return whether the elements fill one contiguous run without gaps: row-major with {@code ld = cols}, or
     *     column-major with {@code ld = rows} (two such matrices of one layout and shape copy as one block)
     */
    public boolean dense() {
        return columnMajor ? (ld == rows || cols <= 1) : (ld == cols || rows <= 1);
    }

    /** @return the number of elements */
    public long length() {
        return rows * cols;
    }

    /** @return e.g. {@code [64, 768] row-major FLOAT32} */
    public String describe() {
        return "[" + rows + ", " + cols + "] " + (columnMajor ? "column" : "row") + "-major " + precision;
    }

    private static void check(long first, long count, long size, String what) {
        if (first < 0 || count < 0 || first + count > size) {
            throw new IndexOutOfBoundsException("Matrix: " + what + " [" + first + ", " + (first + count)
                    + ") outside [0, " + size + ")");
        }
    }
}
