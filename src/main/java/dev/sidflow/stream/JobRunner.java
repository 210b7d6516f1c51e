package dev.sidflow.stream;

import dev.sidflow.model.ModelBundle;
import dev.sidflow.serve.BundleServiceFactory;
import dev.sidflow.serve.RecommendationServiceFactory;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Builds a job from its spec and runs it on a local MiniCluster (or the environment given). */
public final class JobRunner {
    private JobRunner() {}

    /** A job ready to execute: the environment with the job defined on it. */
    public record Prepared(StreamExecutionEnvironment env, JobSpec spec) {}

    public static Prepared prepareLocal(JobSpec spec, boolean webUi) throws IOException {
        return prepareLocal(spec, webUi, null);
    }

    /** @param restoreFrom a retained checkpoint or savepoint to start from (keeps users' histories), or null */
    public static Prepared prepareLocal(JobSpec spec, boolean webUi, String restoreFrom) throws IOException {
        return prepareLocal(spec, webUi, restoreFrom, out -> {}, RecommendationWorkflow.NO_SPLICE);
    }

    /** @param beforeSink see {@link RecommendationWorkflow.BeforeSink} (fault-injection tests only; real-time jobs) */
    public static Prepared prepareLocal(JobSpec spec, boolean webUi, String restoreFrom,
                                        RecommendationWorkflow.BeforeSink beforeSink) throws IOException {
        return prepareLocal(spec, webUi, restoreFrom, out -> {}, beforeSink);
    }

    /**
     * @param tap attaches extra consumers to the workflow's streams (tests observe accepted requests
     *            and their histories this way); what it adds needs its own uids
     */
    public static Prepared prepareLocalTapped(JobSpec spec, boolean webUi, String restoreFrom,
                                              java.util.function.Consumer<RecommendationWorkflow.Outputs> tap) throws IOException {
        return prepareLocal(spec, webUi, restoreFrom, tap, RecommendationWorkflow.NO_SPLICE);
    }

    private static Prepared prepareLocal(JobSpec spec, boolean webUi, String restoreFrom,
                                         java.util.function.Consumer<RecommendationWorkflow.Outputs> tap,
                                         RecommendationWorkflow.BeforeSink beforeSink) throws IOException {
        Configuration conf = FlinkSetup.configuration(spec);
        if (restoreFrom != null) conf.set(org.apache.flink.configuration.StateRecoveryOptions.SAVEPOINT_PATH, restoreFrom);
        StreamExecutionEnvironment env = webUi
                ? StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(conf)
                : StreamExecutionEnvironment.createLocalEnvironment(spec.parallelism(), conf);
        RecommendationWorkflow.Outputs outputs = define(env, spec, beforeSink);
        if (outputs != null) tap.accept(outputs);
        return new Prepared(env, spec);
    }

    /** Defines the spec's job on an environment (local or remote); a catalog job has no outputs to return (null). */
    public static RecommendationWorkflow.Outputs define(StreamExecutionEnvironment env, JobSpec spec) throws IOException {
        return define(env, spec, RecommendationWorkflow.NO_SPLICE);
    }

    private static RecommendationWorkflow.Outputs define(StreamExecutionEnvironment env, JobSpec spec,
                                                         RecommendationWorkflow.BeforeSink beforeSink) throws IOException {
        if (beforeSink != RecommendationWorkflow.NO_SPLICE && !"realtime".equals(spec.mode())) {
            throw new IllegalArgumentException("a stage before the sink is only spliced into real-time jobs");
        }
        // a refused password fails here, at once, instead of as a job that restarts for ever
        if (KafkaPreflight.needed(spec)) KafkaPreflight.check(spec);
        env.setParallelism(spec.parallelism());
        if ("catalog".equals(spec.mode())) { // needs no model bundle, has no recommendation outputs
            CatalogJob.define(env, spec);
            return null;
        }
        Path bundleDir = Path.of(spec.bundle());
        ModelBundle bundle = ModelBundle.open(bundleDir);
        Set<String> items = new HashSet<>(bundle.itemIds());
        RecommendationServiceFactory services = new BundleServiceFactory(bundleDir, spec.device(), spec.recommend().topK(),
                Integer.getInteger("sidflow.torch.threads", 1));
        return switch (spec.mode()) {
            case "realtime" -> RealtimeJob.define(env, spec, items, services, beforeSink);
            case "replay" -> ReplayJob.define(env, spec, items, services);
            default -> throw new IllegalArgumentException("job mode must be realtime, replay or catalog: " + spec.mode());
        };
    }

