package dev.sidflow.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code sidflow export}: data for other tools. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Exports sidflow data for other tools (instruction-tuning data for LLMs).",
        subcommands = {ExportInstructionsCommand.class})
public final class ExportCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
