package dev.sidflow.bench;

import dev.sidflow.data.Dataset;
import dev.sidflow.data.DatasetFormat;
import dev.sidflow.data.Interaction;
import dev.sidflow.model.ModelBundle;
import dev.sidflow.schema.InteractionEvent;
import dev.sidflow.serve.BundleServiceFactory;
import dev.sidflow.serve.RecommendationServiceFactory;
import dev.sidflow.stream.BatchingInferenceOperator;
import dev.sidflow.stream.FlinkSetup;
import dev.sidflow.stream.JobSpec;
import dev.sidflow.stream.RealtimeJob;
import dev.sidflow.stream.kafka.BrokerSettings;
import dev.sidflow.stream.kafka.EventMapping;
import dev.sidflow.stream.kafka.KafkaClientSettings;
import dev.sidflow.stream.kafka.KafkaTopics;
import dev.sidflow.stream.kafka.LocalKafkaBroker;
import dev.sidflow.stream.kafka.TokenBucket;
import dev.sidflow.stream.kafka.TopicAdmin;
import dev.sidflow.stream.serde.RecordCodec;
import dev.sidflow.stream.serde.WireFormat;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.HeartbeatManagerOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * End-to-end throughput and latency of the real-time job: a real Kafka broker (its own process),
 * the job on a local MiniCluster (RocksDB, exactly-once Kafka sink), Video Games interactions
 * produced at increasing rates. Per step: recommendations per second, processing latency (event
 * sent -> recommendation visible to a read_uncommitted consumer, i.e. before the exactly-once
 * commit), committed latency (read_committed consumer), in-job latency, mean batch size, CPU and
 * memory. Each {@link BenchMode} runs as its own job on its own topics, one after the other.
 */
public final class StreamBench {

    /** What to run. */
    public record Settings(Path bundle, Path data, List<Double> rates, double stepSeconds, double warmupSeconds,
                           List<BenchMode> modes, int maxBatchSize, String maxDelay, String checkpointInterval,
                           int torchThreads, String device, Path workDir, double minShare, double maxBacklogSeconds,
                           String bufferTimeout, int parallelism) {
        public Settings {
            if (parallelism < 1) throw new IllegalArgumentException("parallelism must be >= 1: " + parallelism);
        }
    }

    /**
     * One rate step of one mode. Latencies in ms; NaN = no sample, +inf = not all answered in time.
     * {@code meanCallMs}: mean duration of one batched model call; {@code modelBusyShare}: share of
     * the step's wall time the inference slots spent in model calls (1 = every slot always busy).
     */
    public record Step(String mode, double offered, double sent, double delivered, boolean sustained, long measuredEvents,
                       long backlogAtEnd, double meanBatch, double inJobP50, double inJobP99,
                       double processingP50, double processingP99, double processingP999,
                       double committedP50, double committedP99, double committedP999,
                       double jobCores, double brokerCores, double driverCores, double perBusyCore,
                       long jobRssMb, long brokerRssMb, double meanCallMs, double modelBusyShare) {}

    /** A whole run. */
    public record Result(String bundle, String bundleVersion, String data, long distinctEvents,
                         Map<String, Object> settings, List<Step> steps) {}

    private final Settings settings;
    private final PrintStream log;

    public StreamBench(Settings settings, PrintStream log) {
        this.settings = settings;
        this.log = log;
    }

    /** Fails with a clear message when the data or the bundle is not there. */
    public static void checkInputs(Path bundle, Path data) {
        if (!ModelBundle.exists(bundle)) {
            throw new IllegalArgumentException("no model bundle at " + bundle + " (build one with `sidflow train`)");
        }
        if (!Files.isDirectory(data)) {
            throw new IllegalArgumentException("data set not found: " + data + " (the Amazon Video Games 2018 set lives in "
                    + "../shared/data/amazon-video-games-2018; give another with --data)");
        }
    }

