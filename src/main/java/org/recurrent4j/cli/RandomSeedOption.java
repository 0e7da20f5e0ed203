package org.recurrent4j.cli;

import picocli.CommandLine.Option;

/**
 * The {@code --seed} option of commands whose one seed drives every random draw ({@code uci-classify},
 * {@code char-rnn sample}); include it with {@code @Mixin}. Commands whose seed drives a particular part of the
 * work ({@code train}, {@code char-rnn train}, {@code grad-norms}, {@code bleu-vs-length}) declare their own
 * {@code --seed}, whose help text says which.
 */
final class RandomSeedOption {
    @Option(names = "--seed", description = "random seed (default: ${DEFAULT-VALUE})", defaultValue = "42")
    long seed;
}
