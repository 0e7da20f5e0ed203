package org.recurrent4j.nn.weights;

import java.util.Objects;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Orthogonal initialisation (Saxe et al. 2014): a random matrix with orthonormal columns (or rows, if it
 * is wide), times {@code gain}. The default recurrent initialisation of {@code ElmanRnn} and {@code Gru}.
 * Uses ND4J's random generator, so a network seed makes it reproducible.
 */
public final class OrthogonalInit implements IWeightInit {
    private final double gain;

    public OrthogonalInit(@JsonProperty("gain") double gain) {
        this.gain = gain;
    }

    public OrthogonalInit() {
        this(1.0);
    }

    public double getGain() {
        return gain;
    }

    @Override
    public INDArray init(double fanIn, double fanOut, long[] shape, char order, INDArray paramView) {
        if (shape.length != 2) {
            throw new IllegalArgumentException("OrthogonalInit: expected a 2-d weight shape, got " + java.util.Arrays.toString(shape));
        }
        long rows = shape[0];
        long cols = shape[1];
        boolean wide = cols > rows;
        long tall = Math.max(rows, cols);
        long small = Math.min(rows, cols);
        // QR of a Gaussian [tall, small] matrix through LAPACK (geqrf + orgqr; ND4J's Qr op took minutes on
        // [768, 256]); sign-correct Q by diag(R) so the distribution is uniform (Haar)
        INDArray q = Nd4j.randn(DataType.DOUBLE, tall, small).dup('f');   // [tall, small], overwritten with Q
        INDArray r = Nd4j.create(DataType.DOUBLE, new long[] {small, small}, 'f');
        Nd4j.getBlasWrapper().lapack().geqrf(q, r);
        INDArray signs = Nd4j.diag(r).reshape(small);          // [small]
        org.nd4j.linalg.ops.transforms.Transforms.sign(signs, false);
        signs.addi(signs.eq(0).castTo(DataType.DOUBLE));       // a zero diagonal entry counts as +1
        q.muliRowVector(signs);
        INDArray w = (wide ? q.transpose() : q).mul(gain);     // [rows, cols]
        INDArray target = paramView.reshape(order, shape);
        target.assign(w);
        return target;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OrthogonalInit other && Double.compare(gain, other.gain) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(OrthogonalInit.class, gain);
    }

    @Override
    public String toString() {
        return "OrthogonalInit(gain=" + gain + ")";
    }
}
