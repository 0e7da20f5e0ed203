package org.recurrent4j.nn.weights;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link OrthogonalInit}: orthonormal columns (tall) or rows (wide) times the gain, reproducible per seed, and — the
 * Haar sign convention — exactly the Q that classical Gram–Schmidt (R with a positive diagonal) makes of the same
 * Gaussian draw, computed here with plain loops.
 */
class OrthogonalInitTest {

    private static INDArray init(double gain, long rows, long cols, char order, long seed) {
        Nd4j.getRandom().setSeed(seed);
        INDArray view = Nd4j.create(DataType.DOUBLE, rows * cols);
        return new OrthogonalInit(gain).init(rows, cols, new long[] {rows, cols}, order, view);
    }

    @Test
    void tallAndWideMatricesAreOrthonormalTimesTheGain() {
        for (long[] shape : new long[][] {{12, 5}, {5, 12}, {7, 7}, {768, 256}}) {
            INDArray w = init(1.5, shape[0], shape[1], 'f', 3).castTo(DataType.DOUBLE);
            boolean wide = shape[1] > shape[0];
            INDArray gram = wide ? w.mmul(w.transpose()) : w.transpose().mmul(w);          // [small, small]
            long small = Math.min(shape[0], shape[1]);
            double err = gram.div(1.5 * 1.5).sub(Nd4j.eye(small).castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
            assertEquals(0, err, 1e-10, "shape " + shape[0] + "x" + shape[1]);
        }
    }

    @Test
    void gramSchmidtFallbackIsOrthonormalAndEqualsHouseholderWithPositiveDiagonal() {
        Nd4j.getRandom().setSeed(5);
        INDArray draw = Nd4j.randn(DataType.DOUBLE, 768, 256);
        INDArray q = OrthogonalInit.gramSchmidt(draw);                        // [768, 256]
        assertEquals(0, OrthogonalInit.orthonormalityError(q), 1e-12);
        // Q R = A with R = Qᵀ A upper triangular and a positive diagonal
        INDArray r = q.transpose().mmul(draw);                               // [256, 256]
        assertEquals(0, q.mmul(r).sub(draw).amaxNumber().doubleValue(), 1e-9);
        for (int i = 0; i < 256; i++) {
            assertTrue(r.getDouble(i, i) > 0, "R[" + i + "," + i + "]");
            for (int j = 0; j < i; j++) {
                assertEquals(0, r.getDouble(i, j), 1e-9, "R[" + i + "," + j + "] below the diagonal");
            }
        }
    }

    @Test
    void theOrthonormalityCheckSeesAWrongQ() {
        INDArray notQ = Nd4j.eye(6).castTo(DataType.DOUBLE).getColumns(0, 1, 2);   // [6, 3], orthonormal
        assertEquals(0, OrthogonalInit.orthonormalityError(notQ), 0);
        notQ.putScalar(4, 1, 0.5);
        assertTrue(OrthogonalInit.orthonormalityError(notQ) > OrthogonalInit.TOLERANCE);
    }

    @Test
    void theSameSeedGivesTheSameWeightsAndAnotherSeedOthers() {
        assertEquals(init(1, 20, 8, 'c', 5), init(1, 20, 8, 'c', 5));
        assertNotEquals(init(1, 20, 8, 'c', 5), init(1, 20, 8, 'c', 6));
    }

    @Test
    void equalsGramSchmidtOfTheSameGaussianDraw() {
        int tall = 9;
        int small = 4;
        Nd4j.getRandom().setSeed(11);
        double[][] a = Nd4j.randn(DataType.DOUBLE, tall, small).toDoubleMatrix();   // the draw init makes
        // classical Gram–Schmidt: q_j = normalise(a_j − Σ_{k<j} (q_k·a_j) q_k), R's diagonal is positive
        double[][] q = new double[tall][small];
        for (int j = 0; j < small; j++) {
            double[] v = new double[tall];
            for (int i = 0; i < tall; i++) {
                v[i] = a[i][j];
            }
            for (int k = 0; k < j; k++) {
                double dot = 0;
                for (int i = 0; i < tall; i++) {
                    dot += q[i][k] * a[i][j];
                }
                for (int i = 0; i < tall; i++) {
                    v[i] -= dot * q[i][k];
                }
            }
            double norm = 0;
            for (double x : v) {
                norm += x * x;
            }
            norm = Math.sqrt(norm);
            for (int i = 0; i < tall; i++) {
                q[i][j] = v[i] / norm;
            }
        }
        double[][] tallW = init(1, tall, small, 'c', 11).toDoubleMatrix();
        double[][] wideW = init(1, small, tall, 'c', 11).toDoubleMatrix();           // the transpose of the same Q
        for (int i = 0; i < tall; i++) {
            for (int j = 0; j < small; j++) {
                assertEquals(q[i][j], tallW[i][j], 1e-12, "tall (" + i + ", " + j + ")");
                assertEquals(q[i][j], wideW[j][i], 1e-12, "wide (" + j + ", " + i + ")");
            }
        }
    }

    @Test
    void aNonMatrixShapeIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new OrthogonalInit()
                .init(3, 3, new long[] {3, 3, 3}, 'c', Nd4j.create(DataType.DOUBLE, 27)));
        assertEquals("OrthogonalInit: expected a 2-d weight shape, got [3, 3, 3]", e.getMessage());
    }
}
