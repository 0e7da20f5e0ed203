package org.recurrent4j.cli;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;
import org.recurrent4j.backend.GpuSupport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * Entry point of the {@code recurrent4j} command line. Each experiment or tool is a picocli subcommand
 * in its own class; register it in {@code subcommands} below.
 *
 * <p>Errors: a usage error prints picocli's message and the usage (exit 2); a failure while a command runs prints one
 * line to standard error, {@code recurrent4j COMMAND: MESSAGE} with the messages of its causes (exit 1), and the
 * stack trace only with {@code --verbose}.
 */
@Command(name = "recurrent4j",
        mixinStandardHelpOptions = true,
        version = "recurrent4j 0.1.0",
        description = "Recurrent sequence models for Deeplearning4j: experiments and tools.",
        subcommands = {
                CommandLine.HelpCommand.class,
                PrepareBibleCommand.class,
                UciClassifyCommand.class,
                CharRnnCommand.class,
                GradNormsCommand.class,
                TrainCommand.class,
                TranslateCommand.class,
                AverageCheckpointsCommand.class,
                BleuVsLengthCommand.class,
        })
public final class Main implements Runnable {

    static final String VERBOSE = "--verbose";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = VERBOSE, scope = ScopeType.INHERIT,
            description = "on an error, print the stack trace too (default: one line); ND4J's and DL4J's start-up "
                    + "log lines too")
    boolean verbose;

    public static void main(String[] args) {
        quietLibraryStartUpLogs(Arrays.asList(args).contains(VERBOSE));
        System.exit(run(args));
    }

    /**
     * The {@code main} of a command that has its own entry point (one that needs a classpath the library does not
     * bring, such as {@code SparkTrainCommand}): the same logging, backend check and error reports as {@link #main}.
     */
    static void mainOf(Object command, String[] args) {
        quietLibraryStartUpLogs(Arrays.asList(args).contains(VERBOSE));
        System.exit(execute(command, args));
    }

    /**
     * ND4J's and DL4J's loggers at WARN (slf4j-simple), unless --verbose or the user set them: their INFO lines are
     * start-up banners (the native backend's build information, thread counts, workspace modes) repeated on every
     * command. The project's own INFO lines stay.
     */
    private static void quietLibraryStartUpLogs(boolean verbose) {
        if (verbose) {
            return;
        }
        for (String library : new String[] {"org.nd4j", "org.deeplearning4j"}) {
            String key = "org.slf4j.simpleLogger.log." + library;
            if (System.getProperty(key) == null) {
                System.setProperty(key, "warn");
            }
        }
    }

    /** Runs the command line and returns its exit code (for tests and embedding). */
    public static int run(String... args) {
        return execute(new Main(), args);
    }

    /** Runs {@code command} (a picocli command object) with this command line's backend check and error reports. */
    static int execute(Object command, String... args) {
        return new CommandLine(command).setExecutionStrategy(Main::checkBackendThenRun)
                .setExecutionExceptionHandler(Main::reportFailure).execute(args);
    }

    /** A command failed while running: one line (the stack trace too with --verbose); exit code 1. */
    private static int reportFailure(Exception e, CommandLine command, CommandLine.ParseResult parsed) {
        command.getErr().println("recurrent4j " + command.getCommandName() + ": " + messages(e));
        if (verboseRequested(parsed)) {
            e.printStackTrace(command.getErr());
        }
        command.getErr().flush();
        return 1;
    }

    private static boolean verboseRequested(CommandLine.ParseResult parsed) {
        for (CommandLine.ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption(VERBOSE)) {
                return true;
            }
        }
        return false;
    }

    /** @return the messages of e and its causes, each once, joined by ": " on one line */
    static String messages(Throwable e) {
        Set<String> parts = new LinkedHashSet<>();
        for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
            String m = t.getMessage();
            String part = m == null || m.isBlank() ? t.getClass().getSimpleName() : m.strip();
            if (parts.stream().noneMatch(p -> p.contains(part))) {
                parts.add(part);
            }
        }
        return String.join(": ", parts).replaceAll("\\s*\\R\\s*", " ");
    }

    /** Every command that computes first checks ND4J's backend (an unsupported GPU fails here, explained). */
    private static int checkBackendThenRun(CommandLine.ParseResult parseResult) {
        boolean computes = parseResult.hasSubcommand() && !parseResult.isUsageHelpRequested()
                && !parseResult.isVersionHelpRequested()
                && !parseResult.subcommand().isUsageHelpRequested()
                && !(parseResult.subcommand().commandSpec().userObject() instanceof CommandLine.HelpCommand);
        if (computes) {
            GpuSupport.checkBackend();
        }
        return new CommandLine.RunLast().execute(parseResult);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
