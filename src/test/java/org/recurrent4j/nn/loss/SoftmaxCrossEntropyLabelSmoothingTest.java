package org.recurrent4j.nn.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link SoftmaxCrossEntropy#labelSmoothing(double)}: targets {@code q = (1 − s) y + s / C}, loss {@code −Σ q log p},
 * gradient {@code p − q}. Against a computation by hand (C = 3, row masks of 1, ½ and 0; the fused pass and DL4J's,
 * which class weights select), against PyTorch's {@code CrossEntropyLoss(label_smoothing = s)}
 * ({@code src/test/python/generate_label_smoothing_fixture.py}), s = 0 bit for bit the unsmoothed loss, and s outside
 * [0, 1] refused.
 */
class SoftmaxCrossEntropyLabelSmoothingTest {
    private static final IActivation SOFTMAX = Activation.SOFTMAX.getActivationFunction();
    private static final String FIXTURE = "/org/recurrent4j/nn/loss/label_smoothing.txt";

    /**
     * Row 0: z = (0, ln 2, ln 5), p = (1/8, 2/8, 5/8), class 2; with s = 0.3, q = (0.1, 0.1, 0.8):
     * loss = −(0.1 ln(1/8) + 0.1 ln(1/4) + 0.8 ln(5/8)), dz = p − q = (0.025, 0.15, −0.175).
     * Row 1: z = 0, p = 1/3, class 0, mask ½: loss = ½ ln 3 (q sums to 1), dz = ½ (1/3 − 0.8, 1/3 − 0.1, 1/3 − 0.1).
     * Row 2: mask 0: loss 0, dz 0.
     */
    @ParameterizedTest(name = "sparse={0}")
    @ValueSource(booleans = {false, true})
    void lossAndGradientAreTheHandComputedOnesInTheFusedPassAndInDl4js(boolean sparse) {
        INDArray z = Nd4j.createFromArray(new double[][] {{0, Math.log(2), Math.log(5)}, {0, 0, 0}, {1, 2, 3}});
        INDArray labels = sparse ? Nd4j.createFromArray(new double[][] {{2}, {0}, {1}})
                : Nd4j.createFromArray(new double[][] {{0, 0, 1}, {1, 0, 0}, {0, 1, 0}});
        INDArray rowMask = Nd4j.createFromArray(new double[][] {{1}, {0.5}, {0}});
        double row0 = -(0.1 * Math.log(1 / 8.0) + 0.1 * Math.log(1 / 4.0) + 0.8 * Math.log(5 / 8.0));
        double row1 = 0.5 * Math.log(3);
        double third = 1 / 3.0;
        double[] dz = {0.025, 0.15, -0.175, 0.5 * (third - 0.8), 0.5 * (third - 0.1), 0.5 * (third - 0.1), 0, 0, 0};
        SoftmaxCrossEntropy fused = new SoftmaxCrossEntropy(SoftmaxCrossEntropy.DEFAULT_CLIP, null, sparse, 0.3);
        SoftmaxCrossEntropy dl4js = new SoftmaxCrossEntropy(SoftmaxCrossEntropy.DEFAULT_CLIP,
                Nd4j.ones(DataType.DOUBLE, 1, 3), sparse, 0.3);                         // class weights: DL4J's path
        for (SoftmaxCrossEntropy loss : new SoftmaxCrossEntropy[] {fused, dl4js}) {
            String what = loss == fused ? "fused" : "DL4J's";
            Pair<Double, INDArray> scoreAndGradient = loss.computeGradientAndScore(labels, z.dup(), SOFTMAX,
                    rowMask, true);
            assertEquals((row0 + row1) / 3, scoreAndGradient.getFirst(), 1e-12, what + " score, averaged");
            assertArrayEquals(dz, scoreAndGradient.getSecond().dup('c').data().asDouble(), 1e-12, what + " dz");
            assertArrayEquals(new double[] {row0, row1, 0},
                    loss.computeScoreArray(labels, z.dup(), SOFTMAX, rowMask).data().asDouble(), 1e-12,
                    what + " rows' losses");
        }
    }

