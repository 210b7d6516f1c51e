package dev.sidflow.stream;

import java.util.Arrays;

/**
 * A user's rolling history, the keyed state of {@link UserHistoryFunction}. A POJO with array
 * fields so Flink's PojoSerializer handles it (no Kryo) and the schema can evolve: a field added
 * here restores from older checkpoints and savepoints with its default value.
 * Size is bounded by construction: at most {@code maxItems} items and {@code maxEventIds} ids.
 */
public class UserHistory {
    /** Recent item ids, oldest first. */
    public String[] itemIds = new String[0];
    /** Event ids of the most recent events, oldest first: the window duplicates are caught in. */
    public String[] recentEventIds = new String[0];
    /** Largest event time seen (epoch ms). */
    public long lastEventTime = Long.MIN_VALUE;
    /** Accepted events for this user since the state was created. */
    public long eventCount;
    /**
     * Event time of the user's first accepted event (epoch ms), or {@link #UNKNOWN_TIME} for state
     * written before this field existed (added in state version 2; see docs/reliability.md).
     */
    public long firstEventTime = UNKNOWN_TIME;

    public static final long UNKNOWN_TIME = Long.MIN_VALUE;

    public UserHistory() {}

    public boolean seen(String eventId) {
        for (String id : recentEventIds) {
            if (id.equals(eventId)) return true;
        }
        return false;
    }

    /** Appends an item and an event id, evicting the oldest beyond the bounds. */
    public void append(String itemId, String eventId, long eventTime, int maxItems, int maxEventIds) {
        if (itemId != null) itemIds = push(itemIds, itemId, maxItems);
        recentEventIds = push(recentEventIds, eventId, maxEventIds);
        lastEventTime = Math.max(lastEventTime, eventTime);
        if (eventCount == 0) firstEventTime = eventTime;
        eventCount++;
    }

    private static String[] push(String[] arr, String value, int max) {
        int keep = Math.min(arr.length, max - 1);
        String[] out = new String[keep + 1];
        System.arraycopy(arr, arr.length - keep, out, 0, keep);
        out[keep] = value;
        return out;
    }

    @Override
    public String toString() {
        return "UserHistory{items=" + Arrays.toString(itemIds) + ", firstEventTime=" + firstEventTime + ", lastEventTime=" + lastEventTime
                + ", eventCount=" + eventCount + '}';
    }
}
