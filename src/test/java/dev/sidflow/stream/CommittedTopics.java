package dev.sidflow.stream;

import dev.sidflow.schema.DeadLetter;
import dev.sidflow.schema.Recommendation;
import dev.sidflow.stream.serde.RecordCodec;
import dev.sidflow.stream.serde.WireFormat;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/** Reads what the job committed (read_committed) on its recommendations and dead-letter topics. */
final class CommittedTopics {
    private final Map<String, Integer> recommendations = new HashMap<>();
    /** dead letters by source record ("partition/offset") */
    private final Map<String, Integer> deadLetters = new HashMap<>();
    private final Map<String, Integer> reasons = new TreeMap<>();
    private final String bootstrap;
    private final String recsTopic;
    private final String dlqTopic;

    CommittedTopics(String bootstrap, String recsTopic, String dlqTopic) {
        this.bootstrap = bootstrap;
        this.recsTopic = recsTopic;
        this.dlqTopic = dlqTopic;
    }

    /** Distinct events with a committed recommendation, read from the start of the topic. */
    static int countCommitted(String bootstrap, String recsTopic, String dlqTopic) {
        CommittedTopics out = new CommittedTopics(bootstrap, recsTopic, dlqTopic);
        out.read(Integer.MAX_VALUE, Integer.MAX_VALUE, Duration.ofSeconds(2), Duration.ZERO);
        return out.recommendations.size();
    }

    /**
     * Reads until the workload's expected counts are there (or {@code timeout}), then {@code settle}
     * longer so that copies committed late would show, and reports; {@code restarts} is asked last,
     * while the job still runs.
     */
    static ReliabilityReport audit(String scenario, int faults, Callable<Integer> restarts, FaultWorkload workload, String bootstrap,
                                   String recsTopic, String dlqTopic, Duration timeout, long startNanos) throws Exception {
        CommittedTopics out = new CommittedTopics(bootstrap, recsTopic, dlqTopic);
        out.read(workload.goodSent(), workload.badCount(), timeout, Duration.ofSeconds(3));
        Set<String> good = workload.goodIds();
        int accepted = 0;
        int unexpected = 0;
        int committed = 0;
        for (Map.Entry<String, Integer> e : out.recommendations.entrySet()) {
            committed += e.getValue();
            if (good.contains(e.getKey())) accepted++;
            else unexpected += e.getValue();
        }
        int dlCopies = out.deadLetters.values().stream().mapToInt(n -> n - 1).sum();
        return new ReliabilityReport(scenario, faults, restarts.call(), workload.produced(), accepted, out.deadLetters.size(), committed,
                good.size() - accepted, committed - out.recommendations.size(), dlCopies, unexpected,
                Map.copyOf(out.reasons), (System.nanoTime() - startNanos) / 1e9);
    }

    private void read(int recCount, int deadCount, Duration timeout, Duration settle) {
        RecordCodec<Recommendation> recCodec = RecordCodec.of(Recommendation.class, WireFormat.AVRO);
        RecordCodec<DeadLetter> dlCodec = RecordCodec.of(DeadLetter.class, WireFormat.AVRO);
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "audit-" + System.nanoTime());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
            consumer.subscribe(List.of(recsTopic, dlqTopic));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline && (recommendations.size() < recCount || deadLetters.size() < deadCount)) {
                poll(consumer, recCodec, dlCodec);
            }
            long settled = System.nanoTime() + settle.toNanos();
            while (System.nanoTime() < settled) poll(consumer, recCodec, dlCodec);
        }
    }

    private void poll(KafkaConsumer<byte[], byte[]> consumer, RecordCodec<Recommendation> recCodec, RecordCodec<DeadLetter> dlCodec) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(300))) {
            if (r.topic().equals(recsTopic)) {
                recommendations.merge(recCodec.decode(r.value()).getRequestKey(), 1, Integer::sum);
            } else {
                DeadLetter d = dlCodec.decode(r.value());
                deadLetters.merge(d.getSourcePartition() + "/" + d.getSourceOffset(), 1, Integer::sum);
                reasons.merge(d.getErrorClass(), 1, Integer::sum);
            }
        }
    }
}
