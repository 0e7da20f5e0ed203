package org.recurrent4j.cli;

import org.recurrent4j.backend.GpuSupport;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of the {@code recurrent4j} command line. Each experiment or tool is a picocli subcommand
 * in its own class; register it in {@code subcommands} below.
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
                BleuVsLengthCommand.class,
        })
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code (for tests and embedding). */
    public static int run(String... args) {
        return new CommandLine(new Main()).setExecutionStrategy(Main::checkBackendThenRun).execute(args);
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
