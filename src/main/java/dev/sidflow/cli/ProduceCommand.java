package dev.sidflow.cli;

import dev.sidflow.data.Item;
import dev.sidflow.schema.CatalogItem;
import dev.sidflow.schema.InteractionEvent;
import dev.sidflow.stream.kafka.EventMapping;
import dev.sidflow.stream.kafka.JsonlReader;
import dev.sidflow.stream.kafka.KafkaClientSettings;
import dev.sidflow.stream.kafka.KafkaTopics;
import dev.sidflow.embed.ProgressBar;
import dev.sidflow.stream.kafka.RecordPublisher;
import dev.sidflow.stream.kafka.SourceEvent;
import dev.sidflow.stream.kafka.TopicAdmin;
import dev.sidflow.stream.serde.RecordCodec;
import dev.sidflow.stream.serde.WireFormat;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** `sidflow produce`: replays a canonical data set's events (in event time) or catalog onto Kafka. */
@Command(name = "produce", mixinStandardHelpOptions = true,
        description = {"Send interaction events (in event-time order, keyed by user) or catalog items (keyed by item) "
                + "from canonical JSONL to Kafka, with an idempotent acks=all producer.",
                "event_id is derived from (user, item, time, type), so producing the same data twice gives the same ids."})
public final class ProduceCommand implements Callable<Integer> {

    enum What { EVENTS, CATALOG }

    @Spec
    CommandSpec spec;

    @Option(names = "--what", defaultValue = "events", description = "events or catalog (default: ${DEFAULT-VALUE}).")
    What what;

    static final class Source {
        @Option(names = "--data", paramLabel = "DIR",
                description = "Canonical data set directory: reads DIR/interactions.jsonl or DIR/items.jsonl.")
        Path data;

        @Option(names = "--jsonl", paramLabel = "FILE",
                description = "A JSONL file of canonical interactions {userId,itemId,timestamp,eventType} or items {itemId,title,...}.")
        Path jsonl;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    @Option(names = "--rate", defaultValue = "0", paramLabel = "N",
            description = "Records per second (token bucket); 0 = as fast as possible (default).")
    double rate;

    @Option(names = "--limit", defaultValue = "0", paramLabel = "N",
            description = "Send only the first N records (in event-time order for events); 0 = all.")
    long limit;

    @Option(names = "--format", defaultValue = "avro", description = "Wire format: avro or json (default: ${DEFAULT-VALUE}).")
    WireFormat format;

    @Option(names = "--topic", paramLabel = "NAME",
            description = "Target topic (default: " + "sidflow.events for events, sidflow.catalog for catalog).")
    String topic;

    @Option(names = "--partitions", defaultValue = "4",
            description = "Partitions when the topic must be created (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--transactional", description = "Send in transactions (committed every 1000 records or every second).")
    boolean transactional;

    @Option(names = "--quiet", description = "No progress bar.")
    boolean quiet;

    @Mixin
    KafkaClientOptions kafka;

    @Override
    public Integer call() throws Exception {
        KafkaClientSettings client = kafka.settings();
        Path file = inputFile();
        String target = topic != null ? topic
                : what == What.EVENTS ? KafkaTopics.DEFAULT.events() : KafkaTopics.DEFAULT.catalog();
        PrintStream err = System.err;
        RecordPublisher publisher = new RecordPublisher(client);
        String txId = transactional ? "sidflow-produce-" + target : null;
        RecordPublisher.Options options = new RecordPublisher.Options(rate, txId, 1000);
        RecordPublisher.Report report;
        if (what == What.EVENTS) {
            List<SourceEvent> source = EventMapping.inEventTimeOrder(JsonlReader.readEvents(file));
            List<InteractionEvent> events = new ArrayList<>(source.size());
            for (SourceEvent s : limited(source)) {
                try {
                    events.add(EventMapping.toEvent(s));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(file + ": " + e.getMessage());
                }
            }
            ensureTopic(client, target); // after reading: bad input fails fast, without a broker
            err.printf("produce: %d events from %s -> %s (%s)%n", events.size(), file, target, format.name().toLowerCase(Locale.ROOT));
            try (ProgressBar progress = quiet ? null : new ProgressBar("produce", "events", err)) {
                report = publisher.publish(target, events, RecordCodec.of(InteractionEvent.class, format),
                        InteractionEvent::getUserId, e -> e.getEventTime().toEpochMilli(), options, progress);
            }
        } else {
            Instant now = Instant.now();
            List<CatalogItem> items = limited(JsonlReader.readItems(file)).stream()
                    .map((Item i) -> EventMapping.toCatalogItem(i, now)).toList();
            ensureTopic(client, target);
            err.printf("produce: %d catalog items from %s -> %s (%s)%n", items.size(), file, target, format.name().toLowerCase(Locale.ROOT));
            try (ProgressBar progress = quiet ? null : new ProgressBar("produce", "items", err)) {
                report = publisher.publish(target, items, RecordCodec.of(CatalogItem.class, format),
                        CatalogItem::getItemId, c -> c.getUpdatedAt().toEpochMilli(), options, progress);
            }
        }
        spec.commandLine().getOut().printf(Locale.ROOT, "produced %d %s to %s in %.1f s (%.0f/s)%n", report.records(),
                what == What.EVENTS ? "events" : "catalog items", report.topic(), report.seconds(), report.perSecond());
        spec.commandLine().getOut().flush();
        return 0;
    }

    private <T> List<T> limited(List<T> all) {
        return limit > 0 && limit < all.size() ? all.subList(0, (int) limit) : all;
    }

    private Path inputFile() {
        if (source.jsonl != null) return source.jsonl;
        Path f = source.data.resolve(what == What.EVENTS ? "interactions.jsonl" : "items.jsonl");
        if (!Files.isRegularFile(f)) {
            throw new IllegalArgumentException("no " + f.getFileName() + " in data set directory " + source.data);
        }
        return f;
    }

    /** Creates the topic when missing; a producer would otherwise block for a minute on an unknown topic. */
    private void ensureTopic(KafkaClientSettings client, String name) throws Exception {
        NewTopic t = what == What.CATALOG
                ? new NewTopic(name, 1, (short) -1).configs(java.util.Map.of("cleanup.policy", "compact"))
                : new NewTopic(name, Math.max(1, partitions), (short) -1).configs(dev.sidflow.stream.kafka.KafkaTopics.KEEP_OLD_TIMESTAMPS);
        try (Admin admin = Admin.create(client.admin())) {
            TopicAdmin.ensureTopics(admin, List.of(t));
        } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("cannot reach Kafka at " + client.bootstrapServers()
                    + " (is it running? try `sidflow kafka start`): " + e.getMessage());
        }
    }
}
