package dev.sidflow.stream;

import dev.sidflow.schema.Recommendation;
import dev.sidflow.schema.RecommendationSource;
import dev.sidflow.schema.RecommendedItem;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class PrequentialEvaluatorTest {

    static Recommendation rec(String user, long t, String... items) {
        List<RecommendedItem> list = new ArrayList<>();
        for (int i = 0; i < items.length; i++) {
            list.add(RecommendedItem.newBuilder().setRank(i + 1).setItemId(items[i]).setSid("s").setTitle(items[i])
                    .setMatchLevel(4).setScore(1.0).setSource(RecommendationSource.HYBRID).build());
        }
        return Recommendation.newBuilder().setRequestKey(user + t).setUserId(user).setItems(list).setBundleVersion("v")
                .setEventTime(Instant.ofEpochMilli(t)).setProcessingLatencyMs(0).build();
    }

    static UserRequest event(String user, long t, String item) {
        return new UserRequest(user + t, user, item, new String[] {item}, t, 0);
    }

    @Test
    void scoresEachRecommendationAgainstTheUsersNextEventWhateverTheArrivalOrder() throws Exception {
        PrequentialEvaluator fn = new PrequentialEvaluator();
        try (var h = new KeyedTwoInputStreamOperatorTestHarness<>(new KeyedCoProcessOperator<>(fn),
                Recommendation::getUserId, (UserRequest r) -> r.userId, Types.STRING)) {
            h.open();
            // u1: event a at 10 -> rec [b, c] at 10; next event c at 20 -> hit at rank 2
            h.processElement2(event("u1", 10, "a"), 10);
            // the next event arrives before the recommendation made for the previous one
            h.processElement2(event("u1", 20, "c"), 20);
            h.processElement1(rec("u1", 10, "b", "c"), 10);
            h.processElement1(rec("u1", 20, "x"), 20);
            // u2: rec [b] at 5, next event z at 6 -> miss
            h.processElement2(event("u2", 5, "a"), 5);
            h.processElement1(rec("u2", 5, "b"), 5);
            h.processElement2(event("u2", 6, "z"), 6);
            h.processBothWatermarks(new org.apache.flink.streaming.api.watermark.Watermark(100));

            assertThat(h.getOperator().getRuntimeContext().getAccumulator("prequential.evaluated").getLocalValue()).isEqualTo(2L);
            assertThat(h.getOperator().getRuntimeContext().getAccumulator("prequential.hits@1").getLocalValue()).isEqualTo(0L);
            assertThat(h.getOperator().getRuntimeContext().getAccumulator("prequential.hits@5").getLocalValue()).isEqualTo(1L);
            assertThat((Double) h.getOperator().getRuntimeContext().getAccumulator("prequential.ndcg@10").getLocalValue())
                    .isCloseTo(1 / (Math.log(3) / Math.log(2)), within(1e-9));
            Object distinct = h.getOperator().getRuntimeContext().getAccumulator("prequential.distinctRecommendedItems").getLocalValue();
            assertThat(distinct).isEqualTo(java.util.Set.of("b", "c", "x"));
        }
    }
}
