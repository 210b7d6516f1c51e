package dev.sidflow.stream;

import dev.sidflow.schema.CatalogItem;
import dev.sidflow.schema.EventType;
import dev.sidflow.schema.InteractionEvent;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;

import java.util.HashSet;
import java.util.Set;

/**
 * Keyed by user: validates each event against the live catalog and the user's recent event ids,
 * appends accepted items to the user's rolling history (last N) and emits a recommendation
 * request carrying that history.
 *
 * <p>State expires by event time: an event-time timer fires {@code ttlMillis} after the user's
 * last event and clears the state (Flink's state TTL is processing-time only, which would make
 * replays of old logs expire everything at once). One timer per user is pending at a time.
 *
 * <p>The broadcast side carries catalog records: an item published there becomes known to every
 * parallel instance, so events about it are accepted from then on.
 */
public class UserHistoryFunction
        extends KeyedBroadcastProcessFunction<String, SourcedEvent, CatalogItem, UserRequest> {

    /** Items added (true) or deleted (false) on the catalog topic after the bundle was built. */
    public static final MapStateDescriptor<String, Boolean> CATALOG_CHANGES =
            new MapStateDescriptor<>("catalog-changes", Types.STRING, Types.BOOLEAN);

    private final HashSet<String> bundleItems;
    private final int historyLength;
    private final int dedupWindow;
    private final long ttlMillis;

    private transient ValueState<UserHistory> history;
    private transient ValueState<Long> expiryTimer;
    private transient Counter unknownItems;
    private transient Counter duplicates;
    private transient Counter expired;

    /**
     * @param bundleItems   item ids known to the model bundle at start
     * @param historyLength N, items kept per user
     * @param dedupWindow   how many recent event ids per user are remembered for duplicate detection
     * @param ttlMillis     event-time inactivity after which a user's state is dropped
     */
    public UserHistoryFunction(Set<String> bundleItems, int historyLength, int dedupWindow, long ttlMillis) {
        this.bundleItems = new HashSet<>(bundleItems);
        this.historyLength = historyLength;
        this.dedupWindow = dedupWindow;
        this.ttlMillis = ttlMillis;
    }

    @Override
    public void open(OpenContext openContext) {
        history = getRuntimeContext().getState(new ValueStateDescriptor<>("user-history", UserHistory.class));
        expiryTimer = getRuntimeContext().getState(new ValueStateDescriptor<>("expiry-timer", Types.LONG));
        unknownItems = getRuntimeContext().getMetricGroup().counter("deadLetteredUnknownItem");
        duplicates = getRuntimeContext().getMetricGroup().counter("deadLetteredDuplicate");
        expired = getRuntimeContext().getMetricGroup().counter("expiredUserStates");
    }

    @Override
    public void processElement(SourcedEvent in, ReadOnlyContext ctx, Collector<UserRequest> out) throws Exception {
        InteractionEvent e = in.event;
        String itemId = e.getItemId();
        if (itemId != null && !isKnown(itemId, ctx.getBroadcastState(CATALOG_CHANGES))) {
            unknownItems.inc();
            ctx.output(DeadLetters.TAG, DeadLetters.of(in, DeadLetterReason.UNKNOWN_ITEM,
                    "item_id '" + itemId + "' is not in the catalog"));
            return;
        }
        UserHistory h = history.value();
        if (h == null) h = new UserHistory();
        if (h.seen(e.getEventId())) {
            duplicates.inc();
            ctx.output(DeadLetters.TAG, DeadLetters.of(in, DeadLetterReason.DUPLICATE,
                    "event_id '" + e.getEventId() + "' was already accepted for user " + e.getUserId()));
            return;
        }
        long eventTime = e.getEventTime().toEpochMilli();
        // A REQUEST asks for recommendations without adding an item to the history.
        String appended = e.getEventType() == EventType.REQUEST ? null : itemId;
        h.append(appended, e.getEventId(), eventTime, historyLength, dedupWindow);
        history.update(h);
        if (expiryTimer.value() == null) {
            long at = h.lastEventTime + ttlMillis;
            ctx.timerService().registerEventTimeTimer(at);
            expiryTimer.update(at);
        }
        out.collect(new UserRequest(e.getEventId(), e.getUserId(), appended, h.itemIds, eventTime, in.ingestMillis));
    }

    private boolean isKnown(String itemId, ReadOnlyBroadcastState<String, Boolean> changes) throws Exception {
        Boolean change = changes.get(itemId);
        return change != null ? change : bundleItems.contains(itemId);
    }

    @Override
    public void processBroadcastElement(CatalogItem item, Context ctx, Collector<UserRequest> out) throws Exception {
        BroadcastState<String, Boolean> changes = ctx.getBroadcastState(CATALOG_CHANGES);
        changes.put(item.getItemId(), !item.getDeleted());
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<UserRequest> out) throws Exception {
        UserHistory h = history.value();
        if (h == null) {
            expiryTimer.clear();
            return;
        }
        long due = h.lastEventTime + ttlMillis;
        // Compare with the watermark, not the timer's own time: a watermark jump may already be past the new due time.
        if (due <= Math.max(timestamp, ctx.timerService().currentWatermark())) {
            history.clear();
            expiryTimer.clear();
            expired.inc();
        } else {
            // The user was active since the timer was set: push expiry out instead of keeping one timer per event.
            ctx.timerService().registerEventTimeTimer(due);
            expiryTimer.update(due);
        }
    }
}
