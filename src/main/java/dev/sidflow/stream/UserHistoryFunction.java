package dev.sidflow.stream;

import dev.sidflow.schema.CatalogItem;
import dev.sidflow.schema.EventType;
import dev.sidflow.schema.InteractionEvent;
import dev.sidflow.serve.BadRequest;
import dev.sidflow.serve.Query;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapState;
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
 * <p>A REQUEST event may ask for more than the next item ({@link Query}: a seed, free text,
 * attribute constraints); a {@code session} key makes it a follow-up of that session's previous
 * turn, whose merged constraints are kept here in keyed state and expire with the user's history.
 *
 * <p>The broadcast side carries catalog records: an item published there becomes known to every
 * parallel instance, so events about it are accepted from then on.
 */
public class UserHistoryFunction
        extends KeyedBroadcastProcessFunction<String, SourcedEvent, CatalogItem, UserRequest> {

    /** Items added (true) or deleted (false) on the catalog topic after the bundle was built. */
    public static final MapStateDescriptor<String, Boolean> CATALOG_CHANGES =
            new MapStateDescriptor<>("catalog-changes", Types.STRING, Types.BOOLEAN);

    /** Sessions kept per user; the least recently used goes first. */
    static final int MAX_SESSIONS = 16;

    private final HashSet<String> bundleItems;
    private final int historyLength;
    private final int dedupWindow;
    private final long ttlMillis;

    private transient ValueState<UserHistory> history;
    private transient ValueState<Long> expiryTimer;
    /** Per user: each session's last turn, so a follow-up ("now for Xbox") keeps the earlier constraints. */
    private transient MapState<String, RequestQuery> sessions;
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
        sessions = getRuntimeContext().getMapState(new MapStateDescriptor<>("request-sessions", Types.STRING,
                org.apache.flink.api.common.typeinfo.TypeInformation.of(RequestQuery.class)));
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
        Query query = null;
        if (e.getEventType() == EventType.REQUEST && Query.isQuery(e.getQuery(), e.getAttributes())) {
            try {
                query = Query.fromWire(e.getQuery(), e.getAttributes());
            } catch (BadRequest bad) { // DecodeEvents checks this first; kept so this function stands alone
                ctx.output(DeadLetters.TAG, DeadLetters.of(in, DeadLetterReason.valueOf(bad.reason().name()), bad.getMessage()));
                return;
            }
            if (query.seedItem() != null && !isKnown(query.seedItem(), ctx.getBroadcastState(CATALOG_CHANGES))) {
                unknownItems.inc();
                ctx.output(DeadLetters.TAG, DeadLetters.of(in, DeadLetterReason.UNKNOWN_ITEM,
                        "seed item '" + query.seedItem() + "' is not in the catalog"));
                return;
            }
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
        UserRequest request = new UserRequest(e.getEventId(), e.getUserId(), appended, h.itemIds, eventTime, in.ingestMillis);
        if (query != null) request.withQuery(inSession(query, eventTime), in);
        out.collect(request);
    }

    /** Applies the session's previous turn and remembers this one (at most {@link #MAX_SESSIONS} per user). */
    private RequestQuery inSession(Query query, long eventTime) throws Exception {
        if (query.session() == null) return RequestQuery.of(query, eventTime);
        RequestQuery previous = sessions.get(query.session());
        Query merged = query.followUp(previous == null ? null : previous.toQuery());
        RequestQuery turn = RequestQuery.of(merged, eventTime);
        sessions.put(query.session(), turn);
        if (previous == null) {
            int n = 0;
            String oldest = null;
            long oldestUsed = Long.MAX_VALUE;
            for (java.util.Map.Entry<String, RequestQuery> s : sessions.entries()) {
                n++;
                if (s.getValue().lastUsed < oldestUsed) {
                    oldestUsed = s.getValue().lastUsed;
                    oldest = s.getKey();
                }
            }
            if (n > MAX_SESSIONS) sessions.remove(oldest);
        }
        return turn;
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
            sessions.clear();
            expiryTimer.clear();
            expired.inc();
        } else {
            // The user was active since the timer was set: push expiry out instead of keeping one timer per event.
            ctx.timerService().registerEventTimeTimer(due);
            expiryTimer.update(due);
        }
    }
}
