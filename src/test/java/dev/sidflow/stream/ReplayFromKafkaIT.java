package dev.sidflow.stream;

import dev.sidflow.data.Dataset;
import dev.sidflow.data.DatasetStore;
import dev.sidflow.data.Interaction;
import dev.sidflow.model.TinyBundle;
import dev.sidflow.schema.InteractionEvent;
import dev.sidflow.schema.Recommendation;
import dev.sidflow.stream.kafka.EmbeddedKafka;
import dev.sidflow.stream.kafka.EventMapping;
import dev.sidflow.stream.kafka.SourceEvent;
import dev.sidflow.stream.serde.RecordCodec;
import dev.sidflow.stream.serde.WireFormat;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Replays of part of a Kafka topic on a MiniCluster (RocksDB, checkpoints) against an in-process
 * broker: bounded by timestamps or by offsets, read_committed (an aborted transaction is never
 * replayed), one recommendation for exactly the events inside the range, and the same range
 * replayed twice into two topics gives the same record values in the same order per partition.
 */
class ReplayFromKafkaIT {
    static EmbeddedKafka kafka;
    /** Committed events in event-time order, with where they landed. */
    static List<Sent> sent = new ArrayList<>();
    static Set<String> aborted = new HashSet<>();

    record Sent(InteractionEvent event, int partition, long offset) {
        long time() {
            return event.getEventTime().toEpochMilli();
        }
    }