    public Result run() throws Exception {
        checkInputs(settings.bundle(), settings.data());
        ModelBundle bundle = ModelBundle.open(settings.bundle());
        Set<String> items = new HashSet<>(bundle.itemIds());
        log.println("loading " + settings.data() + " ...");
        Dataset ds = DatasetFormat.loadAuto(settings.data());
        // event-time order interleaves users (Amazon's sequence files advance all users together)
        List<Interaction> events = ds.interactions().stream().filter(i -> items.contains(i.itemId()))
                .sorted(Comparator.comparingLong(Interaction::timestamp)).toList();
        if (events.isEmpty()) throw new IllegalArgumentException("no interaction of " + settings.data() + " is an item of the bundle");
        log.printf("%,d events of %,d users over %,d items; bundle %s%n", events.size(), ds.userCount(), items.size(),
                bundle.manifest().version());

        Path kafkaDir = settings.workDir().resolve("kafka");
        dev.sidflow.data.FileTrees.delete(kafkaDir);
        int port = freePortPair();
        LocalKafkaBroker broker = new LocalKafkaBroker(BrokerSettings.defaults(kafkaDir, port));
        log.println("starting a Kafka broker on 127.0.0.1:" + port + " ...");
        long brokerPid = broker.start().status().pid();
        List<Step> steps = new ArrayList<>();
        try {
            KafkaClientSettings client = KafkaClientSettings.of("127.0.0.1:" + port);
            for (BenchMode mode : settings.modes()) {
                steps.addAll(runMode(mode, client, brokerPid, bundle, items, events));
            }
        } finally {
            broker.stop(Duration.ofSeconds(30));
        }
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("rates", settings.rates());
        s.put("stepSeconds", settings.stepSeconds());
        s.put("warmupSeconds", settings.warmupSeconds());
        s.put("maxBatchSize", settings.maxBatchSize());
        s.put("maxDelay", settings.maxDelay());
        s.put("checkpointInterval", settings.checkpointInterval());
        s.put("torchThreads", settings.torchThreads());
        s.put("parallelism", settings.parallelism());
        s.put("device", settings.device());
        s.put("networkBufferTimeout", settings.bufferTimeout() == null
                ? FlinkSetup.REALTIME_BUFFER_TIMEOUT.toMillis() + "ms" : settings.bufferTimeout());
        s.put("topK", bundle.manifest().topK());
        s.put("beam", bundle.manifest().beam());
        return new Result(settings.bundle().toString(), bundle.manifest().version(), settings.data().toString(),
                events.size(), s, steps);
    }

