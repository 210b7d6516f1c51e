package dev.sidflow.stream;

import dev.sidflow.data.Dataset;
import dev.sidflow.data.DatasetStore;
import dev.sidflow.data.Interaction;
import dev.sidflow.model.TinyBundle;
import dev.sidflow.schema.InteractionEvent;
import dev.sidflow.stream.kafka.EventMapping;
import dev.sidflow.stream.kafka.KafkaClientSettings;
import dev.sidflow.stream.kafka.KafkaTopics;
import dev.sidflow.stream.kafka.SourceEvent;
import dev.sidflow.stream.serde.RecordCodec;
import dev.sidflow.stream.serde.WireFormat;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The traffic of the fault-tolerance ITs, and what the job must make of it. Good events are the tiny
 * bundle's interactions, re-timed to recent, strictly increasing event times (so no user's state
 * expires mid-test). After every {@link #GOOD_PER_BAD} good events come three bad records: garbage
 * bytes, a re-sent copy of the previous event (a duplicate that only the restored history can
 * recognise after a failure) and an event about an unknown item. The producer is idempotent, so
 * the input topic never holds copies nobody asked for, even across a broker restart.
 */
final class FaultWorkload implements AutoCloseable {
    static final int GOOD_PER_BAD = 20;
    /**
     * Parallelism of the fault ITs' jobs: events source, keyed history, batched inference and
     * recommendations sink each run 2 subtasks (the topics have 2 partitions), so a fault hits
     * several open transactions and keyed states at once, as it would in production.
     */
    static final int PARALLELISM = 2;
    private static final byte[] GARBAGE = {1, 2, 3, 4, 5};

    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;
    private final List<InteractionEvent> pool;
    private final RecordCodec<InteractionEvent> avro = RecordCodec.of(InteractionEvent.class, WireFormat.AVRO);
    private final Set<String> goodIds = new LinkedHashSet<>();
    private final Map<String, Integer> badSent = new TreeMap<>();
    private int produced;
    private Thread pacer;
    private volatile boolean stopPacing;
    private final AtomicReference<Throwable> pacingError = new AtomicReference<>();

    FaultWorkload(String bootstrap, String topic) throws IOException {
        this(KafkaClientSettings.of(bootstrap), topic);
    }

    /** @param client where the broker is and how to log in to it ({@link KafkaClientSettings#producer()}: idempotent, acks=all) */
    FaultWorkload(KafkaClientSettings client, String topic) throws IOException {
        this.topic = topic;
        Properties p = client.producer();
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        this.producer = new KafkaProducer<>(p);
        Dataset data = DatasetStore.read(TinyBundle.data());
        long base = Instant.now().minus(Duration.ofHours(2)).toEpochMilli();
        Map<String, InteractionEvent> distinct = new LinkedHashMap<>();
        for (Interaction in : data.interactions()) {
            InteractionEvent e = EventMapping.toEvent(new SourceEvent(in, Map.of()));
            distinct.putIfAbsent(e.getEventId(), e);
        }
        List<InteractionEvent> events = new ArrayList<>();
        for (InteractionEvent e : distinct.values()) {
            events.add(InteractionEvent.newBuilder(e).setEventTime(Instant.ofEpochMilli(base + 1000L * events.size())).build());
        }
        this.pool = events;
    }

    /**
     * A real-time job spec for these tests: {@link #PARALLELISM}, 1 s checkpoints, small batches, its
     * own topics and transactional ids, and a free REST port so the test can ask Flink how often the
     * job restarted.
     */
    static JobSpec realtimeSpec(Path dir, String name, String bootstrap, KafkaTopics topics) throws Exception {
        return realtimeSpec(dir, name, bootstrap, new Properties(), topics, PARALLELISM);
    }

    /** @param kafkaProperties the spec's {@code kafka.properties}: client settings such as a secured cluster's */
    static JobSpec realtimeSpec(Path dir, String name, String bootstrap, Properties kafkaProperties, KafkaTopics topics,
                                int parallelism) throws Exception {
        Path file = dir.resolve(name + ".yaml");
        StringBuilder kafka = new StringBuilder("kafka:\n  bootstrap: " + bootstrap);
        if (!kafkaProperties.isEmpty()) kafka.append("\n  properties:");
        // single-quoted YAML: a JAAS line's double quotes and semicolon stay as they are
        kafkaProperties.forEach((k, v) -> kafka.append("\n    ").append(k).append(": '").append(v.toString().replace("'", "''")).append("'"));
        Files.writeString(file, String.join("\n",
                "name: " + name,
                "mode: realtime",
                kafka.toString(),
                "  groupId: " + name,
                "  startingOffsets: earliest",
                "  format: avro",
                "  topics: {events: " + topics.events() + ", catalog: " + topics.catalog()
                        + ", recommendations: " + topics.recommendations() + ", deadLetters: " + topics.deadLetters() + "}",
                "bundle: " + TinyBundle.dir(),
                "device: cpu",
                "parallelism: " + parallelism,
                "batching: {maxBatchSize: 16, maxDelay: 20ms}",
                "history: {length: 10, dedupWindow: 16, ttl: 30d}",
                "checkpoints: {interval: 1s, dir: " + dir.resolve("checkpoints-" + name) + ", incremental: true, retainOnCancel: false}",
                "web: {port: " + LocalFlinkClusterIT.freePort() + "}"));
        return JobSpec.load(file);
    }

    /** Sends the next {@code count} good events (fewer when the pool runs out), bad ones mixed in. */
    synchronized int send(int count) {
        int sent = 0;
        while (sent < count && goodIds.size() < pool.size()) {
            InteractionEvent e = pool.get(goodIds.size());
            send(e.getUserId(), avro.encode(e));
            goodIds.add(e.getEventId());
            sent++;
            if (goodIds.size() % GOOD_PER_BAD == 0) {
                sendBad("MALFORMED_BYTES", null, GARBAGE);
                sendBad("DUPLICATE", e.getUserId(), avro.encode(e));
                InteractionEvent unknown = InteractionEvent.newBuilder(e).setEventId("unknown-" + goodIds.size())
                        .setItemId("no-such-item-" + goodIds.size()).build();
                sendBad("UNKNOWN_ITEM", e.getUserId(), avro.encode(unknown));
            }
        }
        return sent;
    }

    /** Sends {@code perTick} good events every {@code tick} on a background thread until {@link #stop()}. */
    void startPaced(int perTick, Duration tick) {
        stopPacing = false;
        pacer = new Thread(() -> {
            try {
                while (!stopPacing && send(perTick) > 0) {
                    producer.flush();
                    Thread.sleep(tick.toMillis());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Throwable t) {
                pacingError.set(t);
            }
        }, "fault-workload");
        pacer.setDaemon(true);
        pacer.start();
    }

    /** Stops the pacing thread and flushes: from now on the expected counts are final. */
    void stop() throws InterruptedException {
        stopPacing = true;
        if (pacer != null) pacer.join(Duration.ofSeconds(150).toMillis());
        producer.flush();
        if (pacingError.get() != null) throw new IllegalStateException("producing the workload failed", pacingError.get());
    }

    private void sendBad(String reason, String key, byte[] value) {
        send(key, value);
        badSent.merge(reason, 1, Integer::sum);
    }

    private void send(String key, byte[] value) {
        producer.send(new ProducerRecord<>(topic, key == null ? null : key.getBytes(StandardCharsets.UTF_8), value));
        produced++;
    }

    synchronized Set<String> goodIds() { return Set.copyOf(goodIds); }

    synchronized int goodSent() { return goodIds.size(); }

    synchronized Map<String, Integer> badSent() { return Map.copyOf(badSent); }

    synchronized int badCount() { return badSent.values().stream().mapToInt(Integer::intValue).sum(); }

    synchronized int produced() { return produced; }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