    @BeforeAll
    static void up() throws Exception {
        kafka = EmbeddedKafka.start();
        kafka.createTopic("history", 2);
        for (String t : List.of("recs-a", "recs-b", "dlq-a", "dlq-b")) kafka.createTopic(t, 2);

        Dataset data = DatasetStore.read(TinyBundle.data());
        List<InteractionEvent> events = data.interactions().stream()
                .sorted(Comparator.comparingLong(Interaction::timestamp)).limit(160)
                .map(in -> EventMapping.toEvent(new SourceEvent(in, Map.of()))).toList();
        RecordCodec<InteractionEvent> avro = RecordCodec.of(InteractionEvent.class, WireFormat.AVRO);
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "history-writer");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
            producer.initTransactions();
            for (int from = 0; from < events.size(); from += 40) {
                producer.beginTransaction();
                List<Future<RecordMetadata>> acks = new ArrayList<>();
                List<InteractionEvent> batch = events.subList(from, Math.min(events.size(), from + 40));
                for (InteractionEvent e : batch) acks.add(producer.send(record(e, avro)));
                producer.commitTransaction();
                for (int i = 0; i < batch.size(); i++) {
                    RecordMetadata m = acks.get(i).get();
                    sent.add(new Sent(batch.get(i), m.partition(), m.offset()));
                }
                // an aborted transaction in the middle of the range: read_committed never sees it
                producer.beginTransaction();
                for (int i = 0; i < 3; i++) {
                    InteractionEvent ghost = InteractionEvent.newBuilder(batch.get(i)).setEventId("aborted-" + from + "-" + i).build();
                    aborted.add(ghost.getEventId());
                    producer.send(record(ghost, avro));
                }
                producer.flush();
                producer.abortTransaction();
            }
        }
    }

    private static ProducerRecord<byte[], byte[]> record(InteractionEvent e, RecordCodec<InteractionEvent> codec) {
        return new ProducerRecord<>("history", null, e.getEventTime().toEpochMilli(),
                e.getUserId().getBytes(StandardCharsets.UTF_8), codec.encode(e));
    }

    @AfterAll
    static void down() throws Exception {
        if (kafka != null) kafka.close();
    }

    private JobSpec spec(Path dir, String name, String start, String stop, String output, String deadLetters) throws Exception {
        Path file = dir.resolve(name + ".yaml");
        Files.writeString(file, String.join("\n",
                "name: " + name,
                "mode: replay",
                "kafka: {bootstrap: '" + kafka.bootstrapServers() + "', groupId: replay-it, format: avro}",
                "bundle: " + TinyBundle.dir(),
                "device: cpu",
                "replay:",
                "  input: kafka:history",
                "  start: '" + start + "'",
                "  stop: '" + stop + "'",
                "  output: " + output,
                "  deadLetters: " + deadLetters,
                "  evaluate: true",
                "history: {length: 10, dedupWindow: 16, ttl: 3650d}",
                "batching: {maxBatchSize: 16, maxDelay: 20ms}",
                "watermarks: {maxOutOfOrderness: 0s, idleTimeout: 0s}",
                "checkpoints: {interval: 1s, dir: " + dir.resolve(name + "-checkpoints") + ", incremental: true}",
                "web: {port: 0}"));
        return JobSpec.load(file);
    }

    @Test
    void aTimestampRangeReplayedTwiceIntoTwoTopicsGivesIdenticalPartitionsForExactlyTheEventsInRange(@TempDir Path dir) throws Exception {
        List<Sent> byTime = sent.stream().sorted(Comparator.comparingLong(Sent::time)).toList();
        long from = byTime.get(25).time();
        long to = byTime.get(130).time();
        Set<String> expected = new HashSet<>();
        for (Sent s : sent) if (s.time() >= from && s.time() < to) expected.add(s.event().getEventId());

        // start as epoch milliseconds, stop as ISO-8601
        String stop = Instant.ofEpochMilli(to).toString();
        JobRunner.run(JobRunner.prepareLocal(spec(dir, "replay-a", Long.toString(from), stop, "kafka:recs-a", "kafka:dlq-a"), false));
        JobRunner.run(JobRunner.prepareLocal(spec(dir, "replay-b", Long.toString(from), stop, "kafka:recs-b", "kafka:dlq-b"), false));

        Map<Integer, List<byte[]>> a = readAll("recs-a");
        Map<Integer, List<byte[]>> b = readAll("recs-b");
        List<String> keys = requestKeys(a);
        assertThat(keys).hasSize(expected.size()).doesNotHaveDuplicates();
        assertThat(new HashSet<>(keys)).isEqualTo(expected);
        assertThat(b.keySet()).isEqualTo(a.keySet());
        for (int partition : a.keySet()) {
            assertThat(b.get(partition)).hasSameSizeAs(a.get(partition));
            for (int i = 0; i < a.get(partition).size(); i++) {
                assertThat(b.get(partition).get(i)).as("partition %d record %d", partition, i).isEqualTo(a.get(partition).get(i));
            }
        }
        assertThat(readAll("dlq-a").values().stream().mapToInt(List::size).sum()).isZero();
    }

    @Test
    void anOffsetRangeReplaysExactlyTheCommittedRecordsBetweenTheOffsets(@TempDir Path dir) throws Exception {
        long start0 = sent.stream().filter(s -> s.partition() == 0).mapToLong(Sent::offset).sorted().skip(10).findFirst().orElseThrow();
        long stop0 = sent.stream().filter(s -> s.partition() == 0).mapToLong(Sent::offset).sorted().skip(50).findFirst().orElseThrow();
        long start1 = sent.stream().filter(s -> s.partition() == 1).mapToLong(Sent::offset).sorted().skip(30).findFirst().orElseThrow();
        Set<String> expected = new HashSet<>();
        for (Sent s : sent) {
            boolean in = s.partition() == 0 ? s.offset() >= start0 && s.offset() < stop0 : s.offset() >= start1;
            if (in) expected.add(s.event().getEventId());
        }
        // partition 1 has no stop offset: it is read to its end
        JobSpec spec = spec(dir, "replay-offsets", "0:" + start0 + ",1:" + start1, "0:" + stop0,
                dir.resolve("recs").toString(), dir.resolve("dlq").toString());
        Map<String, Double> summary = JobRunner.summary(JobRunner.run(JobRunner.prepareLocal(spec, false)));

        List<String> keys = new ArrayList<>();
        RecordCodec<Recommendation> json = RecordCodec.of(Recommendation.class, WireFormat.JSON);
        for (Path f : ReplayJob.outputFiles(dir.resolve("recs"), ReplayJob.RECOMMENDATIONS_PREFIX)) {
            for (String line : Files.readAllLines(f)) keys.add(json.decode(line.getBytes(StandardCharsets.UTF_8)).getRequestKey());
        }
        assertThat(keys).hasSize(expected.size()).doesNotHaveDuplicates();
        assertThat(new HashSet<>(keys)).isEqualTo(expected);
        assertThat(keys).noneMatch(aborted::contains);
        assertThat(summary.get("recommendations")).isEqualTo((double) expected.size());
        assertThat(summary.get("evaluated")).isPositive();
    }

    private static List<String> requestKeys(Map<Integer, List<byte[]>> records) {
        RecordCodec<Recommendation> avro = RecordCodec.of(Recommendation.class, WireFormat.AVRO);
        List<String> keys = new ArrayList<>();
        records.values().forEach(list -> list.forEach(v -> keys.add(avro.decode(v).getRequestKey())));
        return keys;
    }

    /** Every committed record value of a topic, per partition, in offset order. */
    private static Map<Integer, List<byte[]>> readAll(String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        Map<Integer, List<byte[]>> out = new TreeMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
            List<TopicPartition> parts = consumer.partitionsFor(topic).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            Map<TopicPartition, Long> end = consumer.endOffsets(parts);
            parts.forEach(tp -> out.put(tp.partition(), new ArrayList<>()));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (parts.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp)) && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) out.get(r.partition()).add(r.value());
            }
        }
        return out;
    }
}
