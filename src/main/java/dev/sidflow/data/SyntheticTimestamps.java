package dev.sidflow.data;

import java.time.Instant;

/**
 * Timestamps for sources that only give each user's chronological order (the Amazon 2018
 * sequence files). The i-th item (0-based) of every user gets {@code BASE + i days}: replaying all
 * interactions in event time keeps every user's order, and users advance in lock-step, one item a
 * day. Values mean nothing beyond that; data sets built with them say so with
 * {@code syntheticTimestamps = true}.
 */
public final class SyntheticTimestamps {
    /** 2000-01-01T00:00:00Z, before any real review in the Amazon 2018 sets. */
    public static final long BASE_MS = Instant.parse("2000-01-01T00:00:00Z").toEpochMilli();
    public static final long STEP_MS = 24L * 60 * 60 * 1000;

    private SyntheticTimestamps() {}

    /** Timestamp of a user's item at 0-based position {@code position} in their sequence. */
    public static long at(int position) {
        return BASE_MS + position * STEP_MS;
    }
}
