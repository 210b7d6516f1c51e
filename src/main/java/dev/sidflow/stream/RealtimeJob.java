package dev.sidflow.stream;

import dev.sidflow.schema.CatalogItem;
import dev.sidflow.schema.InteractionEvent;
import dev.sidflow.serve.RecommendationServiceFactory;
import dev.sidflow.stream.serde.WireFormat;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.util.Set;

/** The real-time job: Kafka events and catalog in, recommendations and dead letters out, exactly once. */
public final class RealtimeJob {
    private RealtimeJob() {}

    public static RecommendationWorkflow.Outputs define(StreamExecutionEnvironment env, JobSpec spec, Set<String> bundleItems,
                              RecommendationServiceFactory services) {
        return define(env, spec, bundleItems, services, RecommendationWorkflow.NO_SPLICE);
    }

    /** @param beforeSink see {@link RecommendationWorkflow.BeforeSink} (fault-injection tests only) */
    public static RecommendationWorkflow.Outputs define(StreamExecutionEnvironment env, JobSpec spec, Set<String> bundleItems,
                              RecommendationServiceFactory services, RecommendationWorkflow.BeforeSink beforeSink) {
        JobSpec.Topics topics = spec.kafka().topics();
        RecordDecoder<InteractionEvent> decoder = new SniffingDecoder<>(InteractionEvent.class);
        // event time per partition, at the source (see EventTime)
        DataStream<RawRecord> events = env.fromSource(
                        KafkaConnectors.rawSource(spec, topics.events(), "", KafkaConnectors.startingOffsets(spec)),
                        EventTime.of(spec.workflowSettings(), decoder), "events")
                .uid("events-source").setParallelism(spec.parallelism());
        // Every start without a checkpoint re-reads the whole (compacted) catalog topic.
        DataStream<RawRecord> catalog = env.fromSource(
                        KafkaConnectors.rawSource(spec, topics.catalog(), "-catalog", OffsetsInitializer.earliest()),
                        WatermarkStrategy.noWatermarks(), "catalog")
                .uid("catalog-source").setParallelism(1);

        RecommendationWorkflow.Outputs out = RecommendationWorkflow.wire(events, catalog,
                decoder, new SniffingDecoder<>(CatalogItem.class),
                bundleItems, services, spec.workflowSettings(), spec.llmStage()).splice(beforeSink);

        WireFormat format = WireFormat.parse(spec.kafka().format());
        out.recommendations().sinkTo(KafkaConnectors.recommendationSink(spec, format))
                .name("recommendations-sink").uid("recommendations-sink").setParallelism(spec.parallelism());
        out.deadLetters().sinkTo(KafkaConnectors.deadLetterSink(spec, format))
                .name("dead-letters-sink").uid("dead-letters-sink").setParallelism(1);
        return out;
    }
}