    /**
     * The newest retained checkpoint under a checkpoint directory ({@code <dir>/<job id>/chk-N} with
     * its {@code _metadata}), if any.
     */
    public static java.util.Optional<Path> latestCheckpoint(Path dir) throws IOException {
        if (!java.nio.file.Files.isDirectory(dir)) return java.util.Optional.empty();
        try (var s = java.nio.file.Files.walk(dir, 3)) {
            return s.filter(p -> p.getFileName().toString().startsWith("chk-") && java.nio.file.Files.exists(p.resolve("_metadata")))
                    .max(java.util.Comparator.comparingLong((Path p) -> p.toFile().lastModified())
                            .thenComparingLong(p -> Long.parseLong(p.getFileName().toString().substring(4))));
        }
    }

    public static JobClient start(Prepared job) throws Exception {
        return job.env().executeAsync(job.spec().name());
    }

    public static JobExecutionResult run(Prepared job) throws Exception {
        return job.env().execute(job.spec().name());
    }

    /** The prequential metrics and latency percentiles a finished job accumulated. */
    public static Map<String, Double> summary(JobExecutionResult result) {
        Map<String, Double> out = new TreeMap<>();
        Map<String, Object> acc = result.getAllAccumulatorResults();
        Object evaluated = acc.get(PrequentialEvaluator.ACC_PREFIX + "evaluated");
        long n = evaluated instanceof Number num ? num.longValue() : 0;
        out.put("evaluated", (double) n);
        if (acc.get(PrequentialEvaluator.ACC_PREFIX + "distinctRecommendedItems") instanceof java.util.Collection<?> items) {
            out.put("distinct.recommended.items", (double) items.size());
        }
        for (int k : PrequentialEvaluator.KS) {
            Object hits = acc.get(PrequentialEvaluator.ACC_PREFIX + "hits@" + k);
            Object ndcg = acc.get(PrequentialEvaluator.ACC_PREFIX + "ndcg@" + k);
            if (n > 0 && hits instanceof Number h) out.put("HR@" + k, h.doubleValue() / n);
            if (n > 0 && ndcg instanceof Number d) out.put("NDCG@" + k, d.doubleValue() / n);
        }
        for (String counter : new String[] {ForwardChangedItems.FORWARDED, ForwardChangedItems.UNCHANGED}) {
            if (acc.get(counter) instanceof Number c) out.put(counter, c.doubleValue());
        }
        if (acc.get(BatchingInferenceOperator.LATENCY_ACCUMULATOR) instanceof Map<?, ?> hist && !hist.isEmpty()) {
            long total = 0;
            for (Object c : hist.values()) total += ((Number) c).longValue();
            out.put("recommendations", (double) total);
            for (double q : new double[] {0.5, 0.99, 0.999}) out.put("latency.p" + (q * 100) + ".ms", quantile(hist, total, q));
        }
        return out;
    }

    private static double quantile(Map<?, ?> hist, long total, double q) {
        long target = (long) Math.ceil(q * total);
        long seen = 0;
        for (Map.Entry<?, ?> e : hist.entrySet()) {
            seen += ((Number) e.getValue()).longValue();
            if (seen >= target) return ((Number) e.getKey()).doubleValue();
        }
        return Double.NaN;
    }
}