    private List<Step> runMode(BenchMode mode, KafkaClientSettings client, long brokerPid, ModelBundle bundle,
                               Set<String> items, List<Interaction> events) throws Exception {
        String run = mode.id() + "-" + System.currentTimeMillis();
        KafkaTopics topics = new KafkaTopics("bench." + run + ".events", "bench." + run + ".catalog",
                "bench." + run + ".recommendations", "bench." + run + ".dead-letters");
        try (Admin admin = Admin.create(client.admin())) {
            // one partition per source subtask, so every slot reads
            TopicAdmin.ensureTopics(admin, topics.newTopics(settings.parallelism()));
        }
        JobSpec spec = jobSpec(mode, run, client, topics);
        RecommendationServiceFactory services = mode == BenchMode.STATE_ONLY
                ? new NoInferenceServiceFactory(settings.bundle(), spec.recommend().topK())
                : new BundleServiceFactory(settings.bundle(), settings.device(), spec.recommend().topK(), settings.torchThreads());
        Configuration conf = FlinkSetup.configuration(spec);
        conf.set(RestOptions.BIND_PORT, "0"); // never collide with another local cluster's REST port
        conf.set(HeartbeatManagerOptions.HEARTBEAT_INTERVAL, Duration.ofSeconds(1)); // fresher accumulators
        if (settings.bufferTimeout() != null) {
            conf.set(org.apache.flink.configuration.ExecutionOptions.BUFFER_TIMEOUT, JobSpec.duration(settings.bufferTimeout()));
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1, conf);
        RealtimeJob.define(env, spec, items, services);

        // warm-up (a trickle of up to 360 events, then 200) plus every step's warm-up and measured seconds, with slack
        long capacity = 2000;
        for (double r : settings.rates()) {
            capacity += (long) Math.ceil(r * (settings.warmupSeconds() + settings.stepSeconds()) * 1.1) + 100;
        }
        EventTracker tracker = new EventTracker((int) Math.min(Integer.MAX_VALUE - 8, capacity));
        log.printf("%n== %s (%s): starting the job ...%n", mode.id(), mode.description());
        JobClient job = env.executeAsync(spec.name());
        List<Step> steps = new ArrayList<>();
        try (EventTracker.Readers readers = tracker.startReaders(client, topics.recommendations());
             KafkaProducer<String, byte[]> producer = producer(client)) {
            awaitRunning(job);
            Driver driver = new Driver(producer, topics.events(), events, tracker);
            driver.warmUp(Duration.ofSeconds(180));
            log.printf("   job answers; warm-up done (%d events)%n", driver.sent());

            List<StepWindow> windows = new ArrayList<>();
            for (double rate : settings.rates()) {
                StepWindow w = driver.step(rate, job, brokerPid, readers);
                windows.add(w);
                log.printf("   %8.0f/s offered: sent %8.1f/s, out %8.1f/s, backlog %,d%s%n", rate, w.sentRate(),
                        w.deliveredRate(tracker), w.backlogAtEnd(), w.sustained(settings, tracker) ? "" : "  -> saturated, stopping");
                if (!w.sustained(settings, tracker)) break;
            }
            // let the last checkpoint commit what was produced, for the committed-latency figures
            long drainMs = JobSpec.duration(settings.checkpointInterval()).toMillis() * 2 + 5000;
            long deadline = System.currentTimeMillis() + drainMs;
            while (tracker.committedCount() < driver.sent() && System.currentTimeMillis() < deadline) Thread.sleep(100);
            for (StepWindow w : windows) steps.add(w.toStep(mode, tracker, settings));
        } finally {
            job.cancel().get();
        }
        return steps;
    }

    private JobSpec jobSpec(BenchMode mode, String run, KafkaClientSettings client, KafkaTopics topics) throws IOException {
        boolean perEvent = mode == BenchMode.PER_EVENT;
        String yaml = String.join("\n",
                "name: sidflow-bench-" + run,
                "mode: realtime",
                "kafka:",
                "  bootstrap: " + client.bootstrapServers(),
                "  groupId: sidflow-bench-" + run,
                "  startingOffsets: earliest",
                "  format: avro",
                "  topics: {events: " + topics.events() + ", catalog: " + topics.catalog()
                        + ", recommendations: " + topics.recommendations() + ", deadLetters: " + topics.deadLetters() + "}",
                "bundle: " + settings.bundle().toAbsolutePath(),
                "device: " + settings.device(),
                "parallelism: " + settings.parallelism(),
                "batching: {maxBatchSize: " + (perEvent ? 1 : settings.maxBatchSize()) + ", maxDelay: "
                        + (perEvent ? "0ms" : settings.maxDelay()) + "}",
                "checkpoints: {interval: " + settings.checkpointInterval() + ", dir: "
                        + settings.workDir().resolve("checkpoints").resolve(run).toAbsolutePath()
                        + ", incremental: true, retainOnCancel: false}",
                "");
        Path file = settings.workDir().resolve("jobs").resolve(run + ".yaml");
        Files.createDirectories(file.getParent());
        Files.writeString(file, yaml);
        return JobSpec.load(file);
    }

    private static KafkaProducer<String, byte[]> producer(KafkaClientSettings client) {
        Properties p = client.producer();
        p.put(ProducerConfig.CLIENT_ID_CONFIG, EventTracker.DRIVER_THREAD_TAG + "-producer");
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    private static void awaitRunning(JobClient job) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (job.getJobStatus().get() != JobStatus.RUNNING) {
            if (job.getJobStatus().get().isGloballyTerminalState()) throw new IllegalStateException("the job ended while starting");
            if (System.nanoTime() > deadline) throw new IllegalStateException("the job did not start within 120 s");
            Thread.sleep(200);
        }
    }

