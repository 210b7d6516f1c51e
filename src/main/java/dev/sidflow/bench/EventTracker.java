package dev.sidflow.bench;

import dev.sidflow.schema.Recommendation;
import dev.sidflow.stream.kafka.KafkaClientSettings;
import dev.sidflow.stream.serde.RecordCodec;
import dev.sidflow.stream.serde.WireFormat;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * When each benchmark event was sent and when its recommendation became visible, before the
 * exactly-once commit (read_uncommitted) and after it (read_committed). Events are numbered;
 * their event id is {@link #key(int)}, which the recommendation carries back as its request key.
 */
final class EventTracker {
    /** Threads and Kafka clients of the benchmark driver carry this in their names (their CPU is not the job's). */
    static final String DRIVER_THREAD_TAG = "sidflow-bench-driver";
    private static final String PREFIX = "bench-";

    private final AtomicLongArray sentAt;
    private final AtomicLongArray processedAt;
    private final AtomicLongArray committedAt;
    private final AtomicLongArray inJobMs;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong processed = new AtomicLong();
    private final AtomicLong committed = new AtomicLong();

    EventTracker(int capacity) {
        sentAt = new AtomicLongArray(capacity);
        processedAt = new AtomicLongArray(capacity);
        committedAt = new AtomicLongArray(capacity);
        inJobMs = new AtomicLongArray(capacity);
    }

    static String key(int seq) {
        return PREFIX + seq;
    }

    /** The sequence number of a request key, or -1 for a record that is not ours. */
    static int seqOf(String key) {
        if (key == null || !key.startsWith(PREFIX)) return -1;
        try {
            return Integer.parseInt(key, PREFIX.length(), key.length(), 10);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    void sent(int seq, long millis) {
        if (seq >= sentAt.length()) throw new IllegalStateException("more events than the tracker was sized for: " + seq);
        sentAt.set(seq, millis);
        sent.incrementAndGet();
    }

    long sentCount() { return sent.get(); }
    long processedCount() { return processed.get(); }
    long committedCount() { return committed.get(); }

    /** Records the first sighting of a recommendation; duplicates (there should be none) are ignored. */
    void seen(int seq, long millis, boolean committedView, long inJobLatency) {
        if (seq < 0 || seq >= sentAt.length()) return;
        if (committedView) {
            if (committedAt.compareAndSet(seq, 0, millis)) committed.incrementAndGet();
        } else if (processedAt.compareAndSet(seq, 0, millis)) {
            inJobMs.set(seq, inJobLatency);
            processed.incrementAndGet();
        }
    }

    /** Recommendations first seen (uncommitted) in [fromMillis, toMillis) among events below {@code limit}. */
    long processedBetween(long fromMillis, long toMillis, int limit) {
        long n = 0;
        for (int i = 0; i < Math.min(limit, processedAt.length()); i++) {
            long t = processedAt.get(i);
            if (t >= fromMillis && t < toMillis) n++;
        }
        return n;
    }

    long[] processingLatencies(int from, int to) { return latencies(processedAt, from, to); }

    long[] committedLatencies(int from, int to) { return latencies(committedAt, from, to); }

    long[] inJobLatencies(int from, int to) {
        long[] out = new long[to - from];
        for (int i = from; i < to; i++) out[i - from] = processedAt.get(i) == 0 ? Percentiles.MISSING : inJobMs.get(i);
        return out;
    }

    private long[] latencies(AtomicLongArray seenAt, int from, int to) {
        long[] out = new long[to - from];
        for (int i = from; i < to; i++) {
            long seen = seenAt.get(i);
            out[i - from] = seen == 0 ? Percentiles.MISSING : Math.max(0, seen - sentAt.get(i));
        }
        return out;
    }

    /** CPU time of the driver's own threads (producer, readers and their Kafka client threads). */
    static long driverCpuNanos() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long total = 0;
        for (ThreadInfo info : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (info == null) continue;
            String name = info.getThreadName();
            if (name.contains(DRIVER_THREAD_TAG) || name.equals(Thread.currentThread().getName())) {
                long t = mx.getThreadCpuTime(info.getThreadId());
                if (t > 0) total += t;
            }
        }
        return total;
    }

    Readers startReaders(KafkaClientSettings client, String topic) {
        return new Readers(client, topic);
    }

    /** Two consumers of the recommendations topic, read_uncommitted and read_committed, each on its own thread. */
    final class Readers implements AutoCloseable {
        private final List<Thread> threads = new ArrayList<>();
        private volatile boolean stop;

        Readers(KafkaClientSettings client, String topic) {
            for (boolean committedView : new boolean[] {false, true}) {
                String name = DRIVER_THREAD_TAG + (committedView ? "-committed" : "-uncommitted");
                Properties p = client.consumer();
                p.put(ConsumerConfig.CLIENT_ID_CONFIG, name);
                p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, committedView ? "read_committed" : "read_uncommitted");
                Thread t = new Thread(() -> read(p, topic, committedView), name);
                t.setDaemon(true);
                t.start();
                threads.add(t);
            }
        }

        private void read(Properties p, String topic, boolean committedView) {
            RecordCodec<Recommendation> codec = RecordCodec.of(Recommendation.class, WireFormat.AVRO);
            try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
                List<TopicPartition> parts = c.partitionsFor(topic).stream()
                        .map(i -> new TopicPartition(topic, i.partition())).toList();
                c.assign(parts);
                c.seekToBeginning(parts);
                while (!stop) {
                    for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(50))) {
                        long now = System.currentTimeMillis();
                        Recommendation rec = codec.decode(r.value());
                        seen(seqOf(rec.getRequestKey()), now, committedView, rec.getProcessingLatencyMs());
                    }
                }
            }
        }

        @Override
        public void close() throws InterruptedException {
            stop = true;
            for (Thread t : threads) t.join(10_000);
        }
    }
}
