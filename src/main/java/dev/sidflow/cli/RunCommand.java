package dev.sidflow.cli;

import dev.sidflow.stream.JobRunner;
import dev.sidflow.stream.JobSpec;
import org.apache.flink.api.common.JobExecutionResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code sidflow run SPEC}: runs a job spec on an embedded Flink MiniCluster. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run a job spec (flink-jobs/*.yaml) on an embedded Flink MiniCluster.",
                "RocksDB state and exactly-once checkpoints; the real-time job runs until stopped (Ctrl-C),",
                "a replay until its input ends.",
                "Example: sidflow run flink-jobs/realtime.yaml --bundle target/bundles/demo",
                "Replay part of a topic: sidflow run flink-jobs/replay.yaml --input kafka:sidflow.events "
                        + "--start 2024-01-01T00:00:00Z --stop 2024-02-01T00:00:00Z --output kafka:sidflow.replay.recs"})
public final class RunCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "SPEC", description = "Job spec file.")
    Path spec;

    @Option(names = "--bundle", paramLabel = "DIR", description = "Model bundle (overrides the spec's).")
    String bundle;

    @Option(names = "--input", paramLabel = "PATH|kafka:TOPIC",
            description = {"Input (overrides replay.input, or catalog.data for the catalog job): a canonical data set "
                    + "directory, a JSONL or Avro data file of events, or kafka:TOPIC (brokers from the spec's kafka section)."})
    String input;

    @Option(names = "--start", paramLabel = "BOUND",
            description = "Replay of kafka:TOPIC: where to start, inclusive (overrides replay.start): earliest, epoch ms, "
                    + "ISO-8601 (2024-01-02T03:04:05Z; by Kafka record timestamp) or partition offsets (0:120,1:98).")
    String start;

    @Option(names = "--stop", paramLabel = "BOUND",
            description = "Replay of kafka:TOPIC: where to stop, exclusive (overrides replay.stop): latest, epoch ms, "
                    + "ISO-8601 or partition offsets.")
    String stop;

    @Option(names = "--output", paramLabel = "DIR|kafka:TOPIC",
            description = "Replay recommendations (overrides replay.output): a directory of JSONL files or kafka:TOPIC.")
    String output;

    @Option(names = "--no-web-ui", description = "Do not start Flink's web UI.")
    boolean noWebUi;

    @Option(names = "--from", paramLabel = "PATH",
            description = "Restore from this retained checkpoint or savepoint; 'latest' = the newest under the spec's checkpoint dir.")
    String restoreFrom;

    @Override
    public Integer call() throws Exception {
        JobSpec jobSpec = JobSpec.load(spec);
        if (bundle != null) jobSpec = jobSpec.withBundle(bundle);
        if (input != null && "catalog".equals(jobSpec.mode())) jobSpec = jobSpec.withCatalog(new JobSpec.CatalogSource(input));
        else if (input != null) jobSpec = jobSpec.withReplay(jobSpec.replay().withInput(input));
        if (start != null || stop != null) jobSpec = jobSpec.withReplay(jobSpec.replay().withRange(start, stop));
        if (output != null) jobSpec = jobSpec.withReplay(jobSpec.replay().withOutput(output));
        String from = restoreFrom;
        if ("latest".equals(from)) {
            String dir = jobSpec.checkpoints().dir();
            from = JobRunner.latestCheckpoint(Path.of(dir)).map(p -> p.toUri().toString())
                    .orElseThrow(() -> new IllegalArgumentException("no retained checkpoint under " + dir));
            System.err.println("restoring from " + from);
        }
        JobRunner.Prepared job = JobRunner.prepareLocal(jobSpec, !noWebUi, from);
        if (!noWebUi) System.err.println("Flink web UI: http://127.0.0.1:" + jobSpec.web().port());
        System.err.println("running " + jobSpec.name() + " (" + jobSpec.mode() + ")"
                + ("catalog".equals(jobSpec.mode()) ? "" : " with bundle " + jobSpec.bundle()));
        JobExecutionResult result = JobRunner.run(job);
        Map<String, Double> summary = new java.util.TreeMap<>(JobRunner.summary(result));
        if (summary.containsKey("distinct.recommended.items")) {
            int catalog = dev.sidflow.model.ModelBundle.open(Path.of(jobSpec.bundle())).manifest().items();
            summary.put("coverage", summary.get("distinct.recommended.items") / catalog);
        }
        System.out.println("job " + jobSpec.name() + " finished in " + result.getNetRuntime() / 1000.0 + " s");
        summary.forEach((k, v) -> System.out.printf("  %-22s %s%n", k, k.startsWith("HR") || k.startsWith("NDCG") || k.equals("coverage")
                ? String.format("%.4f", v) : String.format("%.0f", v)));
        return 0;
    }
}
