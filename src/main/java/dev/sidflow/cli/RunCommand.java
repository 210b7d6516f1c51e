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
                "Example: sidflow run flink-jobs/realtime.yaml --bundle target/bundles/demo"})
public final class RunCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "SPEC", description = "Job spec file.")
    Path spec;

    @Option(names = "--bundle", paramLabel = "DIR", description = "Model bundle (overrides the spec's).")
    String bundle;

    @Option(names = "--input", paramLabel = "PATH",
            description = "Replay input (overrides replay.input): a canonical data set directory or a JSONL file of events.")
    String replayInput;

    @Option(names = "--no-web-ui", description = "Do not start Flink's web UI.")
    boolean noWebUi;

    @Option(names = "--from", paramLabel = "PATH",
            description = "Restore from this retained checkpoint or savepoint; 'latest' = the newest under the spec's checkpoint dir.")
    String restoreFrom;

    @Override
    public Integer call() throws Exception {
        JobSpec jobSpec = JobSpec.load(spec);
        if (bundle != null) jobSpec = jobSpec.withBundle(bundle);
        if (replayInput != null) {
            JobSpec.Replay r = jobSpec.replay();
            jobSpec = jobSpec.withReplay(new JobSpec.Replay(replayInput, r.output(), r.deadLetters(), r.evaluate(), r.kafka()));
        }
        String from = restoreFrom;
        if ("latest".equals(from)) {
            String dir = jobSpec.checkpoints().dir();
            from = JobRunner.latestCheckpoint(Path.of(dir)).map(p -> p.toUri().toString())
                    .orElseThrow(() -> new IllegalArgumentException("no retained checkpoint under " + dir));
            System.err.println("restoring from " + from);
        }
        JobRunner.Prepared job = JobRunner.prepareLocal(jobSpec, !noWebUi, from);
        if (!noWebUi) System.err.println("Flink web UI: http://127.0.0.1:" + jobSpec.web().port());
        System.err.println("running " + jobSpec.name() + " (" + jobSpec.mode() + ") with bundle " + jobSpec.bundle());
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
