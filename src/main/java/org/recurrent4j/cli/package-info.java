/**
 * The {@code recurrent4j} command line, built on picocli. {@link org.recurrent4j.cli.Main} is the entry point; each
 * subcommand is its own class: {@code prepare-bible}, {@code uci-classify}, {@code char-rnn} ({@code train},
 * {@code sample}), {@code grad-norms}, {@code train} and {@code translate} (translation models, see
 * {@link org.recurrent4j.cli.TrainCommand} and {@link org.recurrent4j.cli.TranslateCommand}), and
 * {@code bleu-vs-length}. A usage error exits with status 2; a failure while a command runs prints one line to
 * standard error and exits with status 1 ({@code --verbose} adds the stack trace).
 */
package org.recurrent4j.cli;
