package org.recurrent4j.seq2seq;

import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.recurrent4j.nn.decoder.Encoded;
import org.recurrent4j.nn.graph.AttentionDecoderGraphVertex;

/**
 * Runs the encoder half of a {@link Seq2SeqModel}'s graph once for a batch of source sentences: the graph's own
 * layers from {@link Seq2SeqBuilder#SOURCE} to {@link Seq2SeqBuilder#ENCODER} (inference mode, source mask set), then
 * {@link AttentionDecoderGraphVertex#encode} (attention keys projected once, initial decoder state).
 */
final class SourceEncoder {
    private final ComputationGraph graph;
    private final AttentionDecoderGraphVertex decoder;

    SourceEncoder(Seq2SeqModel model) {
        this.graph = model.graph();
        this.decoder = model.decoder();
    }

    /**
     * @param ids per sentence its source ids in the order the model reads them (already reversed for a
     *            reversed-source model); every sentence has at least one id
     * @return the encoding of the batch, one row per sentence, right-padded to the longest sentence
     */
    Encoded encode(List<int[]> ids) {
        int mb = ids.size();
        int tx = ids.stream().mapToInt(a -> a.length).max().orElseThrow();
        float[] src = new float[mb * tx];                                        // [mb, 1, Tx], c order, <pad> = 0
        float[] mask = new float[mb * tx];                                       // [mb, Tx]
        for (int i = 0; i < mb; i++) {
            int[] s = ids.get(i);
            for (int t = 0; t < s.length; t++) {
                src[i * tx + t] = s[t];
                mask[i * tx + t] = 1f;
            }
        }
        INDArray source = Nd4j.create(src, new long[] {mb, 1, tx}, 'c').castTo(graph.getConfiguration()
                .getDataType());
        INDArray sourceMask = Nd4j.create(mask, new long[] {mb, tx}, 'c').castTo(source.dataType());
        // the target input is not used by the encoder layers, but the graph has two inputs: one <s> step
        INDArray targetIn = Nd4j.valueArrayOf(new long[] {mb, 1, 1}, 2.0, source.dataType());
        INDArray annotations = graph.output(List.of(Seq2SeqBuilder.ENCODER), false,
                new INDArray[] {source, targetIn}, new INDArray[] {sourceMask, null})[0];   // [mb, 2·enc, Tx]
        return decoder.encode(annotations, sourceMask);
    }
}
