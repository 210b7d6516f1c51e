package dev.sidflow.stream;

import dev.sidflow.model.ModelBundle;
import dev.sidflow.model.TinyBundle;
import dev.sidflow.schema.EventType;
import dev.sidflow.schema.InteractionEvent;
import dev.sidflow.stream.serde.RecordCodec;
import dev.sidflow.stream.serde.WireFormat;
import org.apache.flink.api.common.JobExecutionResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Memory over a long replay, on demand (not part of the suite: its name matches no test pattern).
 * Replays {@code -Dprobe.events} (default 60,000) events of {@code -Dprobe.users} (default 6,000)
 * users through the real workflow on a MiniCluster with RocksDB and checkpoints, and samples this
 * JVM's resident set size and old-generation heap (as left by the last GC) every 5 s.
 *
 * <pre>./mvnw -B -o -q test -Dtest=ReplayMemoryProbe -Dprobe.events=120000 -Dprobe.users=10000 -Dsurefire.failIfNoSpecifiedTests=false
 * cat target/reliability/rss.csv</pre>
 */
class ReplayMemoryProbe {
    /** Where the samples go, relative to the project directory Maven runs the test in. */
    static final Path CSV = Path.of("target", "reliability", "rss.csv");

    record Sample(long seconds, long rssMb, long heapAfterGcMb, long heapUsedMb) {}

    @Test
    void memoryStaysFlatOverALongReplay(@TempDir Path dir) throws Exception {
        int events = Integer.getInteger("probe.events", 60_000);
        int users = Integer.getInteger("probe.users", 6_000);
        List<String> items = ModelBundle.open(TinyBundle.dir()).itemIds();
        Path input = dir.resolve("events.jsonl");
        RecordCodec<InteractionEvent> json = RecordCodec.of(InteractionEvent.class, WireFormat.JSON);
        Random rnd = new Random(1);
        long t0 = Instant.parse("2024-01-01T00:00:00Z").toEpochMilli();
        try (OutputStream out = Files.newOutputStream(input)) {
            for (int i = 0; i < events; i++) {
                out.write(json.encode(InteractionEvent.newBuilder().setEventId("e" + i).setUserId("u" + rnd.nextInt(users))
                        .setItemId(items.get(rnd.nextInt(items.size()))).setEventType(EventType.PURCHASE)
                        .setEventTime(Instant.ofEpochMilli(t0 + i * 1000L)).build()));
                out.write('\n');
            }
        }
        Path specFile = dir.resolve("replay.yaml");
        Files.writeString(specFile, String.join("\n",
                "name: memory-probe",
                "mode: replay",
                "bundle: " + TinyBundle.dir(),
                "device: cpu",
                "batching: {maxBatchSize: 64, maxDelay: 10ms}",
                "history: {length: 20, dedupWindow: 64, ttl: 30d}",
                "replay: {input: " + input + ", output: " + dir.resolve("recs") + ", deadLetters: " + dir.resolve("dlq") + ", evaluate: true}",
                "checkpoints: {interval: 5s, dir: " + dir.resolve("checkpoints") + ", incremental: true}"));

        List<Sample> samples = new ArrayList<>();
        long start = System.nanoTime();
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        sampler.scheduleAtFixedRate(() -> {
            synchronized (samples) {
                samples.add(sample(start));
            }
        }, 0, 5, TimeUnit.SECONDS);
        JobExecutionResult result;
        try {
            result = JobRunner.run(JobRunner.prepareLocal(JobSpec.load(specFile), false));
        } finally {
            sampler.shutdownNow();
        }
        long recs = 0;
        for (Path p : ReplayJob.outputFiles(dir.resolve("recs"), ReplayJob.RECOMMENDATIONS_PREFIX)) {
            try (var lines = Files.lines(p)) {
                recs += lines.count();
            }
        }
        double secs = (System.nanoTime() - start) / 1e9;
        System.out.printf("replayed %d events of %d users: %d recommendations in %.0f s (%.0f/s)%n", events, users, recs, secs, recs / secs);
        System.out.println("   t(s)  RSS(MB)  heap after last GC (MB)  heap used (MB)");
        synchronized (samples) {
            for (Sample s : samples) System.out.printf("%7d %8d %24d %15d%n", s.seconds, s.rssMb, s.heapAfterGcMb, s.heapUsedMb);
            writeCsv(samples, events, users);
            assertThat(recs).isEqualTo(events);
            assertThat(samples).hasSizeGreaterThan(4);
            // Flat: after warm-up (the first quarter: models, RocksDB, class loading) neither the live heap nor
            // the process's resident memory may keep growing with the number of events and users seen.
            List<Sample> steady = samples.subList(samples.size() / 4, samples.size());
            List<Sample> lastQuarter = samples.subList(samples.size() * 3 / 4, samples.size());
            long rssWarm = steady.get(0).rssMb;
            long rssMax = steady.stream().mapToLong(Sample::rssMb).max().orElseThrow();
            long liveWarm = steady.stream().limit(Math.max(1, steady.size() / 3)).mapToLong(Sample::heapAfterGcMb).max().orElseThrow();
            long liveLate = lastQuarter.stream().mapToLong(Sample::heapAfterGcMb).max().orElseThrow();
            System.out.printf("RSS %d MB after warm-up, at most %d MB later (%+.1f %%); live heap after GC %d MB early, %d MB late%n",
                    rssWarm, rssMax, 100.0 * (rssMax - rssWarm) / rssWarm, liveWarm, liveLate);
            System.out.println("job summary: " + JobRunner.summary(result));
            assertThat(rssMax).isLessThanOrEqualTo(rssWarm + rssWarm / 5);
            assertThat(liveLate).isLessThanOrEqualTo(liveWarm + liveWarm / 2 + 16);
        }
    }

    /** The samples as {@link #CSV} (docs/reliability.md's RSS table comes from it), with the run's size in a comment line. */
    private static void writeCsv(List<Sample> samples, int events, int users) throws java.io.IOException {
        Files.createDirectories(CSV.getParent());
        List<String> lines = new ArrayList<>();
        lines.add("# ReplayMemoryProbe: " + events + " events of " + users + " users, sampled every 5 s");
        lines.add("seconds,rss_mb,heap_after_gc_mb,heap_used_mb");
        for (Sample s : samples) lines.add(s.seconds + "," + s.rssMb + "," + s.heapAfterGcMb + "," + s.heapUsedMb);
        Files.write(CSV, lines);
        System.out.println("samples written to " + CSV.toAbsolutePath());
    }

    private static Sample sample(long start) {
        long rssKb = 0;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) rssKb = Long.parseLong(line.replaceAll("\\D", ""));
            }
        } catch (Exception e) {
            rssKb = -1;
        }
        // heap left by the most recent collection (young or full): what is live, without garbage
        long afterGc = 0;
        for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof com.sun.management.GarbageCollectorMXBean g && g.getLastGcInfo() != null) {
                long used = 0;
                for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                    var u = g.getLastGcInfo().getMemoryUsageAfterGc().get(pool.getName());
                    if (pool.getType() == MemoryType.HEAP && u != null) used += u.getUsed();
                }
                afterGc = Math.max(afterGc, used);
            }
        }
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        return new Sample((System.nanoTime() - start) / 1_000_000_000L, rssKb / 1024, afterGc >> 20, heap >> 20);
    }
}
