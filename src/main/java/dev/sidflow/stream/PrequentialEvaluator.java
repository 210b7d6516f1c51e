package dev.sidflow.stream;

import dev.sidflow.schema.Recommendation;
import dev.sidflow.schema.RecommendedItem;
import org.apache.flink.api.common.accumulators.DoubleCounter;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Prequential ("test, then train") evaluation: each recommendation is scored against the same
 * user's next accepted event, in event time. Keyed by user; both inputs are buffered by event
 * timestamp and released by event-time timers, so the order of arrival does not matter.
 * At one timestamp, events are handled before recommendations: a recommendation is never scored
 * against the event that triggered it.
 *
 * <p>Results are job accumulators ({@link #ACC_PREFIX}*), summed over all users, and metrics.
 */
public class PrequentialEvaluator extends KeyedCoProcessFunction<String, Recommendation, UserRequest, Void> {
    public static final String ACC_PREFIX = "prequential.";
    public static final int[] KS = {1, 5, 10};

    /** Buffered inputs of one timestamp. A POJO so state needs no Kryo. */
    public static class Pending {
        public String[] recommended;
        public boolean hasRecommendation;
        public String[] eventItems = new String[0];
    }

    private transient MapState<Long, Pending> buffer;
    private transient ValueState<String[]> openRecommendation;
    private transient LongCounter evaluated;
    private transient LongCounter[] hits;
    private transient DoubleCounter[] ndcg;
    private transient DistinctItems recommendedItems;

    @Override
    public void open(OpenContext ctx) {
        buffer = getRuntimeContext().getMapState(new MapStateDescriptor<>("prequential-buffer", Types.LONG, Types.POJO(Pending.class)));
        openRecommendation = getRuntimeContext().getState(new ValueStateDescriptor<>("open-recommendation", Types.OBJECT_ARRAY(Types.STRING)));
        recommendedItems = new DistinctItems();
        getRuntimeContext().addAccumulator(ACC_PREFIX + "distinctRecommendedItems", recommendedItems);
        evaluated = new LongCounter();
        getRuntimeContext().addAccumulator(ACC_PREFIX + "evaluated", evaluated);
        hits = new LongCounter[KS.length];
        ndcg = new DoubleCounter[KS.length];
        for (int i = 0; i < KS.length; i++) {
            hits[i] = new LongCounter();
            ndcg[i] = new DoubleCounter();
            getRuntimeContext().addAccumulator(ACC_PREFIX + "hits@" + KS[i], hits[i]);
            getRuntimeContext().addAccumulator(ACC_PREFIX + "ndcg@" + KS[i], ndcg[i]);
        }
        getRuntimeContext().getMetricGroup().gauge("prequentialHitRate@10",
                () -> evaluated.getLocalValue() == 0 ? 0.0 : hits[KS.length - 1].getLocalValue() / (double) evaluated.getLocalValue());
    }

    @Override
    public void processElement1(Recommendation rec, Context ctx, Collector<Void> out) throws Exception {
        String[] ids = new String[rec.getItems().size()];
        for (int i = 0; i < ids.length; i++) {
            RecommendedItem item = rec.getItems().get(i);
            ids[i] = item.getItemId() == null ? "" : item.getItemId();
            if (item.getItemId() != null) recommendedItems.add(item.getItemId());
        }
        long ts = rec.getEventTime().toEpochMilli();
        Pending p = pendingAt(ts);
        p.recommended = ids;
        p.hasRecommendation = true;
        buffer.put(ts, p);
        ctx.timerService().registerEventTimeTimer(ts);
    }

    @Override
    public void processElement2(UserRequest request, Context ctx, Collector<Void> out) throws Exception {
        if (request.itemId == null) return;
        long ts = request.eventTime;
        Pending p = pendingAt(ts);
        String[] items = java.util.Arrays.copyOf(p.eventItems, p.eventItems.length + 1);
        items[items.length - 1] = request.itemId;
        p.eventItems = items;
        buffer.put(ts, p);
        ctx.timerService().registerEventTimeTimer(ts);
    }

    private Pending pendingAt(long ts) throws Exception {
        Pending p = buffer.get(ts);
        return p == null ? new Pending() : p;
    }

    @Override
    public void onTimer(long ts, OnTimerContext ctx, Collector<Void> out) throws Exception {
        Pending p = buffer.get(ts);
        if (p == null) return;
        buffer.remove(ts);
        String[] open = openRecommendation.value();
        if (open != null && p.eventItems.length > 0) {
            score(open, p.eventItems[0]);
            open = null;
        }
        if (p.hasRecommendation) open = p.recommended;
        if (open == null) openRecommendation.clear();
        else openRecommendation.update(open);
    }

    private void score(String[] recommended, String actual) {
        evaluated.add(1L);
        int rank = -1;
        for (int i = 0; i < recommended.length; i++) {
            if (recommended[i].equals(actual)) {
                rank = i;
                break;
            }
        }
        for (int k = 0; k < KS.length; k++) {
            if (rank >= 0 && rank < KS[k]) {
                hits[k].add(1L);
                ndcg[k].add(1.0 / (Math.log(rank + 2) / Math.log(2)));
            }
        }
    }
}
