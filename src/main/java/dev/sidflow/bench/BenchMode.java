package dev.sidflow.bench;

/** The job variants one stream benchmark run compares. */
public enum BenchMode {
    /** The job as shipped: micro-batched inference (batch size and delay from the options). */
    BATCHED("batched", "micro-batched inference"),
    /** The same model called once per event: batch size 1, no delay. */
    PER_EVENT("per-event", "same model, one call per event"),
    /** The job with the model call removed: decode, keyed RocksDB history, assembly, exactly-once sink. */
    STATE_ONLY("state-only", "inference removed (state path)");

    private final String id;
    private final String description;

    BenchMode(String id, String description) {
        this.id = id;
        this.description = description;
    }

    public String id() {
        return id;
    }

    public String description() {
        return description;
    }

    public static BenchMode parse(String text) {
        for (BenchMode m : values()) {
            if (m.id.equalsIgnoreCase(text.trim()) || m.name().equalsIgnoreCase(text.trim())) return m;
        }
        throw new IllegalArgumentException("unknown mode '" + text + "': use batched, per-event or state-only");
    }
}
