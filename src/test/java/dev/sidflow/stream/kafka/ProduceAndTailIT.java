package dev.sidflow.stream.kafka;

import dev.sidflow.cli.SidflowCli;
import dev.sidflow.schema.InteractionEvent;
import dev.sidflow.stream.serde.RecordCodec;
import dev.sidflow.stream.serde.WireFormat;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** `sidflow produce` into an in-process broker, read back with read_committed. */
class ProduceAndTailIT {
    static EmbeddedKafka kafka;

    @BeforeAll
    static void up() throws Exception {
        kafka = EmbeddedKafka.start();
    }

    @AfterAll
    static void down() throws Exception {
        if (kafka != null) kafka.close();
    }

    /** 12 users x 25 events each, written to the file in shuffled order; per-user times strictly increase. */
    static Map<String, List<Long>> writeEvents(Path file) throws Exception {
        Random random = new Random(3);
        Map<String, List<Long>> timesByUser = new LinkedHashMap<>();
        List<String> lines = new ArrayList<>();
        for (int u = 0; u < 12; u++) {
            long t = 1_700_000_000_000L + random.nextInt(1000);
            List<Long> times = new ArrayList<>();
            for (int k = 0; k < 25; k++) {
                t += 1 + random.nextInt(5000);
                times.add(t);
                lines.add(String.format("{\"userId\":\"u%d\",\"itemId\":\"i%d\",\"timestamp\":%d,\"eventType\":\"%s\",\"rating\":%d}",
                        u, random.nextInt(50), t, k % 3 == 0 ? "PURCHASE" : "VIEW", 1 + random.nextInt(5)));
            }
            timesByUser.put("u" + u, times);
        }
        Collections.shuffle(lines, random);
        Files.write(file, lines);
        return timesByUser;
    }

    static int run(StringWriter out, String... args) {
        CommandLine cl = SidflowCli.commandLine();
        cl.setOut(new PrintWriter(out, true));
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err, true));
        int rc = cl.execute(args);
        assertThat(rc).as("sidflow %s failed: %s", String.join(" ", args), err).isZero();
        return rc;
    }

    @Test
    void producedEventsComeBackCompleteAndInPerUserOrder(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("interactions.jsonl");
        Map<String, List<Long>> expected = writeEvents(file);
        int total = expected.values().stream().mapToInt(List::size).sum();

        StringWriter out = new StringWriter();
        run(out, "produce", "--what", "events", "--jsonl", file.toString(), "--topic", "it.events",
                "--partitions", "3", "--format", "avro", "--transactional", "--quiet",
                "--bootstrap", kafka.bootstrapServers());
        assertThat(out.toString()).contains("produced " + total + " events to it.events");

        Map<String, List<Long>> seen = new LinkedHashMap<>();
        Set<String> eventIds = new HashSet<>();
        List<Long> recordTimestamps = new ArrayList<>();
        var tailer = new RecordTailer<>(kafka.clientSettings(), RecordCodec.of(InteractionEvent.class, WireFormat.AVRO));
        RecordTailer.Summary summary = tailer.tail("it.events", true, true, total, Duration.ofSeconds(20),
                (raw, e, error) -> {
                    assertThat(error).isNull();
                    assertThat(new String(raw.key())).isEqualTo(e.getUserId());
                    recordTimestamps.add(raw.timestamp() - e.getEventTime().toEpochMilli());
                    seen.computeIfAbsent(e.getUserId(), u -> new ArrayList<>()).add(e.getEventTime().toEpochMilli());
                    eventIds.add(e.getEventId());
                });

        assertThat(summary.records()).isEqualTo(total);
        assertThat(summary.undecodable()).isZero();
        assertThat(eventIds).hasSize(total);
        assertThat(recordTimestamps).containsOnly(0L); // Kafka timestamp = event time
        assertThat(seen).isEqualTo(expected);           // every user's events, in that user's order

        // the same data produced again (as JSON, to another topic) carries the same event ids
        run(new StringWriter(), "produce", "--jsonl", file.toString(), "--topic", "it.events.json", "--format", "json",
                "--limit", "40", "--quiet", "--bootstrap", kafka.bootstrapServers());
        StringWriter tailOut = new StringWriter();
        run(tailOut, "tail", "--topic", "it.events.json", "--format", "json", "--from-beginning", "--max", "40",
                "--idle-exit", "20", "--read-committed", "--json", "--bootstrap", kafka.bootstrapServers());
        List<String> lines = tailOut.toString().lines().toList();
        assertThat(lines).hasSize(40);
        Set<String> again = new HashSet<>();
        for (String line : lines) {
            InteractionEvent e = RecordCodec.of(InteractionEvent.class, WireFormat.JSON).decode(line.getBytes());
            again.add(e.getEventId());
        }
        assertThat(eventIds).containsAll(again);
    }

    @Test
    void tailPrintsUndecodableRecordsInsteadOfFailing(@TempDir Path tmp) throws Exception {
        kafka.createTopic("it.mixed.events", 1);
        try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<String, byte[]>(
                kafka.clientSettings().producer(), new org.apache.kafka.common.serialization.StringSerializer(),
                new org.apache.kafka.common.serialization.ByteArraySerializer())) {
            InteractionEvent good = EventMapping.toEvent(new SourceEvent(
                    new dev.sidflow.data.Interaction("u1", "i1", 1_000L, "CLICK"), Map.of()));
            producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>("it.mixed.events", "u1",
                    RecordCodec.of(InteractionEvent.class, WireFormat.AVRO).encode(good))).get();
            producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>("it.mixed.events", "u1",
                    "definitely not avro".getBytes())).get();
        }
        StringWriter out = new StringWriter();
        run(out, "tail", "--topic", "it.mixed.events", "--from-beginning", "--max", "2", "--idle-exit", "20",
                "--bootstrap", kafka.bootstrapServers());
        List<String> lines = out.toString().lines().toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).startsWith("[0@0] ").contains("user u1", "CLICK", "item i1");
        assertThat(lines.get(1)).startsWith("[0@1] UNDECODABLE: cannot decode avro InteractionEvent");
    }
}
