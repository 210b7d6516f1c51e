package dev.sidflow.bench.jmh;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.results.format.ResultFormatType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Entry point of {@code ./mvnw -B -o -Pbench test}: runs the JMH benchmarks of this package with
 * the options in {@code -Djmh.args} (JMH's own command-line syntax). Skipped in ordinary test runs.
 */
@EnabledIfSystemProperty(named = "sidflow.jmh", matches = "true")
class RunJmhBenchmarks {

    @Test
    void run() throws Exception {
        String args = System.getProperty("jmh.args", "").trim();
        CommandLineOptions cli = new CommandLineOptions(args.isEmpty() ? new String[0] : args.split("\\s+"));
        ChainedOptionsBuilder options = new OptionsBuilder().parent(cli);
        if (cli.getIncludes().isEmpty()) options.include(RunJmhBenchmarks.class.getPackageName() + ".*Benchmarks");
        // one call: each jvmArgsAppend replaces the previous one
        String bundle = System.getProperty("sidflow.bench.bundle", "");
        options.jvmArgsAppend(bundle.isBlank() ? new String[] {"-Dai.djl.offline=true"}
                : new String[] {"-Dai.djl.offline=true", "-Dsidflow.bench.bundle=" + bundle});
        if (!cli.getResult().hasValue()) {
            Files.createDirectories(Path.of("target", "bench"));
            options.result("target/bench/jmh-results.json").resultFormat(ResultFormatType.JSON);
        }
        Collection<RunResult> results = new Runner(options.build()).run();
        assertThat(results).as("benchmarks run").isNotEmpty();
    }
}
