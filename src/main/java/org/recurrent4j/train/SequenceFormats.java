package org.recurrent4j.train;

import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer;
import org.deeplearning4j.nn.conf.layers.Convolution1DLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.RnnLossLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.TimeDistributed;
import org.deeplearning4j.nn.conf.preprocessor.RnnToCnnPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.RnnToFeedForwardPreProcessor;

import java.util.Arrays;

/**
 * The data formats of a network's sequence arrays, one per feature array and one per label array: NCW
 * {@code [mb, size, T]} or NWC {@code [mb, T, size]}, i.e. on which axis {@link SequenceBatch} finds time.
 *
 * <p>A feature array has the format of what reads it (its first layer and that layer's preprocessor); a label array
 * the format of its output layer. Read from the configuration: the {@code rnnDataFormat} of recurrent layers (DL4J's
 * and ours), {@code RnnOutputLayer}, {@code RnnLossLayer}, {@code Convolution1DLayer}, {@code TimeDistributed} and of
 * the {@code RnnToFeedForward} / {@code RnnToCnn} preprocessors; anything else reads NCW, DL4J's default.
 *
 * @param features per feature array (network input)
 * @param labels   per label array (network output)
 */
record SequenceFormats(RNNFormat[] features, RNNFormat[] labels) {

    /** All NCW, for {@code nFeatures} inputs and {@code nLabels} outputs. */
    static SequenceFormats ncw(int nFeatures, int nLabels) {
        RNNFormat[] f = new RNNFormat[nFeatures];
        RNNFormat[] l = new RNNFormat[nLabels];
        Arrays.fill(f, RNNFormat.NCW);
        Arrays.fill(l, RNNFormat.NCW);
        return new SequenceFormats(f, l);
    }

    /** The time axis of an array of rank 3 in {@code format}: 2 for NCW, 1 for NWC. */
    static int timeAxis(RNNFormat format) {
        return format == RNNFormat.NWC ? 1 : 2;
    }

    /** The format in which {@code layer} (after {@code preProcessor}, may be null) reads its input. */
    static RNNFormat inputFormat(Layer layer, InputPreProcessor preProcessor) {
        if (preProcessor instanceof RnnToFeedForwardPreProcessor p) {
            return orNcw(p.getRnnDataFormat());
        }
        if (preProcessor instanceof RnnToCnnPreProcessor p) {
            return orNcw(p.getRnnDataFormat());
        }
        if (layer instanceof BaseRecurrentLayer r) {
            return orNcw(r.getRnnDataFormat());
        }
        if (layer instanceof Convolution1DLayer c) {
            return orNcw(c.getRnnDataFormat());
        }
        if (layer instanceof TimeDistributed t) {
            return orNcw(t.getRnnDataFormat());
        }
        return labelFormat(layer);
    }

    /** The format of the labels of output layer {@code layer}. */
    static RNNFormat labelFormat(Layer layer) {
        if (layer instanceof RnnOutputLayer o) {
            return orNcw(o.getRnnDataFormat());
        }
        if (layer instanceof RnnLossLayer o) {
            return orNcw(o.getRnnDataFormat());
        }
        return RNNFormat.NCW;
    }

    private static RNNFormat orNcw(RNNFormat format) {
        return format == null ? RNNFormat.NCW : format;
    }
}