    /** Sends events: paced steps, and a warm-up that waits for the first answers. */
    private final class Driver {
        private final KafkaProducer<String, byte[]> producer;
        private final String topic;
        private final List<Interaction> events;
        private final EventTracker tracker;
        private final RecordCodec<InteractionEvent> codec = RecordCodec.of(InteractionEvent.class, WireFormat.AVRO);
        private int next;

        Driver(KafkaProducer<String, byte[]> producer, String topic, List<Interaction> events, EventTracker tracker) {
            this.producer = producer;
            this.topic = topic;
            this.events = events;
            this.tracker = tracker;
        }

        int sent() {
            return next;
        }

        private void send() {
            int seq = next++;
            Interaction in = events.get(seq % events.size());
            long now = System.currentTimeMillis();
            InteractionEvent e = InteractionEvent.newBuilder()
                    .setEventId(EventTracker.key(seq))
                    .setUserId(in.userId())
                    .setItemId(in.itemId())
                    .setEventType(EventMapping.eventType(in.eventType()))
                    .setEventTime(Instant.ofEpochMilli(now))
                    .setQuery(null)
                    .setAttributes(Map.of())
                    .build();
            tracker.sent(seq, now);
            producer.send(new ProducerRecord<>(topic, null, now, in.userId(), codec.encode(e)));
        }

        /** Sends a trickle until the job answers (model loaded, pipeline warm), then 200 more at 50/s. */
        void warmUp(Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (tracker.processedCount() == 0) {
                if (System.nanoTime() > deadline) throw new IllegalStateException("no recommendation within " + timeout.toSeconds() + " s");
                send();
                producer.flush();
                Thread.sleep(500);
            }
            TokenBucket pace = new TokenBucket(50);
            for (int i = 0; i < 200; i++) {
                pace.acquire();
                send();
            }
            producer.flush();
            long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (tracker.processedCount() < next && System.nanoTime() < until) Thread.sleep(50);
        }

        StepWindow step(double rate, JobClient job, long brokerPid, EventTracker.Readers readers) throws Exception {
            TokenBucket pace = new TokenBucket(rate);
            long start = System.nanoTime();
            long warmEnd = start + (long) (settings.warmupSeconds() * 1e9);
            long end = start + (long) ((settings.warmupSeconds() + settings.stepSeconds()) * 1e9);
            while (System.nanoTime() < warmEnd) {
                pace.acquire();
                send();
            }
            Snapshot from = Snapshot.take(job, brokerPid, readers, next, tracker);
            while (System.nanoTime() < end) {
                pace.acquire();
                send();
            }
            Snapshot to = Snapshot.take(job, brokerPid, readers, next, tracker);
            return new StepWindow(rate, from, to, tracker.sentCount() - tracker.processedCount());
        }
    }

    /** Counters read at a step's measurement start and end. */
    record Snapshot(long wallMillis, int nextSeq, ProcessStats.Sample self, ProcessStats.Sample broker, long driverCpuNanos,
                    long batches, long batchedRequests, long inferenceMicros) {
        static Snapshot take(JobClient job, long brokerPid, EventTracker.Readers readers, int nextSeq, EventTracker tracker) {
            long batches = 0;
            long requests = 0;
            long micros = 0;
            try {
                Map<String, Object> acc = job.getAccumulators().get();
                if (acc.get(BatchingInferenceOperator.BATCHES_ACCUMULATOR) instanceof Number n) batches = n.longValue();
                if (acc.get(BatchingInferenceOperator.BATCHED_REQUESTS_ACCUMULATOR) instanceof Number n) requests = n.longValue();
                if (acc.get(BatchingInferenceOperator.INFERENCE_MICROS_ACCUMULATOR) instanceof Number n) micros = n.longValue();
            } catch (Exception e) {
                // accumulators are a nicety: the mean batch size is then unknown
            }
            return new Snapshot(System.currentTimeMillis(), nextSeq, ProcessStats.self(), ProcessStats.of(brokerPid),
                    EventTracker.driverCpuNanos(), batches, requests, micros);
        }
    }

    /** A step's measurement window: the events sent in it and the counters around it. */
    record StepWindow(double rate, Snapshot from, Snapshot to, long backlogAtEnd) {
        double seconds() {
            return (to.wallMillis() - from.wallMillis()) / 1000.0;
        }

