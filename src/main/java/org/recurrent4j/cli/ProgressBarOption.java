package org.recurrent4j.cli;

import picocli.CommandLine.Option;

/** The {@code --no-progress} option of the training commands ({@code train}, {@code char-rnn train}); a {@code @Mixin}. */
final class ProgressBarOption {
    @Option(names = "--no-progress", description = "no progress bar")
    boolean noProgress;

    /** @return whether to show the progress bar */
    boolean show() {
        return !noProgress;
    }
}
