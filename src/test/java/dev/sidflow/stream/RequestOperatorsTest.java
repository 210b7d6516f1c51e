package dev.sidflow.stream;

import dev.sidflow.data.Dataset;
import dev.sidflow.data.DatasetStore;
import dev.sidflow.data.Item;
import dev.sidflow.model.TinyBundle;
import dev.sidflow.schema.CatalogItem;
import dev.sidflow.schema.DeadLetter;
import dev.sidflow.schema.EventType;
import dev.sidflow.schema.InteractionEvent;
import dev.sidflow.schema.Recommendation;
import dev.sidflow.schema.RecommendedItem;
import dev.sidflow.serve.BundleServiceFactory;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.apache.flink.streaming.util.TwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The request path through the stream operators: decode (stateless checks), user history (seed
 * check, sessions in keyed state) and batched inference (checks against the live catalog, answers).
 */
class RequestOperatorsTest {

    static SourcedEvent request(String id, String user, long t, String query, Map<String, String> attrs) {
        InteractionEvent e = InteractionEvent.newBuilder().setEventId(id).setUserId(user).setItemId(null)
                .setEventType(EventType.REQUEST).setEventTime(Instant.ofEpochMilli(t)).setQuery(query)
                .setAttributes(new HashMap<>(attrs)).build();
        return new SourcedEvent(e, new RawRecord(null, id.getBytes(), "events", 0, t, t), 1L);
    }

    private static List<DeadLetter> dead(java.util.Collection<StreamRecord<DeadLetter>> side) {
        return side == null ? List.of() : side.stream().map(StreamRecord::getValue).toList();
    }

    @Test
    void decodeDeadLettersMalformedRequestsBeforeAnyState() throws Exception {
        ProcessFunction<RawRecord, SourcedEvent> decode = new DecodeEvents(
                new SniffingDecoder<>(InteractionEvent.class), Duration.ofDays(1).toMillis(), 512);
        try (OneInputStreamOperatorTestHarness<RawRecord, SourcedEvent> h = new OneInputStreamOperatorTestHarness<>(new ProcessOperator<>(decode))) {
            h.open();
            long now = System.currentTimeMillis();
            String ok = "{\"event_id\":\"a\",\"user_id\":\"u\",\"event_type\":\"REQUEST\",\"event_time\":" + now
                    + ",\"attributes\":{\"seed\":\"i1\",\"where.platform\":\"Xbox\"}}";
            String badKind = "{\"event_id\":\"b\",\"user_id\":\"u\",\"event_type\":\"REQUEST\",\"event_time\":" + now
                    + ",\"attributes\":{\"request\":\"teleport\"}}";
            String emptyText = "{\"event_id\":\"c\",\"user_id\":\"u\",\"event_type\":\"REQUEST\",\"event_time\":" + now
                    + ",\"query\":\" \",\"attributes\":{\"request\":\"text\"}}";
            int offset = 0;
            for (String json : List.of(ok, badKind, emptyText)) {
                h.processElement(new RawRecord(null, json.getBytes(java.nio.charset.StandardCharsets.UTF_8), "events", 0, offset++, now), now);
            }
            assertThat(h.extractOutputValues()).extracting(s -> s.event.getEventId()).containsExactly("a");
            List<DeadLetter> dl = dead(h.getSideOutput(DeadLetters.TAG));
            assertThat(dl).extracting(DeadLetter::getErrorClass).containsExactly("BAD_REQUEST", "BAD_REQUEST");
            assertThat(dl.get(0).getErrorMessage()).contains("unknown request kind 'teleport'");
            assertThat(dl.get(1).getErrorMessage()).contains("query text is empty");
            assertThat(dl).extracting(DeadLetter::getSourceOffset).containsExactly(1L, 2L);
        }
    }

    @Test
    void aSessionFollowUpKeepsTheSeedAndChangesTheAttributeInKeyedState() throws Exception {
        UserHistoryFunction fn = new UserHistoryFunction(Set.of("i1", "i2", "i3"), 5, 8, Duration.ofDays(1).toMillis());
        try (KeyedBroadcastOperatorTestHarness<String, SourcedEvent, CatalogItem, UserRequest> h =
                     ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(fn, e -> e.event.getUserId(), Types.STRING,
                             UserHistoryFunction.CATALOG_CHANGES)) {
            h.open();
            h.processElement(request("t1", "u", 1000, null, Map.of("seed", "i2", "where.platform", "PC", "session", "s")), 1000);
            h.processElement(request("t2", "u", 2000, null, Map.of("where.platform", "Xbox", "session", "s")), 2000);
            h.processElement(request("t3", "v", 2500, null, Map.of("where.platform", "Xbox", "session", "s")), 2500); // other user, own session
            h.processElement(request("t4", "u", 3000, null, Map.of("seed", "nope")), 3000);
            h.processElement(request("t5", "u", 4000, "racing games", Map.of("session", "s")), 4000);

            List<UserRequest> out = h.extractOutputValues();
            assertThat(out).extracting(r -> r.requestKey).containsExactly("t1", "t2", "t3", "t5");
            assertThat(out.get(1).query.toQuery().seedItem()).isEqualTo("i2");
            assertThat(out.get(1).query.toQuery().activeWhere()).isEqualTo(Map.of("platform", "Xbox"));
            assertThat(out.get(2).query.toQuery().seedItem()).isNull();
            assertThat(out.get(3).query.toQuery().seedItem()).isNull();
            assertThat(out.get(3).query.toQuery().text()).isEqualTo("racing games");
            assertThat(out.get(3).query.toQuery().activeWhere()).isEqualTo(Map.of("platform", "Xbox"));
            assertThat(out.get(1).raw).isEqualTo("t2".getBytes());
            assertThat(out).allSatisfy(r -> assertThat(r.history).isEmpty()); // requests add nothing to the history
            List<DeadLetter> dl = dead(h.getSideOutput(DeadLetters.TAG));
            assertThat(dl).extracting(DeadLetter::getErrorClass).containsExactly("UNKNOWN_ITEM");
            assertThat(dl.get(0).getErrorMessage()).contains("seed item 'nope'");
        }
    }

