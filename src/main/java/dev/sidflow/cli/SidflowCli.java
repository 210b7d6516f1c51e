package dev.sidflow.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the `sidflow` command. */
@Command(name = "sidflow",
        mixinStandardHelpOptions = true,
        versionProvider = SidflowCli.Version.class,
        description = "Streaming generative recommender over semantic IDs (SIDs).",
        subcommands = {
                CommandLine.HelpCommand.class,
                DataCommand.class,
                KafkaCommand.class,
                ProduceCommand.class,
                TailCommand.class,
                EmbedCommand.class,
                QuantizeCommand.class,
                TrainCommand.class,
                EvalCommand.class,
                EnsembleCommand.class,
                ExportCommand.class,
                RunCommand.class,
                SubmitCommand.class,
                FlinkCommand.class,
                DemoCommand.class,
                AskCommand.class,
                BenchCommand.class,
        })
public final class SidflowCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new SidflowCli());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        // Bad input is the user's to fix: show the message, not a stack trace.
        cl.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
            cmd.getErr().println(cmd.getColorScheme().errorText("error: " + ex.getMessage()));
            if (Boolean.getBoolean("sidflow.debug")) ex.printStackTrace(cmd.getErr());
            return 1;
        });
        return cl;
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = SidflowCli.class.getPackage().getImplementationVersion();
            return new String[] {"sidflow " + (v == null ? "dev" : v)};
        }
    }
}
