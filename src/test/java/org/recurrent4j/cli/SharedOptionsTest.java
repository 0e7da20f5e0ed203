package org.recurrent4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The options declared once as mixins appear in the help of every command that includes them, with their text. */
class SharedOptionsTest {

    private static String help(String... command) {
        String[] args = new String[command.length + 1];
        System.arraycopy(command, 0, args, 0, command.length);
        args[command.length] = "--help";
        CommandRun r = CommandRun.of(args);
        assertEquals(0, r.exitCode(), r.err());
        return r.out().replaceAll("\\s+", " ");
    }

    @Test
    void randomSeedIsListedWithItsDefault() {
        for (String[] command : new String[][] {{"uci-classify"}, {"char-rnn", "sample"}}) {
            String text = help(command);
            assertTrue(text.contains("--seed=<seed> random seed (default: 42)"), String.join(" ", command) + ": " + text);
        }
    }

    @Test
    void noProgressIsListedByTheTrainingCommands() {
        for (String[] command : new String[][] {{"train"}, {"char-rnn", "train"}}) {
            String text = help(command);
            assertTrue(text.contains("--no-progress no progress bar"), String.join(" ", command) + ": " + text);
        }
    }
}
