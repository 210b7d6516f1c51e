package dev.sidflow.stream;

import dev.sidflow.schema.DeadLetter;
import dev.sidflow.schema.Recommendation;
import dev.sidflow.stream.kafka.KafkaClientSettings;
import dev.sidflow.stream.serde.RecordCodec;
import dev.sidflow.stream.serde.WireFormat;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * What a job committed to its recommendations and dead-letter topics, read from the beginning with
 * read_committed: recommendations by request key (with how often each key came) and dead letters.
 */
record CommittedOutput(Map<String, Integer> counts, Map<String, Recommendation> recommendations, List<DeadLetter> deadLetters) {

    int recommendationCount() {
        return counts.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** Reads until at least the expected counts arrived (or the time is up), then 3 s more to catch extras. */
    static CommittedOutput readUntil(String bootstrap, String recTopic, String dlqTopic,
                                     int recCount, int deadCount, Duration timeout) {
        return readUntil(KafkaClientSettings.of(bootstrap), recTopic, dlqTopic, recCount, deadCount, timeout);
    }

    /** As {@link #readUntil(String, String, String, int, int, Duration)}, with a client's settings (a secured cluster's). */
    static CommittedOutput readUntil(KafkaClientSettings client, String recTopic, String dlqTopic,
                                     int recCount, int deadCount, Duration timeout) {
        RecordCodec<Recommendation> recCodec = RecordCodec.of(Recommendation.class, WireFormat.AVRO);
        RecordCodec<DeadLetter> dlCodec = RecordCodec.of(DeadLetter.class, WireFormat.AVRO);
        CommittedOutput out = new CommittedOutput(new HashMap<>(), new HashMap<>(), new ArrayList<>());
        Properties p = client.consumer();
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "it-reader-" + System.nanoTime());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, "4194304");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
            consumer.subscribe(List.of(recTopic, dlqTopic));
            long settleUntil = Long.MAX_VALUE;
            while (System.nanoTime() < Math.min(deadline, settleUntil)) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (r.topic().equals(recTopic)) {
                        Recommendation rec = recCodec.decode(r.value());
                        out.counts.merge(rec.getRequestKey(), 1, Integer::sum);
                        out.recommendations.put(rec.getRequestKey(), rec);
                    } else {
                        out.deadLetters.add(dlCodec.decode(r.value()));
                    }
                }
                if (settleUntil == Long.MAX_VALUE && out.recommendationCount() >= recCount && out.deadLetters.size() >= deadCount) {
                    settleUntil = System.nanoTime() + Duration.ofSeconds(3).toNanos();
                }
            }
        }
        return out;
    }

    static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
        return producer(KafkaClientSettings.of(bootstrap));
    }

    static KafkaProducer<byte[], byte[]> producer(KafkaClientSettings client) {
        Properties p = client.producer();
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, "4194304");
        return new KafkaProducer<>(p);
    }
}
