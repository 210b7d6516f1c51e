package dev.sidflow.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Every command and subcommand answers --help with its usage, without doing anything else. */
class EveryCommandHelpTest {

    @Test
    void everyCommandPrintsItsUsageOnHelp() {
        List<List<String>> paths = new ArrayList<>();
        collect(SidflowCli.commandLine(), new ArrayList<>(), paths);
        assertThat(paths).extracting(p -> String.join(" ", p)).contains("ensemble", "eval", "train");
        for (List<String> path : paths) {
            List<String> args = new ArrayList<>(path);
            args.add("--help");
            StringWriter out = new StringWriter();
            int code = SidflowCli.commandLine().setOut(new PrintWriter(out)).execute(args.toArray(String[]::new));
            assertThat(code).as("sidflow %s --help", String.join(" ", path)).isZero();
            assertThat(out.toString()).as("sidflow %s --help", String.join(" ", path))
                    .contains("Usage: sidflow " + String.join(" ", path)).contains("--help");
        }
    }

    private static void collect(CommandLine cl, List<String> path, List<List<String>> out) {
        cl.getSubcommands().forEach((name, sub) -> {
            if (name.equals("help") || !sub.getCommandName().equals(name)) return; // the help command and aliases
            List<String> p = new ArrayList<>(path);
            p.add(name);
            out.add(p);
            collect(sub, p, out);
        });
    }
}
