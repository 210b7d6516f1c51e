package dev.sidflow.stream;

import dev.sidflow.schema.CatalogItem;
import dev.sidflow.schema.DeadLetter;
import dev.sidflow.schema.InteractionEvent;
import dev.sidflow.schema.Recommendation;
import dev.sidflow.serve.RecommendationServiceFactory;
import dev.sidflow.stream.serde.RecordCodec;
import dev.sidflow.stream.serde.WireFormat;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.serialization.Encoder;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.connector.file.src.reader.TextLineInputFormat;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputFileConfig;
import org.apache.flink.streaming.api.functions.sink.filesystem.rollingpolicies.DefaultRollingPolicy;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * The replay job: a historical event log through the same workflow as the real-time job,
 * bounded and in event time, with prequential evaluation. Input is a canonical data set directory
 * (its interactions.jsonl), a file of events in the wire JSON (one event per line), or part of a
 * Kafka topic between two offsets or timestamps ({@code kafka:TOPIC}, {@link TopicRange}). Output
 * goes to files (FileSink) or topics (KafkaSink), exactly once either way.
 */
public final class ReplayJob {
    public static final String RECOMMENDATIONS_PREFIX = "recommendations";
    public static final String DEAD_LETTERS_PREFIX = "dead-letters";

    private ReplayJob() {}

    public static RecommendationWorkflow.Outputs define(StreamExecutionEnvironment env, JobSpec spec, Set<String> bundleItems,
                              RecommendationServiceFactory services) {
        JobSpec.Replay replay = spec.replay();
        String inputTopic = KafkaLocation.topicOf(replay.input());
        DataStream<RawRecord> events;
        RecordDecoder<InteractionEvent> decoder;
        if (inputTopic != null) {
            events = kafkaEvents(env, spec, new TopicRange(inputTopic, replay.start(), replay.stop()));
            decoder = new SniffingDecoder<>(InteractionEvent.class);
        } else {
            java.nio.file.Path input = java.nio.file.Path.of(replay.input());
            boolean datasetDir = Files.isDirectory(input) && Files.exists(input.resolve("dataset.json"));
            java.nio.file.Path file = datasetDir ? input.resolve("interactions.jsonl") : input;
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException("replay input not found: " + file
                        + " (give a canonical data set directory, a JSONL or Avro data file of events, or kafka:TOPIC)");
            }
            events = !datasetDir && AvroEventFileFormat.isAvroDataFile(file) ? avroRecords(env, file) : fileLines(env, file, "replay");
            decoder = datasetDir ? new CanonicalInteractionDecoder() : new SniffingDecoder<>(InteractionEvent.class);
        }
        // One reader in a repeatable order (a topic's partitions already merged): event time after it.
        events = events.assignTimestampsAndWatermarks(EventTime.of(spec.workflowSettings(), decoder))
                .name("event-time").uid("event-time").setParallelism(1);
        // No catalog changes during a replay: the bundle's catalog is the catalog. (An empty fromData
        // source fails in Flink 2.2, so this is one element filtered out.)
        DataStream<RawRecord> noCatalog = env.fromSequence(0, 0).uid("replay-catalog-source")
                .filter(x -> false).name("no-catalog-changes").uid("no-catalog-changes")
                .map(x -> new RawRecord()).returns(TypeInformation.of(RawRecord.class)).uid("replay-catalog-type");

        RecommendationWorkflow.Outputs out = RecommendationWorkflow.wire(events, noCatalog, decoder,
                new SniffingDecoder<>(CatalogItem.class), bundleItems, services, spec.workflowSettings(), spec.llmStage());
        if (replay.evaluate()) out.evaluatePrequentially();

