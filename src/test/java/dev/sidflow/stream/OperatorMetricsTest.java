package dev.sidflow.stream;

import dev.sidflow.schema.CatalogItem;
import dev.sidflow.schema.DeadLetter;
import dev.sidflow.schema.InteractionEvent;
import dev.sidflow.schema.Recommendation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.Metric;
import org.apache.flink.runtime.jobgraph.OperatorID;
import org.apache.flink.runtime.metrics.groups.InternalOperatorMetricGroup;
import org.apache.flink.runtime.metrics.groups.UnregisteredMetricGroups;
import org.apache.flink.runtime.metrics.util.InterceptingOperatorMetricGroup;
import org.apache.flink.runtime.operators.testutils.MockEnvironment;
import org.apache.flink.runtime.operators.testutils.MockEnvironmentBuilder;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The metrics each stage registers with Flink (what the web UI and the Prometheus reporter show),
 * read from the operator's metric group after real input went through the operator.
 */
class OperatorMetricsTest {
    private final OperatorMetrics metrics = new OperatorMetrics();
    private final MockEnvironment environment = new MockEnvironmentBuilder().setTaskName("metrics")
            .setManagedMemorySize(3 * 1024 * 1024).setMetricGroup(metrics).build();

    @AfterEach
    void closeEnvironment() throws Exception {
        environment.close();
    }

    @Test
    void inferenceCountsBatchesLatencyRecommendationsCatalogUpdatesAndMatchLevels() throws Exception {
        BatchingInferenceOperator op = new BatchingInferenceOperator(BatchingInferenceOperatorTest.popularityService(2), 3, 10_000, false);
        try (var harness = new AbstractStreamOperatorTestHarness<>(op, environment)) {
            harness.setup();
            harness.initializeEmptyState();
            harness.open();
            op.processElement2(new StreamRecord<>(CatalogItem.newBuilder().setItemId("b").setTitle("Renamed B").build()));
            for (int i = 1; i <= 7; i++) {
                op.processElement1(new StreamRecord<>(BatchingInferenceOperatorTest.request("r" + i, "u" + i, i, "a"), i));
            }
            // this service answers next-item requests only: a text request is dead-lettered, not batched
            op.processElement1(new StreamRecord<>(BatchingInferenceOperatorTest.textRequest("text", "racing games", 8), 8));
            op.processWatermark(new Watermark(10)); // flushes the 7th request alone

            assertThat(harness.extractOutputValues()).hasSize(7);
            Histogram batchSize = metric("batchSize");
            assertThat(batchSize.getCount()).isEqualTo(3);
            assertThat(batchSize.getStatistics().getMax()).isEqualTo(3);
            assertThat(batchSize.getStatistics().getMin()).isEqualTo(1);
            assertThat(this.<Histogram>metric("inferenceMillis").getCount()).isEqualTo(3);
            Histogram latency = metric("processingLatencyMillis");
            assertThat(latency.getCount()).isEqualTo(7);
            assertThat(latency.getStatistics().getMin()).isGreaterThanOrEqualTo(0);
            assertThat(this.<Counter>metric("recommendations").getCount()).isEqualTo(7);
            assertThat(this.<Counter>metric("catalogUpdates").getCount()).isEqualTo(1);
            assertThat(this.<Counter>metric("deadLetteredBadRequest").getCount()).isEqualTo(1);
            // 7 recommendations of 2 exact-match items each; no invalid SID
            assertThat(gauge("matchLevel4")).isEqualTo(14L);
            for (int level = 0; level < 4; level++) assertThat(gauge("matchLevel" + level)).as("level %d", level).isEqualTo(0L);
            assertThat(gauge("invalidSids")).isEqualTo(0L);
            // the LLM gauges exist only when requests come through the LLM stage
            assertThat(metrics.operator.get("llmServed")).isNull();
        }
    }

