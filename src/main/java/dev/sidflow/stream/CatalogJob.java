package dev.sidflow.stream;

import dev.sidflow.schema.CatalogItem;
import dev.sidflow.stream.serde.WireFormat;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The catalog job: item records in (a canonical data set's items.jsonl, bounded; or a topic of
 * raw catalog records, continuous), validated (bad ones dead-lettered like bad events), deduplicated
 * by content per item ({@link ForwardChangedItems}), and published exactly once to the catalog
 * topic the real-time job consumes, keyed by item id, in the spec's wire format.
 */
public final class CatalogJob {
    private CatalogJob() {}

    public static void define(StreamExecutionEnvironment env, JobSpec spec) {
        String input = spec.catalog() == null ? null : spec.catalog().data();
        if (input == null || input.isBlank()) throw new IllegalArgumentException("catalog.data is missing: a data set directory, items JSONL or kafka:TOPIC");
        String catalogTopic = spec.kafka().topics().catalog();
        String inputTopic = KafkaLocation.topicOf(input);
        DataStream<RawRecord> records;
        RecordDecoder<CatalogItem> decoder;
        if (inputTopic != null) {
            if (inputTopic.equals(catalogTopic)) {
                throw new IllegalArgumentException("the catalog job cannot read the topic it publishes to (" + catalogTopic + ")");
            }
            records = env.fromSource(KafkaConnectors.rawSource(spec, inputTopic, "-catalog-job", KafkaConnectors.startingOffsets(spec)),
                            WatermarkStrategy.noWatermarks(), "raw-catalog " + inputTopic)
                    .uid("raw-catalog-source").setParallelism(1);
            decoder = new SniffingDecoder<>(CatalogItem.class);
        } else {
            Path path = Path.of(input);
            Path file = Files.isDirectory(path) ? path.resolve("items.jsonl") : path;
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException("catalog input not found: " + file
                        + " (give a canonical data set directory, an items JSONL file or kafka:TOPIC)");
            }
            records = ReplayJob.fileLines(env, file, "catalog");
            decoder = new CanonicalItemDecoder();
        }

        int maxFieldLength = spec.workflowSettings().maxFieldLength();
        // Decoding beside the single reader keeps each item's versions in order up to keyBy.
        SingleOutputStreamOperator<CatalogItem> items = records
                .process(new DecodeCatalog(decoder, maxFieldLength))
                .returns(new AvroTypeInfo<>(CatalogItem.class))
                .name("validate-items").uid("validate-items").setParallelism(1);
        DataStream<CatalogItem> changed = items
                .keyBy(item -> item.getItemId())
                .process(new ForwardChangedItems())
                .returns(new AvroTypeInfo<>(CatalogItem.class))
                .name("changed-items-only").uid("changed-items-only");

        WireFormat format = WireFormat.parse(spec.kafka().format());
        changed.sinkTo(KafkaConnectors.catalogSink(spec, format, catalogTopic))
                .name("catalog-sink").uid("catalog-sink");
        items.getSideOutput(DeadLetters.TAG).sinkTo(KafkaConnectors.deadLetterSink(spec, format))
                .name("dead-letters-sink").uid("dead-letters-sink").setParallelism(1);
    }
}