        double sentRate() {
            return (to.nextSeq() - from.nextSeq()) / seconds();
        }

        double deliveredRate(EventTracker t) {
            return t.processedBetween(from.wallMillis(), to.wallMillis(), to.nextSeq()) / seconds();
        }

        boolean sustained(Settings s, EventTracker t) {
            return RateSteps.sustained(rate, deliveredRate(t), backlogAtEnd, s.minShare(), s.maxBacklogSeconds());
        }

        Step toStep(BenchMode mode, EventTracker t, Settings s) {
            int a = from.nextSeq();
            int b = to.nextSeq();
            Percentiles inJob = Percentiles.of(t.inJobLatencies(a, b));
            Percentiles proc = Percentiles.of(t.processingLatencies(a, b));
            Percentiles comm = Percentiles.of(t.committedLatencies(a, b));
            double jobCores = to.self().coresSince(from.self());
            double driverCores = (to.driverCpuNanos() - from.driverCpuNanos()) / 1e9 / seconds();
            double brokerCores = to.broker().coresSince(from.broker());
            double delivered = deliveredRate(t);
            double jobOnly = Math.max(0, jobCores - driverCores);
            long batches = to.batches() - from.batches();
            double meanBatch = batches > 0 ? (double) (to.batchedRequests() - from.batchedRequests()) / batches : Double.NaN;
            double callMicros = to.inferenceMicros() - from.inferenceMicros();
            double meanCallMs = batches > 0 ? callMicros / 1e3 / batches : Double.NaN;
            double busyShare = callMicros / 1e6 / (seconds() * s.parallelism());
            return new Step(mode.id(), rate, sentRate(), delivered, sustained(s, t), b - a, backlogAtEnd, meanBatch,
                    inJob.quantile(0.5), inJob.quantile(0.99),
                    proc.quantile(0.5), proc.quantile(0.99), proc.quantile(0.999),
                    comm.quantile(0.5), comm.quantile(0.99), comm.quantile(0.999),
                    jobOnly, brokerCores, driverCores, delivered / Math.max(1e-9, jobOnly + brokerCores),
                    to.self().rssBytes() >> 20, to.broker().rssBytes() >> 20, meanCallMs, busyShare);
        }
    }

    /** Console/markdown table of a run. */
    public static Table table(Result r) {
        Table t = new Table("mode", "offered/s", "recs/s", "sustained", "recs/s per busy core", "mean batch",
                "model call ms", "model busy", "in-job p50/p99 ms", "processing p50/p99/p99.9 ms", "committed p50/p99/p99.9 ms",
                "job cores", "broker cores", "driver cores", "job RSS MB", "broker RSS MB");
        for (Step s : r.steps()) {
            t.add(s.mode(), Table.num(s.offered(), 0), Table.num(s.delivered(), 1), s.sustained() ? "yes" : "no",
                    Table.num(s.perBusyCore(), 1), Table.num(s.meanBatch(), 1),
                    Table.num(s.meanCallMs(), 1), Table.num(100 * s.modelBusyShare(), 0) + " %",
                    Table.num(s.inJobP50(), 0) + " / " + Table.num(s.inJobP99(), 0),
                    Table.num(s.processingP50(), 0) + " / " + Table.num(s.processingP99(), 0) + " / " + Table.num(s.processingP999(), 0),
                    Table.num(s.committedP50(), 0) + " / " + Table.num(s.committedP99(), 0) + " / " + Table.num(s.committedP999(), 0),
                    Table.num(s.jobCores(), 2), Table.num(s.brokerCores(), 2), Table.num(s.driverCores(), 2),
                    s.jobRssMb(), s.brokerRssMb());
        }
        return t;
    }

    static int freePortPair() throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int p;
            try (ServerSocket s = new ServerSocket(0)) {
                p = s.getLocalPort();
            }
            if (p >= 65535) continue;
            try (ServerSocket s = new ServerSocket(p + 1)) {
                return p;
            } catch (IOException busy) {
                // try another pair
            }
        }
        throw new IOException("no free pair of ports for the benchmark broker");
    }
}
