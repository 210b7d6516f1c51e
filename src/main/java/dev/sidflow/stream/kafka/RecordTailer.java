package dev.sidflow.stream.kafka;

import dev.sidflow.stream.serde.RecordCodec;
import dev.sidflow.stream.serde.RecordDecodeException;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.time.Duration;
import java.util.List;
import java.util.Properties;

/**
 * Reads a topic without a consumer group (all partitions assigned, nothing committed), decoding each value
 * with a codec. Stops after {@code max} records, after {@code idle} without new records, or on {@link #wakeup()}.
 */
public final class RecordTailer<T extends SpecificRecord> {

    /** Receives each record; {@code record} is null and {@code error} set when the value did not decode. */
    public interface Sink<T> {
        void accept(ConsumerRecord<byte[], byte[]> raw, T record, RecordDecodeException error);
    }

    /** How much was read. */
    public record Summary(long records, long undecodable) {}

    private final KafkaClientSettings client;
    private final RecordCodec<T> codec;
    private volatile KafkaConsumer<byte[], byte[]> consumer;

    public RecordTailer(KafkaClientSettings client, RecordCodec<T> codec) {
        this.client = client;
        this.codec = codec;
    }

    public Summary tail(String topic, boolean fromBeginning, boolean readCommitted, long max, Duration idle, Sink<T> sink) {
        Properties props = client.consumer();
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, readCommitted ? "read_committed" : "read_uncommitted");
        props.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "1000");
        long records = 0;
        long bad = 0;
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer = c;
            List<PartitionInfo> infos = c.partitionsFor(topic, Duration.ofSeconds(15));
            if (infos == null || infos.isEmpty()) {
                throw new IllegalArgumentException("topic " + topic + " does not exist at " + client.bootstrapServers());
            }
            List<TopicPartition> partitions = infos.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            c.assign(partitions);
            if (fromBeginning) c.seekToBeginning(partitions);
            else c.seekToEnd(partitions);
            partitions.forEach(c::position); // resolve the start offsets now, before anything new arrives
            long lastRecord = System.nanoTime();
            while (max <= 0 || records < max) {
                var batch = c.poll(Duration.ofMillis(200));
                if (batch.isEmpty()) {
                    if (idle != null && !idle.isZero() && System.nanoTime() - lastRecord > idle.toNanos()) break;
                    continue;
                }
                lastRecord = System.nanoTime();
                for (ConsumerRecord<byte[], byte[]> raw : batch) {
                    T value = null;
                    RecordDecodeException error = null;
                    try {
                        value = codec.decode(raw.value());
                    } catch (RecordDecodeException e) {
                        error = e;
                        bad++;
                    }
                    sink.accept(raw, value, error);
                    records++;
                    if (max > 0 && records >= max) break;
                }
            }
        } catch (WakeupException e) {
            // asked to stop
        } finally {
            consumer = null;
        }
        return new Summary(records, bad);
    }

    /** Stops a running {@link #tail} from another thread (Ctrl-C). */
    public void wakeup() {
        KafkaConsumer<byte[], byte[]> c = consumer;
        if (c != null) c.wakeup();
    }
}
