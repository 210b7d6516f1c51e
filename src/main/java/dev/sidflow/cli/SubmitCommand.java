package dev.sidflow.cli;

import dev.sidflow.stream.FlinkSetup;
import dev.sidflow.stream.JobRunner;
import dev.sidflow.stream.JobSpec;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code sidflow submit SPEC}: submits a job spec to a running Flink cluster. */
@Command(name = "submit", mixinStandardHelpOptions = true,
        description = {"Submit a job spec to a running Flink cluster.",
                "E.g. one started by `sidflow flink start`. The job jar is sidflow's own jar; the model bundle",
                "path must be readable from every TaskManager."})
public final class SubmitCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "SPEC", description = "Job spec file.")
    Path spec;

    @Option(names = "--jobmanager", defaultValue = "127.0.0.1:8081", description = "REST address host:port (default: ${DEFAULT-VALUE}).")
    String jobManager;

    @Option(names = "--jar", paramLabel = "FILE",
            description = "Job jar (default: target/sidflow-*-all.jar if built with -Pdist, else target/sidflow-*.jar).")
    Path jar;

    @Option(names = "--bundle", paramLabel = "DIR", description = "Model bundle (overrides the spec's).")
    String bundle;

    @Option(names = "--wait", description = "Wait for the job to finish (bounded jobs such as replays).")
    boolean await;

    @Override
    public Integer call() throws Exception {
        JobSpec jobSpec = JobSpec.load(spec);
        if (bundle != null) jobSpec = jobSpec.withBundle(Path.of(bundle).toAbsolutePath().toString());
        Path jobJar = jar != null ? jar : defaultJar();
        String[] hp = jobManager.split(":");
        if (hp.length != 2) throw new IllegalArgumentException("--jobmanager must be host:port, got " + jobManager);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createRemoteEnvironment(hp[0], Integer.parseInt(hp[1]),
                FlinkSetup.configuration(jobSpec), jobJar.toAbsolutePath().toString());
        JobRunner.define(env, jobSpec);
        JobClient client = env.executeAsync(jobSpec.name());
        System.out.println("submitted " + jobSpec.name() + " as job " + client.getJobID() + " to http://" + jobManager);
        if (await) {
            var result = client.getJobExecutionResult().get();
            System.out.println("job " + client.getJobID() + " finished in " + result.getNetRuntime() / 1000.0 + " s");
            JobRunner.summary(result).forEach((k, v) -> System.out.printf("  %-22s %.4f%n", k, v));
        }
        return 0;
    }

    static Path defaultJar() throws java.io.IOException {
        Path target = Path.of(System.getProperty("sidflow.home", "."), "target");
        try (var files = Files.list(target)) {
            var jars = files.filter(p -> p.getFileName().toString().matches("sidflow-.*\\.jar")).sorted().toList();
            return jars.stream().filter(p -> p.toString().endsWith("-all.jar")).findFirst()
                    .or(() -> jars.stream().findFirst())
                    .orElseThrow(() -> new IllegalArgumentException("no job jar in " + target + ": run ./mvnw -DskipTests package"));
        }
    }
}
