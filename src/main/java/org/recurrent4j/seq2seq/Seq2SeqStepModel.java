package org.recurrent4j.seq2seq;

import java.util.Arrays;
import java.util.List;
import org.recurrent4j.nn.decoder.DecoderState;
import org.recurrent4j.nn.decoder.Encoded;
import org.recurrent4j.nn.decoder.StepResult;
import org.recurrent4j.nn.engine.NativeGarbage;
import org.recurrent4j.nn.engine.Nd4jViews;
import org.recurrent4j.nn.graph.AttentionDecoderGraphVertex;

/**
 * The {@link StepModel} of a {@link Seq2SeqModel}: the graph's encoder layers once per batch ({@link SourceEncoder}),
 * then per step the decoder vertex on the embedded previous words and the {@link OutputDistribution} of its output.
 * Keeping rows gathers the decoder state by row index once per step; the encoding is gathered again only when
 * the rows' sentences change (when hypotheses finish).
 */
final class Seq2SeqStepModel implements StepModel {
    private final SourceEncoder encoder;
    private final AttentionDecoderGraphVertex decoder;
    private final OutputDistribution output;
    private Encoded encoded;
    private Encoded rowsEncoded;
    private long[] rowsSentences;
    private DecoderState state;
    private StepResult last;

    Seq2SeqStepModel(Seq2SeqModel model) {
        this.encoder = new SourceEncoder(model);
        this.decoder = model.decoder();
        this.output = new OutputDistribution(model);
    }

    @Override
    public int vocabularySize() {
        return output.vocabularySize();
    }

    @Override
    public void encode(List<int[]> sourceIds) {
        encoded = encoder.encode(sourceIds);
        rowsEncoded = encoded;
        rowsSentences = new long[sourceIds.size()];
        Arrays.setAll(rowsSentences, i -> i);
        state = encoded.initialState();
        last = null;
    }

    @Override
    public Step step(int[] previousTokens) {
        NativeGarbage.collectIfGrown();                      // every step leaves small ND4J arrays behind
        last = decoder.step(rowsEncoded, state, output.embed(previousTokens));
        OutputDistribution.Step logP = output.logProbabilities(last.output());          // [rows, Vy]
        double[][] alignment = last.alignment() == null ? null : Nd4jViews.toDoubleRows(last.alignment());   // [rows, Tx]
        return new ScoredStep(logP, alignment);
    }

    @Override
    public void selectRows(long[] parentRows, long[] rowSentences) {
        state = last.state().selectRows(parentRows);
        if (!Arrays.equals(rowSentences, rowsSentences)) {
            // the rows change sentence only when hypotheses finish: select the encoding again only then
            rowsEncoded = encoded.selectRows(rowSentences);
            rowsSentences = rowSentences;
        }
    }

    /** One step's output distribution with its attention weights. */
    private record ScoredStep(OutputDistribution.Step logP, double[][] alignment) implements Step {
        @Override
        public double logProbability(int row, int word) {
            return logP.logProbability(row, word);
        }
    }
}
