package dev.sidflow.cli;

import dev.sidflow.data.Dataset;
import dev.sidflow.data.DatasetStore;
import dev.sidflow.data.DatasetFormat;
import dev.sidflow.data.Interaction;
import dev.sidflow.data.SyntheticData;
import dev.sidflow.model.BundleTrainer;
import dev.sidflow.model.ModelBundle;
import dev.sidflow.model.ModelSpec;
import dev.sidflow.schema.CatalogItem;
import dev.sidflow.schema.InteractionEvent;
import dev.sidflow.schema.Recommendation;
import dev.sidflow.schema.RecommendedItem;
import dev.sidflow.stream.JobRunner;
import dev.sidflow.stream.JobSpec;
import dev.sidflow.stream.kafka.BrokerSettings;
import dev.sidflow.stream.kafka.EventMapping;
import dev.sidflow.stream.kafka.KafkaTopics;
import dev.sidflow.stream.kafka.LocalKafkaBroker;
import dev.sidflow.stream.kafka.RecordPublisher;
import dev.sidflow.stream.kafka.SourceEvent;
import dev.sidflow.stream.serde.RecordCodec;
import dev.sidflow.stream.serde.WireFormat;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;

/**
 * {@code sidflow demo}: the whole system on one machine. Starts the local broker, trains (or
 * reuses) a small bundle, runs the real-time job with Flink's web UI, publishes the catalog and a
 * stream of events, and prints the live, title-mapped recommendations.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Run sidflow end to end and print live recommendations.",
                "A local Kafka broker, a small model bundle (trained on generated data, or --data), the real-time",
                "Flink job, live events in, title-mapped recommendations printed as they come."})
public final class DemoCommand implements Callable<Integer> {
    @Spec
    CommandSpec command;

    @Option(names = "--data", paramLabel = "DIR", description = "Use this data set instead of generated data (e.g. ../shared/data/movielens-latest-small).")
    Path data;

    @Option(names = "--spec", paramLabel = "FILE", defaultValue = "models/demo.yaml", description = "Model spec (default: ${DEFAULT-VALUE}).")
    Path modelSpec;

    @Option(names = "--bundle", paramLabel = "DIR", defaultValue = "target/bundles/demo",
            description = "Bundle to use; trained here if missing (default: ${DEFAULT-VALUE}).")
    Path bundle;

    @Option(names = "--retrain", description = "Train the bundle even if it exists.")
    boolean retrain;

    @Option(names = "--events", defaultValue = "200", description = "Events to publish (default: ${DEFAULT-VALUE}).")
    int events;

    @Option(names = "--rate", defaultValue = "20", description = "Events per second (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--show", defaultValue = "5", description = "Items shown per recommendation (default: ${DEFAULT-VALUE}).")
    int show;

    @Option(names = "--job", paramLabel = "FILE", defaultValue = "flink-jobs/realtime.yaml", description = "Job spec (default: ${DEFAULT-VALUE}).")
    Path jobSpec;

    @Option(names = "--stop-broker", description = "Stop the local broker at the end (default: leave it running).")
    boolean stopBroker;

    @Option(names = "--kafka-dir", paramLabel = "DIR", defaultValue = ".sidflow/kafka",
            description = "Directory of the local broker (default: ${DEFAULT-VALUE}).")
    Path kafkaDir;

    @Option(names = "--kafka-port", paramLabel = "PORT", defaultValue = "9092",
            description = "Client port of the local broker on 127.0.0.1 (default: ${DEFAULT-VALUE}); the job uses this broker.")
    int kafkaPort;

    @Override
    public Integer call() throws Exception {
        Dataset dataset;
        if (data != null) {
            dataset = DatasetFormat.loadAuto(data);
        } else {
            Path generated = Path.of("target", "data", "demo");
            if (DatasetStore.isDatasetDir(generated)) {
                dataset = DatasetStore.read(generated);
            } else {
                dataset = SyntheticData.generate(SyntheticData.Config.of(2000, 500, 42));
                DatasetStore.write(dataset, generated);
            }
        }
        if (retrain || !ModelBundle.exists(bundle)) {
            System.err.println("== training a bundle on " + dataset.name() + " (" + dataset.items().size() + " items)");
            ModelSpec spec = ModelSpec.load(modelSpec);
            new BundleTrainer(spec, System.err).build(dataset, bundle, null, Caches.embeddingCache(spec.encoder()));
        }
        ModelBundle.Manifest manifest = ModelBundle.open(bundle).manifest();
        System.err.println("== bundle " + manifest.version());

        JobSpec base = JobSpec.load(jobSpec).withBundle(bundle.toString());
        JobSpec.Topics topics = base.kafka().topics();
        LocalKafkaBroker broker = new LocalKafkaBroker(BrokerSettings.defaults(kafkaDir, kafkaPort).withTopics(
                new KafkaTopics(topics.events(), topics.catalog(), topics.recommendations(), topics.deadLetters())));
        String bootstrap = broker.start().status().bootstrap();
        System.err.println("== Kafka broker: " + bootstrap);
        JobSpec spec = base.withKafka(new JobSpec.Kafka(bootstrap, "sidflow-demo-" + System.currentTimeMillis(),
                "latest", base.kafka().format(), topics, base.kafka().properties()));

        JobClient job = JobRunner.start(JobRunner.prepareLocal(spec, true));
        System.err.println("== real-time job started; Flink web UI: http://127.0.0.1:" + spec.web().port());
        try (KafkaConsumer<byte[], byte[]> reader = recommendationReader(spec)) {
            awaitRunning(job);
            Map<String, String> triggerTitle = publish(spec, dataset);
            printRecommendations(reader, triggerTitle);
        } finally {
            job.cancel().get();
            if (stopBroker) broker.stop(Duration.ofSeconds(30));
            else System.err.println("== broker left running (stop it with: ./sidflow kafka stop)");
        }
        return 0;
    }

    private static void awaitRunning(JobClient job) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (job.getJobStatus().get() != JobStatus.RUNNING) {
            if (System.nanoTime() > deadline) throw new IllegalStateException("the job did not start within 120 s");
            Thread.sleep(200);
        }
        // sources start reading from "latest" once they have their partitions
        Thread.sleep(5000);
    }

    /** Publishes the catalog and the first events in event-time order; returns each event's item title. */
    private Map<String, String> publish(JobSpec spec, Dataset dataset) throws Exception {
        RecordPublisher publisher = new RecordPublisher(spec.kafkaClient());
        List<CatalogItem> catalog = new ArrayList<>();
        for (var item : dataset.items()) catalog.add(EventMapping.toCatalogItem(item, Instant.now()));
        publisher.publish(spec.kafka().topics().catalog(), catalog, RecordCodec.of(CatalogItem.class, WireFormat.AVRO),
                CatalogItem::getItemId, c -> System.currentTimeMillis(), RecordPublisher.Options.plain(0), null);
        List<InteractionEvent> list = new ArrayList<>();
        Map<String, String> titles = new HashMap<>();
        for (Interaction in : dataset.interactions().subList(0, Math.min(events, dataset.interactions().size()))) {
            InteractionEvent e = EventMapping.toEvent(new SourceEvent(in, Map.of()));
            list.add(e);
            titles.put(e.getEventId(), dataset.item(in.itemId()).title());
        }
        Thread producer = new Thread(() -> {
            try {
                publisher.publish(spec.kafka().topics().events(), list, RecordCodec.of(InteractionEvent.class, WireFormat.AVRO),
                        InteractionEvent::getUserId, e -> e.getEventTime().toEpochMilli(), RecordPublisher.Options.plain(rate), null);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "demo-producer");
        producer.setDaemon(true);
        producer.start();
        System.err.printf("== publishing %d events at %.0f/s%n", list.size(), rate);
        return titles;
    }

    /**
     * A reader of the recommendations topic placed at its current end before any event is published,
     * so it sees every recommendation of this run however long joining a consumer group would take.
     */
    private static KafkaConsumer<byte[], byte[]> recommendationReader(JobSpec spec) {
        Properties p = spec.kafkaClient().consumer();
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        for (PartitionInfo info : consumer.partitionsFor(spec.kafka().topics().recommendations())) {
            partitions.add(new TopicPartition(info.topic(), info.partition()));
        }
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position); // resolves the lazy seek now
        return consumer;
    }

    private void printRecommendations(KafkaConsumer<byte[], byte[]> consumer, Map<String, String> triggerTitle) {
        PrintWriter out = command.commandLine().getOut();
        RecordCodec<Recommendation> codec = RecordCodec.of(Recommendation.class, WireFormat.AVRO);
        List<Long> latencies = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds((long) (events / Math.max(rate, 1)) + 60).toNanos();
        while (latencies.size() < triggerTitle.size() && System.nanoTime() < deadline) {
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                Recommendation rec = codec.decode(r.value());
                String trigger = triggerTitle.get(rec.getRequestKey());
                if (trigger == null) continue; // from another run
                latencies.add(rec.getProcessingLatencyMs());
                StringBuilder sb = new StringBuilder();
                sb.append(String.format("user %-6s after \"%s\" (%d ms):%n", rec.getUserId(), trigger, rec.getProcessingLatencyMs()));
                for (RecommendedItem item : rec.getItems().subList(0, Math.min(show, rec.getItems().size()))) {
                    String match = item.getMatchLevel() == 4 ? "" : " (L" + item.getMatchLevel() + " match)";
                    sb.append(String.format("   %2d. \"%s\"%s  %.3f%n", item.getRank(), item.getTitle(), match, item.getScore()));
                }
                out.print(sb);
                out.flush();
            }
        }
        long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        out.printf("%n== %d recommendations for %d events; processing latency p50 %d ms, p99 %d ms (committed every checkpoint)%n",
                sorted.length, triggerTitle.size(), pct(sorted, 0.5), pct(sorted, 0.99));
        out.flush();
    }

    private static long pct(long[] sorted, double q) {
        if (sorted.length == 0) return 0;
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
    }
}
