package org.recurrent4j.nn.weights;

import java.util.Objects;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.jackson.annotation.JsonProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Orthogonal initialisation (Saxe et al. 2014): a random matrix with orthonormal columns (or rows, if it
 * is wide), times {@code gain}. The default recurrent initialisation of {@code ElmanRnn} and {@code Gru}.
 * Uses ND4J's random generator, so a network seed makes it reproducible.
 */
public final class OrthogonalInit implements IWeightInit {
    private static final Logger log = LoggerFactory.getLogger(OrthogonalInit.class);
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
        INDArray draw = Nd4j.randn(DataType.DOUBLE, tall, small);         // [tall, small]
        INDArray q = draw.dup('f');                                        // overwritten with Q
        INDArray r = Nd4j.create(DataType.DOUBLE, new long[] {small, small}, 'f');
        Nd4j.getBlasWrapper().lapack().geqrf(q, r);
        INDArray signs = Nd4j.diag(r).reshape(small);          // [small]
        org.nd4j.linalg.ops.transforms.Transforms.sign(signs, false);
        signs.addi(signs.eq(0).castTo(DataType.DOUBLE));       // a zero diagonal entry counts as +1
        q.muliRowVector(signs);
        double error = orthonormalityError(q);
        if (!(error <= TOLERANCE)) {
            // OpenBLAS 0.3.19's LAPACK returns a wrong Q from [512, 256] up on some AVX-512 Intel CPUs (Sapphire
            // Rapids: ‖QᵀQ − I‖max ≈ 1.1; right with OPENBLAS_CORETYPE=Haswell). Gram–Schmidt of the same draw
            // gives the same Q (R's diagonal positive, as after the sign correction).
            log.warn("OrthogonalInit: LAPACK's QR of a [{}, {}] matrix is not orthonormal (max |QᵀQ − I| = {}); "
                    + "using Gram-Schmidt instead", tall, small, error);
            q = gramSchmidt(draw);
        }
        INDArray w = (wide ? q.transpose() : q).mul(gain);     // [rows, cols]
        INDArray target = paramView.reshape(order, shape);
        target.assign(w);
        return target;
    }

    /** Largest deviation of Q's columns from orthonormality accepted from LAPACK. */
    static final double TOLERANCE = 1e-8;

    /** @return max |QᵀQ − I| of a [tall, small] {@code q} */
    static double orthonormalityError(INDArray q) {
        long small = q.size(1);
        INDArray gram = q.transpose().mmul(q);                                      // [small, small]
        return gram.subi(Nd4j.eye(small).castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
    }

    /**
     * Orthonormal columns of {@code a} [tall, small] by modified Gram–Schmidt with one re-orthogonalisation pass
     * (double precision, plain loops): the Q of a QR with a positive diagonal of R.
     */
    static INDArray gramSchmidt(INDArray a) {
        int tall = (int) a.size(0);
        int small = (int) a.size(1);
        double[][] q = a.transpose().toDoubleMatrix();                              // [small][tall]: columns
        for (int j = 0; j < small; j++) {
            double[] v = q[j];
            for (int pass = 0; pass < 2; pass++) {
                for (int k = 0; k < j; k++) {
                    double dot = 0;
                    for (int i = 0; i < tall; i++) {
                        dot += q[k][i] * v[i];
                    }
                    for (int i = 0; i < tall; i++) {
                        v[i] -= dot * q[k][i];
                    }
                }
            }
            double norm = 0;
            for (int i = 0; i < tall; i++) {
                norm += v[i] * v[i];
            }
            norm = Math.sqrt(norm);
            for (int i = 0; i < tall; i++) {
                v[i] /= norm;
            }
        }
        return Nd4j.create(q).transpose().dup('f');                                 // [tall, small]
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
