package dev.sidflow.stream;

import dev.sidflow.schema.CatalogItem;
import dev.sidflow.schema.DeadLetter;
import dev.sidflow.schema.Recommendation;
import dev.sidflow.stream.serde.RecordCodec;
import dev.sidflow.stream.serde.WireFormat;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;

/** Kafka sources and exactly-once sinks of the jobs, built from a job spec. */
public final class KafkaConnectors {
    /**
     * Transactions must finish within the broker's transaction.max.timeout.ms (15 min by default);
     * 10 min leaves room for a slow checkpoint and stays inside it.
     */
    public static final String TRANSACTION_TIMEOUT_MS = "600000";

    private KafkaConnectors() {}

    public static KafkaSource<RawRecord> rawSource(JobSpec spec, String topic, String groupSuffix, OffsetsInitializer start) {
        return rawSourceBuilder(spec, topic, groupSuffix, start)
                .setProperty("partition.discovery.interval.ms", "30000")
                .build();
    }

    /**
     * A bounded source over part of a topic (a replay). It never commits offsets, so replays do not
     * move any consumer group.
     */
    public static KafkaSource<RawRecord> rangeSource(JobSpec spec, TopicRange range) {
        return rawSourceBuilder(spec, range.topic(), "-replay", range.startingOffsets())
                .setBounded(range.stoppingOffsets())
                .setDeserializer(new RawRecordsInRange(range))
                .setProperty("commit.offsets.on.checkpoint", "false")
                .build();
    }

    private static org.apache.flink.connector.kafka.source.KafkaSourceBuilder<RawRecord> rawSourceBuilder(
            JobSpec spec, String topic, String groupSuffix, OffsetsInitializer start) {
        Properties props = new Properties();
        props.putAll(spec.kafkaProperties());
        return KafkaSource.<RawRecord>builder()
                .setBootstrapServers(spec.kafka().bootstrap())
                .setTopics(topic)
                .setGroupId(spec.kafka().groupId() + groupSuffix)
                .setStartingOffsets(start)
                .setDeserializer(new RawRecordDeserializer())
                .setProperties(props)
                // Only read what upstream producers committed: exactly-once end to end.
                .setProperty("isolation.level", "read_committed");
    }

    public static OffsetsInitializer startingOffsets(JobSpec spec) {
        String s = spec.kafka().startingOffsets();
        return switch (s == null ? "committed" : s) {
            case "earliest" -> OffsetsInitializer.earliest();
            case "latest" -> OffsetsInitializer.latest();
            case "committed" -> OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
            default -> throw new IllegalArgumentException("kafka.startingOffsets must be committed, earliest or latest: " + s);
        };
    }

    public static KafkaSink<Recommendation> recommendationSink(JobSpec spec, WireFormat format) {
        return recommendationSink(spec, format, spec.kafka().topics().recommendations());
    }

    public static KafkaSink<Recommendation> recommendationSink(JobSpec spec, WireFormat format, String topic) {
        RecordCodec<Recommendation> codec = RecordCodec.of(Recommendation.class, format);
        return exactlyOnceSink(spec, topic, "recs",
                (rec, ctx, ts) -> new ProducerRecord<>(topic, null, ts,
                        rec.getUserId().getBytes(StandardCharsets.UTF_8), codec.encode(rec)));
    }

    /** Catalog items keyed by item id, stamped with updated_at (the catalog job's output). */
    public static KafkaSink<CatalogItem> catalogSink(JobSpec spec, WireFormat format, String topic) {
        RecordCodec<CatalogItem> codec = RecordCodec.of(CatalogItem.class, format);
        return exactlyOnceSink(spec, topic, "catalog",
                (item, ctx, ts) -> new ProducerRecord<>(topic, null, item.getUpdatedAt().toEpochMilli(),
                        item.getItemId().getBytes(StandardCharsets.UTF_8), codec.encode(item)));
    }

    public static KafkaSink<DeadLetter> deadLetterSink(JobSpec spec, WireFormat format) {
        return deadLetterSink(spec, format, spec.kafka().topics().deadLetters());
    }

    public static KafkaSink<DeadLetter> deadLetterSink(JobSpec spec, WireFormat format, String topic) {
        RecordCodec<DeadLetter> codec = RecordCodec.of(DeadLetter.class, format);
        return exactlyOnceSink(spec, topic, "dlq",
                (dl, ctx, ts) -> new ProducerRecord<>(topic, null, null,
                        dl.getRawKey() == null ? null : bytes(dl.getRawKey()), codec.encode(dl)));
    }

    private static byte[] bytes(java.nio.ByteBuffer b) {
        java.nio.ByteBuffer d = b.duplicate();
        byte[] out = new byte[d.remaining()];
        d.get(out);
        return out;
    }

    private static <T> KafkaSink<T> exactlyOnceSink(JobSpec spec, String topic, String idSuffix,
                                                    KafkaRecordSerializationSchema<T> serializer) {
        Properties props = new Properties();
        for (Map.Entry<String, String> e : spec.kafkaProperties().entrySet()) props.put(e.getKey(), e.getValue());
        props.put("transaction.timeout.ms", TRANSACTION_TIMEOUT_MS);
        return KafkaSink.<T>builder()
                .setBootstrapServers(spec.kafka().bootstrap())
                .setKafkaProducerConfig(props)
                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                .setTransactionalIdPrefix(spec.name() + "-" + idSuffix)
                .setRecordSerializer(serializer)
                .build();
    }
}
