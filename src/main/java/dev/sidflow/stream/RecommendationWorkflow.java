package dev.sidflow.stream;

import dev.sidflow.schema.CatalogItem;
import dev.sidflow.schema.DeadLetter;
import dev.sidflow.schema.InteractionEvent;
import dev.sidflow.schema.Recommendation;
import dev.sidflow.serve.RecommendationServiceFactory;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The recommendation workflow, shared by the real-time and the replay jobs: they differ only in
 * the sources and sinks they attach. Events arrive with their event time and watermarks already
 * assigned where they entered the job ({@link EventTime}: per partition at a Kafka source).
 *
 * <pre>
 * events (event time) --decode/validate--> keyBy(user)--> history (+catalog broadcast)
 *        --> micro-batched inference (+catalog broadcast) --> recommendations
 * catalog --decode--> broadcast to history and inference
 * every stage --side output--> dead letters (inference: requests the live catalog cannot answer)
 * </pre>
 */
public final class RecommendationWorkflow {

    /** What the workflow produces; the job attaches sinks to both. */
    public record Outputs(DataStream<Recommendation> recommendations, DataStream<DeadLetter> deadLetters,
                          DataStream<UserRequest> acceptedEvents) {
        /** Scores every recommendation against the user's next accepted event (see {@link PrequentialEvaluator}). */
        public void evaluatePrequentially() {
            recommendations.keyBy(r -> r.getUserId())
                    .connect(acceptedEvents.keyBy(r -> r.userId))
                    .process(new PrequentialEvaluator())
                    .returns(org.apache.flink.api.common.typeinfo.Types.VOID)
                    .name("prequential-evaluation").uid("prequential-evaluation")
                    .sinkTo(new org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink<>())
                    .name("evaluation-done").uid("evaluation-done");
        }

        /** These outputs with {@code stage} spliced in front of the recommendations sink. */
        public Outputs splice(BeforeSink stage) {
            return stage == NO_SPLICE ? this : new Outputs(stage.apply(recommendations), deadLetters, acceptedEvents);
        }
    }

    /**
     * A stage spliced into the recommendations stream right before the job's sink. Production jobs use
     * {@link #NO_SPLICE}; the fault-tolerance ITs splice in an operator that fails the job mid-stream or
     * slows the sink down, so they test the real job graph rather than a copy of it. It runs once, when
     * the job is defined, and adds operators; it is not serialized.
     */
    public interface BeforeSink extends UnaryOperator<DataStream<Recommendation>> {}

    public static final BeforeSink NO_SPLICE = recommendations -> recommendations;

    private RecommendationWorkflow() {}

    public static Outputs wire(DataStream<RawRecord> events,
                               DataStream<RawRecord> catalog,
                               RecordDecoder<InteractionEvent> eventDecoder,
                               RecordDecoder<CatalogItem> catalogDecoder,
                               Set<String> bundleItems,
                               RecommendationServiceFactory services,
                               WorkflowSettings settings) {
        return wire(events, catalog, eventDecoder, catalogDecoder, bundleItems, services, settings, null);
    }

    /** @param llm the optional LLM stage before inference (null: the built-in generator alone) */
    public static Outputs wire(DataStream<RawRecord> events,
                               DataStream<RawRecord> catalog,
                               RecordDecoder<InteractionEvent> eventDecoder,
                               RecordDecoder<CatalogItem> catalogDecoder,
                               Set<String> bundleItems,
                               RecommendationServiceFactory services,
                               WorkflowSettings settings,
                               LlmStage llm) {
        // Decoding runs beside its source (forward, same parallelism): a
        // rebalance here would reorder a user's events before keyBy when a replay's single reader
        // feeds more keyed subtasks, and reorder updates of one item on the catalog.
        SingleOutputStreamOperator<SourcedEvent> decoded = events
                .process(new DecodeEvents(eventDecoder, settings.maxFutureSkew().toMillis(), settings.maxFieldLength()))
                .name("decode-events").uid("decode-events").setParallelism(events.getParallelism());

        SingleOutputStreamOperator<CatalogItem> catalogItems = catalog
                .process(new DecodeCatalog(catalogDecoder, settings.maxFieldLength()))
                .returns(new AvroTypeInfo<>(CatalogItem.class))
                .name("decode-catalog").uid("decode-catalog").setParallelism(catalog.getParallelism());
        DataStream<CatalogItem> catalogTimed = catalogItems
                .assignTimestampsAndWatermarks(NeverHoldBackWatermarks.strategy())
                .name("catalog-time").uid("catalog-time").setParallelism(catalog.getParallelism());

        BroadcastStream<CatalogItem> catalogBroadcast = catalogTimed.broadcast(UserHistoryFunction.CATALOG_CHANGES);

        SingleOutputStreamOperator<UserRequest> requests = decoded
                .keyBy(e -> e.event.getUserId())
                .connect(catalogBroadcast)
                .process(new UserHistoryFunction(bundleItems, settings.historyLength(), settings.dedupWindow(),
                        settings.stateTtl().toMillis()))
                .name("user-history").uid("user-history")
                .setParallelism(settings.parallelism());

        DataStream<UserRequest> toInference = llm == null ? requests : llm.apply(requests, settings.parallelism());
        SingleOutputStreamOperator<Recommendation> recommendations = toInference
                .connect(catalogTimed.broadcast())
                .transform("batched-inference", new AvroTypeInfo<>(Recommendation.class),
                        new BatchingInferenceOperator(services, settings.maxBatchSize(), settings.maxBatchDelay().toMillis(),
                                settings.deterministicOutput(), llm != null))
                .uid("batched-inference")
                .setParallelism(settings.parallelism());

        DataStream<DeadLetter> deadLetters = decoded.getSideOutput(DeadLetters.TAG)
                .union(catalogItems.getSideOutput(DeadLetters.TAG), requests.getSideOutput(DeadLetters.TAG),
                        recommendations.getSideOutput(DeadLetters.TAG));
        return new Outputs(recommendations, deadLetters, requests);
    }
}