    @ParameterizedTest(name = "smoothing {0}")
    @ValueSource(strings = {"0", "0.1", "0.3"})
    void lossAndGradientAreTorchsCrossEntropyLossWithLabelSmoothing(String s) throws IOException {
        Map<String, double[]> fixture = fixture();
        int rows = fixture.get("classes").length;
        int classes = fixture.get("logits").length / rows;
        INDArray z = Nd4j.createFromArray(fixture.get("logits")).reshape(rows, classes);                // [R, C]
        INDArray indices = Nd4j.createFromArray(fixture.get("classes")).reshape(rows, 1);             // [R, 1]
        INDArray soft = Nd4j.createFromArray(fixture.get("soft")).reshape(rows, classes);            // [R, C]
        for (boolean sparse : new boolean[] {true, false}) {
            String kind = sparse ? "sparse" : "soft";
            SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy(SoftmaxCrossEntropy.DEFAULT_CLIP, null, sparse)
                    .labelSmoothing(Double.parseDouble(s));
            INDArray labels = sparse ? indices : soft;
            assertArrayEquals(fixture.get("loss_" + kind + "_" + s),
                    loss.computeScoreArray(labels, z.dup(), SOFTMAX, null).data().asDouble(), 1e-12,
                    kind + ": rows' losses");
            assertArrayEquals(fixture.get("grad_" + kind + "_" + s),
                    loss.computeGradient(labels, z.dup(), SOFTMAX, null).dup('c').data().asDouble(), 1e-12,
                    kind + ": dz");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"FLOAT", "DOUBLE"})
    void smoothingZeroIsBitForBitTheUnsmoothedLoss(DataType type) {
        Nd4j.getRandom().setSeed(5);
        INDArray z = Nd4j.randn(type, 8, 6).muli(3);
        INDArray labels = Nd4j.createFromArray(new double[] {0, 5, 2, 2, 1, 3, 4, 0}).reshape(8, 1).castTo(type);
        INDArray mask = Nd4j.createFromArray(new double[] {1, 1, 0, 1, 0.5, 1, 1, 0}).reshape(8, 1).castTo(type);
        Pair<Double, INDArray> plain = SoftmaxCrossEntropy.sparse().computeGradientAndScore(labels, z.dup(), SOFTMAX,
                mask, true);
        Pair<Double, INDArray> zero = SoftmaxCrossEntropy.sparse().labelSmoothing(0).computeGradientAndScore(labels,
                z.dup(), SOFTMAX, mask, true);
        assertEquals(plain.getFirst(), zero.getFirst(), "score");
        assertEquals(plain.getSecond(), zero.getSecond(), "gradient");
        assertEquals(SoftmaxCrossEntropy.sparse(), SoftmaxCrossEntropy.sparse().labelSmoothing(0), "the loss itself");
    }

    @ParameterizedTest(name = "smoothing {0}")
    @ValueSource(doubles = {-0.1, 1.01, Double.NaN})
    void smoothingOutsideZeroToOneIsRefusedNamingTheArgument(double s) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SoftmaxCrossEntropy.sparse().labelSmoothing(s));
        assertTrue(e.getMessage().contains("SoftmaxCrossEntropy") && e.getMessage().contains("labelSmoothing")
                && e.getMessage().contains("[0, 1]"), e.getMessage());
    }

    @Test
    void theNameShowsTheSmoothingOnlyWhenSet() {
        assertEquals("SoftmaxCrossEntropy(sparse, softmaxClipEps=1.0E-10)", SoftmaxCrossEntropy.sparse().name());
        assertEquals("SoftmaxCrossEntropy(sparse, softmaxClipEps=1.0E-10, labelSmoothing=0.1)",
                SoftmaxCrossEntropy.sparse().labelSmoothing(0.1).name());
    }

    /** @return the fixture's arrays by name, row-major */
    private static Map<String, double[]> fixture() throws IOException {
        Map<String, double[]> arrays = new HashMap<>();
        try (InputStream in = SoftmaxCrossEntropyLabelSmoothingTest.class.getResourceAsStream(FIXTURE)) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                String[] f = line.trim().split(" ");
                arrays.put(f[0], Arrays.stream(f, 1, f.length).mapToDouble(Double::parseDouble).toArray());
            }
        }
        return arrays;
    }
}
