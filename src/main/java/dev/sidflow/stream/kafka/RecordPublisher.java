package dev.sidflow.stream.kafka;

import dev.sidflow.stream.serde.RecordCodec;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * Sends records to one topic with an idempotent, acks=all producer, optionally paced by a {@link TokenBucket}
 * and optionally transactional (committed every {@code transactionSize} records or every second, so that
 * read_committed consumers see them promptly). Keys are UTF-8 strings; the Kafka record timestamp is the
 * record's event time so downstream event-time processing can use it.
 */
public final class RecordPublisher {

    /** What was sent. */
    public record Report(String topic, long records, double seconds) {
        public double perSecond() { return seconds > 0 ? records / seconds : records; }
    }

    /** How to publish. */
    public record Options(double ratePerSecond, String transactionalId, int transactionSize) {
        public static Options plain(double ratePerSecond) { return new Options(ratePerSecond, null, 0); }
    }

    private final KafkaClientSettings client;

    public RecordPublisher(KafkaClientSettings client) {
        this.client = Objects.requireNonNull(client, "client");
    }

    public <T extends SpecificRecord> Report publish(String topic, List<T> records, RecordCodec<T> codec,
                                                     Function<T, String> key, ToLongFunction<T> timestamp,
                                                     Options options, dev.sidflow.embed.ProgressListener progress) throws InterruptedException {
        Properties props = client.producer();
        boolean transactional = options.transactionalId() != null;
        if (transactional) {
            props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, options.transactionalId());
            props.putIfAbsent(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, "60000");
        }
        int batch = options.transactionSize() > 0 ? options.transactionSize() : 1000;
        TokenBucket pacing = new TokenBucket(options.ratePerSecond());
        AtomicReference<Exception> failure = new AtomicReference<>();
        long sent = 0;
        long t0;
        try (KafkaProducer<String, byte[]> producer =
                     new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
            if (transactional) producer.initTransactions();
            t0 = System.nanoTime();
            boolean open = false;
            long openedAt = 0;
            int inTransaction = 0;
            for (T record : records) {
                if (failure.get() != null) break;
                pacing.acquire();
                if (transactional && !open) {
                    producer.beginTransaction();
                    open = true;
                    openedAt = System.nanoTime();
                    inTransaction = 0;
                }
                producer.send(new ProducerRecord<>(topic, null, timestamp.applyAsLong(record), key.apply(record),
                        codec.encode(record)), (meta, e) -> {
                    if (e != null) failure.compareAndSet(null, e);
                });
                sent++;
                inTransaction++;
                if (progress != null) progress.progress(sent, records.size());
                if (transactional && (inTransaction >= batch || System.nanoTime() - openedAt > 1_000_000_000L)) {
                    producer.commitTransaction();
                    open = false;
                }
            }
            if (transactional && open) {
                if (failure.get() == null) producer.commitTransaction();
                else producer.abortTransaction();
            }
            producer.flush();
            if (failure.get() != null) {
                throw new IllegalStateException("sending to " + topic + " failed: "
                        + LocalKafkaBroker.rootMessage(failure.get()), failure.get());
            }
            producer.close(Duration.ofSeconds(30));
        }
        return new Report(topic, sent, (System.nanoTime() - t0) / 1e9);
    }
}