        // One writer per output: a single, repeatable order (at parallelism 1, byte-identical runs).
        WireFormat format = WireFormat.parse(spec.kafka().format());
        String recsTopic = KafkaLocation.topicOf(replay.output());
        (recsTopic != null
                ? out.recommendations().sinkTo(KafkaConnectors.recommendationSink(spec, format, recsTopic)).name("recommendations-topic")
                : out.recommendations().sinkTo(jsonlSink(replay.output(), RECOMMENDATIONS_PREFIX, Recommendation.class)).name("recommendations-file"))
                .uid(recsTopic != null ? "recommendations-topic" : "recommendations-file").setParallelism(1);
        String deadTopic = KafkaLocation.topicOf(replay.deadLetters());
        (deadTopic != null
                ? out.deadLetters().sinkTo(KafkaConnectors.deadLetterSink(spec, format, deadTopic)).name("dead-letters-topic")
                : out.deadLetters().sinkTo(jsonlSink(replay.deadLetters(), DEAD_LETTERS_PREFIX, DeadLetter.class)).name("dead-letters-file"))
                .uid(deadTopic != null ? "dead-letters-topic" : "dead-letters-file").setParallelism(1);
        return out;
    }

    /** One file, one reader, numbered lines: a deterministic order that dead letters can point back to. */
    static DataStream<RawRecord> fileLines(StreamExecutionEnvironment env, java.nio.file.Path file, String uidPrefix) {
        return env.fromSource(
                        FileSource.forRecordStreamFormat(new TextLineInputFormat(), new Path(file.toAbsolutePath().toUri())).build(),
                        WatermarkStrategy.noWatermarks(), uidPrefix + "-file")
                .uid(uidPrefix + "-source").setParallelism(1)
                .map(new NumberLines<String>(file.getFileName().toString())).returns(RawRecord.class)
                .name("number-lines").uid("number-lines").setParallelism(1);
    }

    /** An Avro data file of events, one reader, records numbered like lines. */
    static DataStream<RawRecord> avroRecords(StreamExecutionEnvironment env, java.nio.file.Path file) {
        return env.fromSource(
                        FileSource.forRecordStreamFormat(new AvroEventFileFormat(), new Path(file.toAbsolutePath().toUri())).build(),
                        WatermarkStrategy.noWatermarks(), "replay-avro-file")
                .uid("replay-avro-source").setParallelism(1)
                .map(new NumberLines<byte[]>(file.getFileName().toString())).returns(RawRecord.class)
                .name("number-records").uid("number-records").setParallelism(1);
    }

    /**
     * Part of a topic, bounded, read_committed, with its partitions merged into a repeatable order
     * (see {@link MergePartitionsInTimeOrder}); the source's per-partition watermarks follow the
     * Kafka record timestamps.
     */
    static DataStream<RawRecord> kafkaEvents(StreamExecutionEnvironment env, JobSpec spec, TopicRange range) {
        return env.fromSource(KafkaConnectors.rangeSource(spec, range),
                        WatermarkStrategy.<RawRecord>forMonotonousTimestamps().withTimestampAssigner((r, ts) -> r.timestamp),
                        "replay-topic " + range.topic())
                .uid("replay-topic-source").setParallelism(1)
                .transform("merge-partitions", TypeInformation.of(RawRecord.class), new MergePartitionsInTimeOrder())
                .uid("merge-partitions").setParallelism(1);
    }

    private static <T extends org.apache.avro.specific.SpecificRecord> FileSink<T> jsonlSink(String dir, String prefix, Class<T> type) {
        RecordCodec<T> codec = RecordCodec.of(type, WireFormat.JSON);
        Encoder<T> encoder = (record, stream) -> {
            stream.write(codec.encode(record));
            stream.write('\n');
        };
        return FileSink.forRowFormat(new Path(java.nio.file.Path.of(dir).toAbsolutePath().toUri()), encoder)
                .withOutputFileConfig(OutputFileConfig.builder().withPartPrefix(prefix).withPartSuffix(".jsonl").build())
                .withBucketAssigner(new org.apache.flink.streaming.api.functions.sink.filesystem.bucketassigners.BasePathBucketAssigner<>())
                .withRollingPolicy(DefaultRollingPolicy.builder()
                        .withMaxPartSize(MemorySize.ofMebiBytes(1024))
                        .withRolloverInterval(Duration.ofDays(365))
                        .withInactivityInterval(Duration.ofDays(365))
                        .build())
                .build();
    }

    /** The committed output files of a finished replay, in the order they were written. */
    public static List<java.nio.file.Path> outputFiles(java.nio.file.Path dir, String prefix) throws java.io.IOException {
        if (!Files.isDirectory(dir)) return List.of();
        try (var s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith(prefix) && p.getFileName().toString().endsWith(".jsonl"))
                    .sorted(java.util.Comparator.comparingLong(ReplayJob::partCounter))
                    .toList();
        }
    }

    private static long partCounter(java.nio.file.Path p) {
        String n = p.getFileName().toString();
        String base = n.substring(0, n.length() - ".jsonl".length());
        try {
            return Long.parseLong(base.substring(base.lastIndexOf('-') + 1));
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }
}
