package dev.sidflow.stream.kafka;

/**
 * Paces a producer to {@code ratePerSecond} permits per second, allowing bursts of up to a tenth of a
 * second's worth (at least one). A rate of 0 or less means unlimited. Not thread-safe: one producer loop.
 */
public final class TokenBucket {
    private final double ratePerNano;
    private final double capacity;
    private double tokens;
    private long last;

    public TokenBucket(double ratePerSecond) {
        this.ratePerNano = ratePerSecond / 1e9;
        this.capacity = Math.max(1.0, ratePerSecond / 10.0);
        this.tokens = ratePerSecond > 0 ? 1.0 : 0;
        this.last = System.nanoTime();
    }

    public boolean unlimited() { return ratePerNano <= 0; }

    /** Blocks until one permit is available. */
    public void acquire() throws InterruptedException {
        if (unlimited()) return;
        while (true) {
            long now = System.nanoTime();
            tokens = Math.min(capacity, tokens + (now - last) * ratePerNano);
            last = now;
            if (tokens >= 1.0) {
                tokens -= 1.0;
                return;
            }
            long waitNanos = (long) Math.ceil((1.0 - tokens) / ratePerNano);
            Thread.sleep(waitNanos / 1_000_000, (int) (waitNanos % 1_000_000));
        }
    }
}
