package dev.sidflow.cli;

import dev.sidflow.bench.BenchMode;
import dev.sidflow.bench.BenchReport;
import dev.sidflow.bench.RateSteps;
import dev.sidflow.bench.StreamBench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code sidflow bench}: the real-time job against a real broker at increasing rates, with the
 * per-event and no-inference variants for comparison; {@code sidflow bench inference} for the
 * model-level FLOPs and share of peak.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Measure the real-time job's throughput, latency, CPU and memory at increasing rates.",
                "Starts its own Kafka broker, runs the job on a local MiniCluster with the bundle, produces the data set's",
                "events at each rate in --rates and reports, per step: recommendations/s (and per busy core), processing",
                "latency (event sent -> recommendation out, before the exactly-once commit), committed latency, mean batch",
                "size, CPU and RSS. Modes: batched (the job as shipped), per-event (same model, batch size 1) and",
                "state-only (inference removed). A mode stops at its first rate it cannot sustain."},
        subcommands = {BenchInferenceCommand.class})
public final class BenchCommand implements Callable<Integer> {
    @Option(names = "--bundle", paramLabel = "DIR", defaultValue = "target/bundles/video-games",
            description = "Model bundle (default: ${DEFAULT-VALUE}).")
    Path bundle;

    @Option(names = "--data", paramLabel = "DIR", defaultValue = "../shared/data/amazon-video-games-2018",
            description = "Data set whose interactions are produced (default: ${DEFAULT-VALUE}).")
    Path data;

    @Option(names = "--rates", defaultValue = "100,250,500,1000,2000,4000,8000,16000,32000",
            description = "Offered events per second, one step each, increasing (default: ${DEFAULT-VALUE}).")
    String rates;

    @Option(names = "--step-seconds", defaultValue = "10", description = "Measured seconds per step (default: ${DEFAULT-VALUE}).")
    double stepSeconds;

    @Option(names = "--warmup-seconds", defaultValue = "2", description = "Unmeasured seconds at the start of each step (default: ${DEFAULT-VALUE}).")
    double warmupSeconds;

    @Option(names = "--modes", split = ",", defaultValue = "batched,per-event,state-only",
            description = "Job variants to run, in order (default: ${DEFAULT-VALUE}).")
    List<String> modes;

    @Option(names = "--max-batch", defaultValue = "64", description = "Batched mode's max batch size (default: ${DEFAULT-VALUE}).")
    int maxBatch;

    @Option(names = "--max-delay", defaultValue = "10ms", description = "Batched mode's max batch delay (default: ${DEFAULT-VALUE}).")
    String maxDelay;

    @Option(names = "--checkpoint-interval", defaultValue = "2s",
            description = "Checkpoint (= exactly-once commit) interval (default: ${DEFAULT-VALUE}).")
    String checkpointInterval;

    @Option(names = "--parallelism", defaultValue = "1",
            description = "Job parallelism: task slots, each with its own models (default: ${DEFAULT-VALUE}).")
    int parallelism;

    @Option(names = "--torch-threads", defaultValue = "1", description = "PyTorch threads per inference slot (default: ${DEFAULT-VALUE}).")
    int torchThreads;

    @Option(names = "--device", defaultValue = "cpu", description = "cpu, gpu or auto (default: ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--min-share", defaultValue = "0.9",
            description = "A step is sustained when at least this share of the offered rate came out ... (default: ${DEFAULT-VALUE})")
    double minShare;

    @Option(names = "--max-backlog-seconds", defaultValue = "1",
            description = "... and the backlog at its end is under this many seconds of input (default: ${DEFAULT-VALUE}).")
    double maxBacklogSeconds;

    @Option(names = "--buffer-timeout", paramLabel = "DURATION",
            description = "Flink network buffer timeout (default: the real-time job's, 10ms; Flink's own default is 100ms).")
    String bufferTimeout;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "target/bench",
            description = "Work directory (broker, checkpoints) and where results go (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--verbose", description = "Keep Flink's, Kafka's and DJL's warnings on the console.")
    boolean verbose;

    @Override
    public Integer call() throws Exception {
        StreamBench.checkInputs(bundle, data);
        if (!verbose) quietLogs();
        List<BenchMode> parsedModes = modes.stream().map(BenchMode::parse).toList();
        StreamBench.Settings s = new StreamBench.Settings(bundle, data, RateSteps.parse(rates), stepSeconds, warmupSeconds,
                parsedModes, maxBatch, maxDelay, checkpointInterval, torchThreads, device, out, minShare, maxBacklogSeconds, bufferTimeout, parallelism);
        StreamBench.Result r = new StreamBench(s, System.err).run();
        String table = StreamBench.table(r).toText();
        System.out.println();
        System.out.println(table);
        Path written = BenchReport.write(out, "stream", "# sidflow bench\n\nBundle `" + r.bundleVersion() + "`, data `"
                + r.data() + "`, settings " + r.settings() + "\n\n" + StreamBench.table(r).toMarkdown(), r);
        System.err.println("results: " + written + " (.md and .json)");
        return 0;
    }

    /** The progress lines are the output: the job's own warnings (metric name clashes, retried commits) would bury them. */
    static void quietLogs() {
        // every configured logger (org.apache.flink, org.apache.kafka, ai.djl, ...) and the root
        org.apache.logging.log4j.core.config.Configurator.setAllLevels(
                org.apache.logging.log4j.LogManager.ROOT_LOGGER_NAME, org.apache.logging.log4j.Level.ERROR);
    }
}