    @Test
    void decodingCountsAcceptedAndDeadLetteredEvents() throws Exception {
        DecodeEvents decode = new DecodeEvents(new SniffingDecoder<>(InteractionEvent.class), Duration.ofDays(1).toMillis(), 512);
        try (var harness = new OneInputStreamOperatorTestHarness<>(new ProcessOperator<>(decode), environment)) {
            harness.open();
            long now = System.currentTimeMillis();
            harness.processElement(raw("{\"event_id\":\"a\",\"user_id\":\"u\",\"item_id\":\"i1\",\"event_type\":\"VIEW\",\"event_time\":" + now + "}"), now);
            harness.processElement(raw("{\"event_id\":\"b\",\"user_id\":\"u\",\"event_type\":\"VIEW\",\"event_time\":" + now + "}"), now);
            harness.processElement(new RawRecord(null, new byte[] {1, 2, 3}, "events", 0, 2, now), now);

            assertThat(harness.extractOutputValues()).hasSize(1);
            assertThat(harness.getSideOutput(DeadLetters.TAG)).hasSize(2);
            assertThat(this.<Counter>metric("decodedEvents").getCount()).isEqualTo(1);
            assertThat(this.<Counter>metric("deadLetteredAtDecode").getCount()).isEqualTo(2);
        }
    }

    @Test
    void userHistoryCountsUnknownItemsDuplicatesAndExpiredUsers() throws Exception {
        long ttl = Duration.ofHours(1).toMillis();
        var op = new CoBroadcastWithKeyedOperator<>(new UserHistoryFunction(Set.of("i1", "i2"), 3, 4, ttl),
                List.of(UserHistoryFunction.CATALOG_CHANGES));
        try (var harness = new AbstractStreamOperatorTestHarness<>(op, environment)) {
            // keyed by user, as KeyedBroadcastOperatorTestHarness sets it up
            harness.getStreamConfig().setStatePartitioner(0, (SourcedEvent e) -> e.event.getUserId());
            harness.getStreamConfig().setStateKeySerializer(Types.STRING.createSerializer(harness.getExecutionConfig().getSerializerConfig()));
            harness.getStreamConfig().serializeAllConfigs();
            harness.setup();
            harness.initializeEmptyState();
            harness.open();
            for (SourcedEvent e : List.of(
                    UserHistoryFunctionTest.event("e1", "u", "i1", 1000),
                    UserHistoryFunctionTest.event("e1", "u", "i1", 1000),   // a retry
                    UserHistoryFunctionTest.event("e2", "u", "nope", 2000),  // not in the catalog
                    UserHistoryFunctionTest.event("e3", "v", "i2", 3000))) {
                StreamRecord<SourcedEvent> record = new StreamRecord<>(e, e.event.getEventTime().toEpochMilli());
                op.setKeyContextElement1(record);
                op.processElement1(record);
            }
            assertThat(harness.extractOutputValues()).hasSize(2);
            assertThat(this.<Counter>metric("deadLetteredDuplicate").getCount()).isEqualTo(1);
            assertThat(this.<Counter>metric("deadLetteredUnknownItem").getCount()).isEqualTo(1);
            assertThat(this.<Counter>metric("expiredUserStates").getCount()).isZero();

            op.processWatermark1(new Watermark(1000 + ttl)); // u's inactivity timer; v's is 2 s later
            op.processWatermark2(new Watermark(Long.MAX_VALUE));
            assertThat(this.<Counter>metric("expiredUserStates").getCount()).isEqualTo(1);
        }
    }

    private static RawRecord raw(String json) {
        return new RawRecord(null, json.getBytes(StandardCharsets.UTF_8), "events", 0, 1, 1);
    }

    @SuppressWarnings("unchecked")
    private <M extends Metric> M metric(String name) {
        Metric m = metrics.operator.get(name);
        assertThat(m).as("metric %s", name).isNotNull();
        return (M) m;
    }

    private Object gauge(String name) {
        return this.<Gauge<?>>metric(name).getValue();
    }

    /** A task's metric group that hands every operator the same intercepting group, to read back what it registered. */
    static final class OperatorMetrics extends UnregisteredMetricGroups.UnregisteredTaskMetricGroup {
        final InterceptingOperatorMetricGroup operator = new InterceptingOperatorMetricGroup();

        @Override
        public InternalOperatorMetricGroup getOrAddOperator(OperatorID id, String name, Map<String, String> variables) {
            return operator;
        }
    }
}
