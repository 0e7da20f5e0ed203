package org.recurrent4j.seq2seq;

import java.util.Map;

/**
 * Where a {@link Seq2SeqTrainer} run stands, beyond what DL4J saves with the graph (parameters, updater state,
 * update count): the position in the training data and the early-stopping state. It is stored in the
 * {@link Seq2SeqModel}'s properties (keys {@code training.*}), so the checkpoint file that holds the parameters
 * holds it too and one atomic rename writes both. No random-number state is stored: every random draw of update i
 * is seeded by (seed, i).
 *
 * @param epoch                         epoch over the training data (0 for the first)
 * @param batchInEpoch                  minibatches of that epoch already trained on
 * @param tokens                        target tokens trained on so far
 * @param trainingSeconds               wall-clock seconds of training so far, over all runs
 * @param evaluations                   dev evaluations done so far
 * @param bestScore                     best dev score so far (perplexity: lowest, BLEU: highest); NaN before the first
 * @param bestUpdate                    the update count at which {@code bestScore} was reached (−1 before)
 * @param evaluationsWithoutImprovement evaluations since the best one (early-stopping patience counter)
 */
public record Seq2SeqTrainingState(int epoch, int batchInEpoch, long tokens, double trainingSeconds, int evaluations,
                                   double bestScore, long bestUpdate, int evaluationsWithoutImprovement) {

    /** The start of a run. */
    public static final Seq2SeqTrainingState START = new Seq2SeqTrainingState(0, 0, 0, 0, 0, Double.NaN, -1, 0);

    private static final String PREFIX = "training.";

    /** @return whether {@code property} is a key of the training state (in a model's properties) */
    static boolean isStateProperty(String property) {
        return property.startsWith(PREFIX);
    }

    /** Writes this state into the model's properties. */
    void writeTo(Seq2SeqModel model) {
        model.setProperty(PREFIX + "epoch", Integer.toString(epoch));
        model.setProperty(PREFIX + "batchInEpoch", Integer.toString(batchInEpoch));
        model.setProperty(PREFIX + "tokens", Long.toString(tokens));
        model.setProperty(PREFIX + "trainingSeconds", Double.toString(trainingSeconds));
        model.setProperty(PREFIX + "evaluations", Integer.toString(evaluations));
        model.setProperty(PREFIX + "bestScore", Double.toString(bestScore));      // Double.toString round-trips exactly
        model.setProperty(PREFIX + "bestUpdate", Long.toString(bestUpdate));
        model.setProperty(PREFIX + "evaluationsWithoutImprovement", Integer.toString(evaluationsWithoutImprovement));
    }

    /** @return the state stored in {@code model}'s properties, or {@link #START} if it has none */
    static Seq2SeqTrainingState readFrom(Seq2SeqModel model) {
        Map<String, String> p = model.properties();
        if (!p.containsKey(PREFIX + "epoch")) {
            return START;
        }
        try {
            return new Seq2SeqTrainingState(Integer.parseInt(get(p, "epoch")), Integer.parseInt(get(p, "batchInEpoch")),
                    Long.parseLong(get(p, "tokens")), Double.parseDouble(get(p, "trainingSeconds")),
                    Integer.parseInt(get(p, "evaluations")), Double.parseDouble(get(p, "bestScore")),
                    Long.parseLong(get(p, "bestUpdate")), Integer.parseInt(get(p, "evaluationsWithoutImprovement")));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Seq2SeqTrainingState: malformed training state in the model's "
                    + "properties: " + e.getMessage(), e);
        }
    }

    private static String get(Map<String, String> p, String key) {
        String v = p.get(PREFIX + key);
        if (v == null) {
            throw new IllegalArgumentException("Seq2SeqTrainingState: the model's properties have " + PREFIX
                    + "epoch but no " + PREFIX + key + "; expected the full state written by Seq2SeqTrainer");
        }
        return v;
    }
}
