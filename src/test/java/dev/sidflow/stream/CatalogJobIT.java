package dev.sidflow.stream;

import dev.sidflow.cli.SidflowCli;
import dev.sidflow.schema.CatalogItem;
import dev.sidflow.schema.DeadLetter;
import dev.sidflow.stream.kafka.EmbeddedKafka;
import dev.sidflow.stream.serde.RecordCodec;
import dev.sidflow.stream.serde.WireFormat;
import org.apache.flink.core.execution.JobClient;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
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
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The catalog job on a MiniCluster (RocksDB, exactly-once checkpoints) against an in-process
 * broker: raw catalog records in, new and changed items published once to the catalog topic in
 * the format the real-time job decodes, unchanged re-sends dropped, bad records dead-lettered.
 */
class CatalogJobIT {
    static EmbeddedKafka kafka;

    @BeforeAll
    static void up() throws Exception {
        kafka = EmbeddedKafka.start();
        for (String t : List.of("raw-cat", "cat", "dlq", "cat-file", "dlq-file")) kafka.createTopic(t, 1);
    }

    @AfterAll
    static void down() throws Exception {
        if (kafka != null) kafka.close();
    }

    private Path spec(Path dir, String data, String catalogTopic, String deadLetterTopic, String format) throws Exception {
        Path file = dir.resolve("catalog.yaml");
        Files.writeString(file, String.join("\n",
                "name: catalog-it-" + catalogTopic,
                "mode: catalog",
                "kafka:",
                "  bootstrap: '" + kafka.bootstrapServers() + "'",
                "  groupId: catalog-it",
                "  startingOffsets: earliest",
                "  format: " + format,
                "  topics: {catalog: " + catalogTopic + ", deadLetters: " + deadLetterTopic + "}",
                "catalog: {data: '" + data + "'}",
                "checkpoints: {interval: 1s, dir: " + dir.resolve("checkpoints") + ", incremental: true}",
                "web: {port: 0}"));
        return file;
    }

    private static CatalogItem item(String id, String title, long updatedAt) {
        return CatalogItem.newBuilder().setItemId(id).setTitle(title).setText("A game called " + title)
                .setCategories(List.of("Video Games")).setUpdatedAt(Instant.ofEpochMilli(updatedAt)).build();
    }

    @Test
    void newAndChangedItemsArePublishedOnceUnchangedResendsDroppedAndBadRecordsDeadLettered(@TempDir Path dir) throws Exception {
        RecordCodec<CatalogItem> avro = RecordCodec.of(CatalogItem.class, WireFormat.AVRO);
        RecordCodec<CatalogItem> json = RecordCodec.of(CatalogItem.class, WireFormat.JSON);
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            send(producer, "a", avro.encode(item("a", "Star Raiders", 1000)));
            send(producer, "b", json.encode(item("b", "Moon Patrol", 1000)));
            send(producer, "a", avro.encode(item("a", "Star Raiders", 2000)));            // unchanged re-send
            send(producer, "a", avro.encode(item("a", "Star Raiders Deluxe", 3000)));     // changed title
            send(producer, "x", new byte[] {1, 2, 3, 4});                                  // bad bytes
            send(producer, "y", "{\"item_id\":\"y\",\"title\":\"\"}".getBytes(StandardCharsets.UTF_8)); // missing title
            send(producer, "z", avro.encode(CatalogItem.newBuilder(item("z", "Huge", 1000)).setText("w".repeat(70_000)).build()));
            producer.flush();
        }

        JobSpec spec = JobSpec.load(spec(dir, "kafka:raw-cat", "cat", "dlq", "avro"));
        JobClient job = JobRunner.start(JobRunner.prepareLocal(spec, false));
        List<ConsumerRecord<byte[], byte[]>> published = new ArrayList<>();
        List<ConsumerRecord<byte[], byte[]>> dead = new ArrayList<>();
        try {
            readCommitted(List.of("cat", "dlq"), published, dead, 3, 3, Duration.ofSeconds(90));
            // an unchanged re-send of the update and one new item after the job is running
            try (KafkaProducer<byte[], byte[]> producer = producer()) {
                send(producer, "a", json.encode(item("a", "Star Raiders Deluxe", 4000)));
                send(producer, "c", avro.encode(item("c", "Pitfall", 4000)));
                producer.flush();
            }
            readCommitted(List.of("cat", "dlq"), published, dead, 4, 3, Duration.ofSeconds(60));
        } finally {
            job.cancel().get();
        }

