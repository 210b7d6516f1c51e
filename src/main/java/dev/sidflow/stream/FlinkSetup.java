package dev.sidflow.stream;

import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.core.execution.CheckpointingMode;

import java.nio.file.Path;

/** The Flink configuration every sidflow job runs with, derived from its spec. */
public final class FlinkSetup {
    /**
     * Key groups of keyed state. Fixed so a savepoint restores at any parallelism up to it (the
     * default would be derived from the first run's parallelism); changing it loses keyed state.
     */
    public static final int MAX_PARALLELISM = 128;
    /** Network buffer timeout of real-time jobs. */
    public static final java.time.Duration REALTIME_BUFFER_TIMEOUT = java.time.Duration.ofMillis(10);

    private FlinkSetup() {}

    public static Configuration configuration(JobSpec spec) {
        Configuration conf = new Configuration();
        // Keyed history lives in RocksDB: state larger than memory, incremental checkpoints.
        conf.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
        conf.set(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE, CheckpointingMode.EXACTLY_ONCE);
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, JobSpec.duration(spec.checkpoints().interval()));
        conf.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, spec.checkpoints().incremental());
        conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, uri(spec.checkpoints().dir()));
        conf.set(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION, spec.checkpoints().retainOnCancel()
                ? ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION
                : ExternalizedCheckpointRetention.DELETE_ON_CANCELLATION);
        // Every type on the wire and in state has a Flink serializer (POJO/Avro); fail fast on Kryo.
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        conf.set(PipelineOptions.NAME, spec.name());
        conf.set(PipelineOptions.MAX_PARALLELISM, MAX_PARALLELISM);
        // Savepoints map state to operators by uid: refuse to build a job with an operator lacking one.
        conf.set(PipelineOptions.AUTO_GENERATE_UIDS, false);
        // Loopback only, every listener (the MiniCluster's blob server binds to the JobManager's bind host).
        conf.set(org.apache.flink.configuration.JobManagerOptions.BIND_HOST, "127.0.0.1");
        conf.set(org.apache.flink.configuration.TaskManagerOptions.BIND_HOST, "127.0.0.1");
        // Real time: flush network buffers every 10 ms instead of Flink's 100 ms, which otherwise adds
        // up to 100 ms per network hop at low rates (measured with `sidflow bench`, docs/benchmarks.md).
        if ("realtime".equals(spec.mode())) conf.set(ExecutionOptions.BUFFER_TIMEOUT, REALTIME_BUFFER_TIMEOUT);
        conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        conf.set(RestOptions.ADDRESS, "127.0.0.1");
        if (spec.web() != null) conf.set(RestOptions.PORT, spec.web().port());
        if (spec.metrics() != null && spec.metrics().prometheusPort() > 0) {
            // not Flink's PrometheusReporterFactory: its HTTP server binds every interface (it has no host option)
            conf.setString("metrics.reporter.prom.factory.class", LoopbackPrometheusReporterFactory.class.getName());
            conf.setString("metrics.reporter.prom." + LoopbackPrometheusReporterFactory.PORT, Integer.toString(spec.metrics().prometheusPort()));
            conf.setString("metrics.reporter.prom." + LoopbackPrometheusReporterFactory.HOST, "127.0.0.1");
        }
        return conf;
    }

    /** A checkpoint directory as a URI; relative paths are resolved against the working directory. */
    public static String uri(String dir) {
        if (dir.contains("://")) return dir;
        return Path.of(dir).toAbsolutePath().normalize().toUri().toString();
    }
}