    @Test
    void inferenceAnswersEachKindAndDeadLettersWhatTheLiveCatalogCannotAnswer() throws Exception {
        Dataset data = DatasetStore.read(TinyBundle.data());
        Map<String, Item> items = new HashMap<>();
        for (Item it : data.items()) items.put(it.itemId(), it);
        String seed = data.items().stream().filter(i -> "game".equals(i.attributes().get("kind"))).findFirst().orElseThrow().itemId();
        BundleServiceFactory factory = new BundleServiceFactory(TinyBundle.dir(), "cpu", 5, 1);
        try (TwoInputStreamOperatorTestHarness<UserRequest, CatalogItem, Recommendation> h =
                     new TwoInputStreamOperatorTestHarness<>(new BatchingInferenceOperator(factory, 8, 10_000, false))) {
            h.setup();
            h.initializeEmptyState();
            h.open();
            h.processElement1(withQuery("similar", seed, null, Map.of("seed", seed)), 1);
            h.processElement1(withQuery("steer", seed, null, Map.of("seed", seed, "where.platform", "Switch")), 2);
            h.processElement1(withQuery("text", seed, "a racing wheel for the PlayStation", Map.of()), 3);
            h.processElement1(withQuery("bad-sid", seed, null, Map.of("seed_sid",
                    "<|sid_start|><|sid_255|><|sid_511|><|sid_767|><|sid_1023|><|sid_end|>")), 4);
            h.processElement1(withQuery("bad-attr", seed, null, Map.of("seed", seed, "where.colour", "red")), 5);
            // a catalog item published after start becomes a valid seed
            h.processElement2(new StreamRecord<>(CatalogItem.newBuilder().setItemId("new-1").setTitle("Star Raiders 9 - Switch")
                    .setText("Space shooter for Switch").setAttributes(Map.of("platform", "Switch")).setUpdatedAt(Instant.now()).build()));
            h.processElement1(withQuery("cold-seed", seed, null, Map.of("seed", "new-1")), 6);
            h.processBothWatermarks(new org.apache.flink.streaming.api.watermark.Watermark(10)); // flushes the batch

            Map<String, Recommendation> recs = new HashMap<>();
            for (Recommendation r : h.extractOutputValues()) recs.put(r.getRequestKey(), r);
            assertThat(recs.keySet()).containsExactlyInAnyOrder("similar", "steer", "text", "cold-seed");
            assertThat(recs.get("similar").getItems()).hasSize(5).allSatisfy(i -> assertThat(i.getItemId()).isNotEqualTo(seed));
            assertThat(recs.get("steer").getItems()).isNotEmpty().allSatisfy(i ->
                    assertThat(i.getItemId().equals("new-1") || "Switch".equals(items.get(i.getItemId()).attributes().get("platform"))).isTrue());
            assertThat(recs.get("text").getItems().get(0).getReason()).startsWith("text similarity");
            assertThat(recs.get("cold-seed").getItems()).isNotEmpty().extracting(RecommendedItem::getMatchLevel).containsOnly(4);
            List<DeadLetter> dl = dead(h.getSideOutput(DeadLetters.TAG));
            assertThat(dl).extracting(DeadLetter::getErrorClass).containsExactly("UNKNOWN_ITEM", "UNKNOWN_ATTRIBUTE");
            assertThat(dl).extracting(d -> new String(d.getRawValue().array())).containsExactly("bad-sid", "bad-attr");
        }
    }

    private static UserRequest withQuery(String key, String historyItem, String text, Map<String, String> attrs) {
        SourcedEvent source = request(key, "u", 1, text, attrs);
        UserRequest r = new UserRequest(key, "u", null, new String[] {historyItem}, 1, System.currentTimeMillis());
        return r.withQuery(RequestQuery.of(dev.sidflow.serve.Query.fromWire(text, attrs), 1), source);
    }
}
