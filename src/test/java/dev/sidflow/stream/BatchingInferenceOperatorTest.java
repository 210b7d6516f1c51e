package dev.sidflow.stream;

import dev.sidflow.model.TinyBundle;
import dev.sidflow.schema.CatalogItem;
import dev.sidflow.schema.Recommendation;
import dev.sidflow.schema.RecommendedItem;
import dev.sidflow.serve.BundleServiceFactory;
import dev.sidflow.serve.CatalogRecommendationService;
import dev.sidflow.serve.PopularityRecommender;
import dev.sidflow.serve.Query;
import dev.sidflow.serve.RecommendationServiceFactory;
import dev.sidflow.sid.SemanticId;
import dev.sidflow.sid.SidCatalog;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.TwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class BatchingInferenceOperatorTest {
    private TwoInputStreamOperatorTestHarness<UserRequest, CatalogItem, Recommendation> harness;

    /** Five items with SIDs, titles and popularity counts a > b > c > d > e. */
    static RecommendationServiceFactory popularityService(int topK) {
        HashMap<String, SemanticId> sids = new HashMap<>();
        HashMap<String, String> titles = new HashMap<>();
        HashMap<String, Long> counts = new HashMap<>();
        String[] ids = {"a", "b", "c", "d", "e"};
        for (int i = 0; i < ids.length; i++) {
            sids.put(ids[i], new SemanticId(i, 0, 0, 0));
            titles.put(ids[i], "Title " + ids[i].toUpperCase());
            counts.put(ids[i], 100L - i);
        }
        return () -> {
            SidCatalog catalog = SidCatalog.of(sids, titles);
            // cold start: a new item gets codes from its title length, deterministic and valid
            return new CatalogRecommendationService(new PopularityRecommender(catalog, counts, "bundle-v1"), catalog,
                    item -> new int[] {200, item.getTitle().length() % 256, 0}, topK);
        };
    }

    private void open(RecommendationServiceFactory factory, int batch, long delay, OperatorSubtaskState restore) throws Exception {
        open(factory, batch, delay, restore, false);
    }

    private void open(RecommendationServiceFactory factory, int batch, long delay, OperatorSubtaskState restore,
                      boolean deterministic) throws Exception {
        harness = new TwoInputStreamOperatorTestHarness<>(new BatchingInferenceOperator(factory, batch, delay, deterministic));
        harness.setup();
        if (restore != null) harness.initializeState(restore);
        else harness.initializeEmptyState();
        harness.open();
    }

    @AfterEach
    void close() throws Exception {
        if (harness != null) harness.close();
    }

    static UserRequest request(String key, String user, long t, String... history) {
        return new UserRequest(key, user, history.length == 0 ? null : history[history.length - 1], history, t, System.currentTimeMillis());
    }

    private List<Recommendation> output() {
        return harness.extractOutputValues();
    }

    @Test
    void flushesWhenTheBatchIsFull() throws Exception {
        open(popularityService(2), 3, 10_000, null);
        harness.processElement1(request("r1", "u1", 1, "a"), 1);
        harness.processElement1(request("r2", "u2", 2, "b"), 2);
        assertThat(output()).isEmpty();
        harness.processElement1(request("r3", "u3", 3), 3);
        assertThat(output()).extracting(Recommendation::getRequestKey).containsExactly("r1", "r2", "r3");
        // one model call for three requests: the accumulators the benchmark reads mean batch sizes from
        var acc = harness.getEnvironment().getAccumulatorRegistry().getUserMap();
        assertThat(acc.get(BatchingInferenceOperator.BATCHES_ACCUMULATOR).getLocalValue()).isEqualTo(1L);
        assertThat(acc.get(BatchingInferenceOperator.BATCHED_REQUESTS_ACCUMULATOR).getLocalValue()).isEqualTo(3L);
        assertThat((Long) acc.get(BatchingInferenceOperator.INFERENCE_MICROS_ACCUMULATOR).getLocalValue()).isPositive();

        Recommendation first = output().get(0);
        assertThat(first.getBundleVersion()).isEqualTo("bundle-v1");
        // the user's own recent item "a" is dropped; ranks 1..K with titles and exact matches
        assertThat(first.getItems()).extracting(RecommendedItem::getItemId).containsExactly("b", "c");
        assertThat(first.getItems()).extracting(RecommendedItem::getRank).containsExactly(1, 2);
        assertThat(first.getItems()).extracting(RecommendedItem::getTitle).containsExactly("Title B", "Title C");
        assertThat(first.getItems()).allSatisfy(i -> assertThat(i.getMatchLevel()).isEqualTo(4));
        assertThat(first.getItems().get(0).getSid()).isEqualTo(new SemanticId(1, 0, 0, 0).toString());
        assertThat(first.getEventTime()).isEqualTo(Instant.ofEpochMilli(1));
    }

    @Test
    void flushesAfterTheMaxDelay() throws Exception {
        open(popularityService(2), 100, 50, null);
        harness.setProcessingTime(1_000);
        harness.processElement1(request("r1", "u1", 1, "a"), 1);
        harness.setProcessingTime(1_049);
        assertThat(output()).isEmpty();
        harness.setProcessingTime(1_050);
        assertThat(output()).hasSize(1);
    }

    @Test
    void flushesBeforeForwardingAWatermarkAndBeforeACheckpointBarrier() throws Exception {
        open(popularityService(2), 100, 10_000, null);
        harness.processElement1(request("r1", "u1", 5, "a"), 5);
        harness.processBothWatermarks(new Watermark(10));
        // the recommendation must come out before the watermark that passes its timestamp
        List<Object> raw = List.copyOf(harness.getOutput());
        assertThat(raw).hasSize(2);
        assertThat(raw.get(0)).isInstanceOf(StreamRecord.class);
        assertThat(raw.get(1)).isEqualTo(new Watermark(10));

        harness.processElement1(request("r2", "u1", 20, "a"), 20);
        harness.prepareSnapshotPreBarrier(1L);
        assertThat(output()).hasSize(2);
    }

    @Test
    void catalogChangesApplyAtOnceAndSurviveARestore() throws Exception {
        open(popularityService(3), 1, 0, null);
        harness.processElement2(CatalogItem.newBuilder().setItemId("b").setTitle("Renamed B").build(), 0);
        harness.processElement2(CatalogItem.newBuilder().setItemId("c").setTitle("Title C").setDeleted(true).build(), 0);
        harness.processElement2(CatalogItem.newBuilder().setItemId("z").setTitle("Brand New").build(), 0);
        harness.processElement1(request("r1", "u1", 1, "a"), 1);
        assertThat(output().get(0).getItems()).extracting(RecommendedItem::getTitle)
                .containsExactly("Renamed B", "Title D", "Title E");

        OperatorSubtaskState snapshot = harness.snapshot(1L, 2L);
        harness.close();
        open(popularityService(3), 1, 0, snapshot);
        harness.processElement1(request("r2", "u1", 3, "a"), 3);
        assertThat(output().get(0).getItems()).extracting(RecommendedItem::getTitle)
                .containsExactly("Renamed B", "Title D", "Title E");
    }

    @Test
    void deterministicModeCutsBatchesOnlyBySizeAndKeepsTheBufferAcrossCheckpoints() throws Exception {
        open(popularityService(2), 3, 10, null, true);
        harness.processElement1(request("r1", "u1", 100, "a"), 100);
        harness.processElement1(request("r2", "u2", 200, "b"), 200);
        harness.setProcessingTime(10_000);
        harness.processBothWatermarks(new Watermark(500));
        harness.prepareSnapshotPreBarrier(1L);
        // no timing-dependent flush; the watermark is held behind the oldest buffered request
        assertThat(output()).isEmpty();
        assertThat(harness.getOutput()).containsExactly(new Watermark(99));

        OperatorSubtaskState snapshot = harness.snapshot(1L, 10_000L);
        harness.close();
        open(popularityService(2), 3, 10, snapshot, true);
        harness.processElement1(request("r3", "u3", 300, "c"), 300);
        assertThat(output()).extracting(Recommendation::getRequestKey).containsExactly("r1", "r2", "r3");
        assertThat(output()).allSatisfy(r -> assertThat(r.getProcessingLatencyMs()).isZero());
    }

    @Test
    void aNewCatalogItemIsRecommendedOnceItArrivesOnTheCatalogInput() throws Exception {
        // the real tiny bundle: the item gets a SID and a text vector from the bundle's encoder online
        open(new BundleServiceFactory(TinyBundle.dir(), "cpu", 5, 1), 8, 10_000, null);
        String newItemText = "Star Raiders 9 Deluxe Edition. The newest Star Raiders game";
        harness.processElement1(textRequest("before", newItemText, 1), 1);
        harness.processBothWatermarks(new Watermark(1));
        harness.processElement2(CatalogItem.newBuilder().setItemId("new-1").setTitle("Star Raiders 9 Deluxe Edition")
                .setText("The newest Star Raiders game").setUpdatedAt(Instant.now()).build(), 2);
        harness.processElement1(textRequest("after", newItemText, 3), 3);
        harness.processBothWatermarks(new Watermark(3));

        assertThat(output()).extracting(Recommendation::getRequestKey).containsExactly("before", "after");
        assertThat(output().get(0).getItems()).extracting(RecommendedItem::getItemId).doesNotContain("new-1");
        RecommendedItem top = output().get(1).getItems().get(0);
        assertThat(top.getItemId()).isEqualTo("new-1");
        assertThat(top.getTitle()).isEqualTo("Star Raiders 9 Deluxe Edition");
        assertThat(top.getMatchLevel()).isEqualTo(4);
    }

    /** A free-text REQUEST of a user without history, as {@link UserHistoryFunction} passes it on. */
    static UserRequest textRequest(String key, String text, long t) {
        UserRequest r = new UserRequest(key, "cold-asker", null, new String[0], t, System.currentTimeMillis());
        return r.withQuery(RequestQuery.of(Query.fromWire(text, Map.of()), t), RequestOperatorsTest.request(key, "cold-asker", t, text, Map.of()));
    }
}