        // what the real-time job's catalog decoder reads
        SniffingDecoder<CatalogItem> realtimeDecoder = new SniffingDecoder<>(CatalogItem.class);
        List<String> titles = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : published) {
            CatalogItem c = realtimeDecoder.decode(r.value());
            assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo(c.getItemId().toString());
            assertThat(r.timestamp()).isEqualTo(c.getUpdatedAt().toEpochMilli());
            titles.add(c.getItemId() + ":" + c.getTitle());
        }
        assertThat(titles).containsExactly("a:Star Raiders", "b:Moon Patrol", "a:Star Raiders Deluxe", "c:Pitfall");

        RecordCodec<DeadLetter> dl = RecordCodec.of(DeadLetter.class, WireFormat.AVRO);
        List<DeadLetter> letters = dead.stream().map(r -> dl.decode(r.value())).toList();
        assertThat(letters).extracting(DeadLetter::getSourceOffset).containsExactly(4L, 5L, 6L);
        assertThat(letters).allSatisfy(d -> {
            assertThat(d.getErrorClass()).isEqualTo(DeadLetterReason.BAD_CATALOG_RECORD.name());
            assertThat(d.getSourceTopic()).isEqualTo("raw-cat");
        });
        assertThat(letters.get(1).getErrorMessage()).isEqualTo("title is missing or blank");
        assertThat(letters.get(2).getErrorMessage()).startsWith("text longer than");
        assertThat(new String(dead.get(0).key(), StandardCharsets.UTF_8)).isEqualTo("x");
    }

    @Test
    void sidflowRunPublishesADataSetsItemsAsABoundedJob(@TempDir Path dir) throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 20; i++) lines.add("{\"itemId\":\"i" + i + "\",\"title\":\"Game " + i + "\",\"categories\":[\"Video Games\"]}");
        lines.add("{\"itemId\":\"i3\",\"title\":\"Game 3\",\"categories\":[\"Video Games\"]}"); // the same item twice in the file
        lines.add("{\"itemId\":\"broken\"}");
        Files.write(data.resolve("items.jsonl"), lines);

        Path spec = spec(dir, "target/no-such-dir", "cat-file", "dlq-file", "json");
        int code = SidflowCli.commandLine().execute("run", spec.toString(), "--no-web-ui", "--input", data.toString());
        assertThat(code).isZero();

        List<ConsumerRecord<byte[], byte[]>> published = new ArrayList<>();
        List<ConsumerRecord<byte[], byte[]>> dead = new ArrayList<>();
        readCommitted(List.of("cat-file", "dlq-file"), published, dead, 20, 1, Duration.ofSeconds(30));
        RecordCodec<CatalogItem> json = RecordCodec.of(CatalogItem.class, WireFormat.JSON);
        assertThat(published).extracting(r -> json.decode(r.value()).getItemId().toString())
                .containsExactlyInAnyOrderElementsOf(java.util.stream.IntStream.range(0, 20).mapToObj(i -> "i" + i).toList());
        assertThat(dead).hasSize(1);
        assertThat(RecordCodec.of(DeadLetter.class, WireFormat.JSON).decode(dead.get(0).value()).getSourceOffset()).isEqualTo(22L);
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, String key, byte[] value) {
        producer.send(new ProducerRecord<>("raw-cat", key.getBytes(StandardCharsets.UTF_8), value));
    }

    private static KafkaProducer<byte[], byte[]> producer() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, "2000000");
        return new KafkaProducer<>(p);
    }

    /** Reads committed records of the two topics from the start until the counts are reached, then 3 s more (duplicates would show). */
    private static void readCommitted(List<String> topics, List<ConsumerRecord<byte[], byte[]>> first, List<ConsumerRecord<byte[], byte[]>> second,
                                      int firstCount, int secondCount, Duration timeout) {
        first.clear();
        second.clear();
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "catalog-it-reader-" + System.nanoTime());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
            consumer.subscribe(topics);
            long deadline = System.nanoTime() + timeout.toNanos();
            long settle = Long.MAX_VALUE;
            while (System.nanoTime() < Math.min(deadline, settle)) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(300))) {
                    (r.topic().equals(topics.get(0)) ? first : second).add(r);
                }
                if (settle == Long.MAX_VALUE && first.size() >= firstCount && second.size() >= secondCount) {
                    settle = System.nanoTime() + Duration.ofSeconds(3).toNanos();
                }
            }
        }
    }
}
