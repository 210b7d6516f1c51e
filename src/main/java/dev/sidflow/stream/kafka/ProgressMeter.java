package dev.sidflow.stream.kafka;

import java.io.PrintStream;

/**
 * A one-line progress bar on stderr, redrawn at most ten times a second: {@code [#####-----] 512/1024 50% 340/s}.
 * Silent when disabled (tests, non-interactive runs that ask for quiet).
 */
public final class ProgressMeter {
    private final PrintStream out;
    private final String label;
    private final long total;
    private final boolean enabled;
    private final long started = System.nanoTime();
    private long lastDraw;
    private long done;

    public ProgressMeter(PrintStream out, String label, long total, boolean enabled) {
        this.out = out;
        this.label = label;
        this.total = total;
        this.enabled = enabled;
    }

    public void step() {
        done++;
        long now = System.nanoTime();
        if (enabled && (now - lastDraw > 100_000_000L || done == total)) {
            lastDraw = now;
            draw(now);
        }
    }

    public long done() { return done; }

    public double elapsedSeconds() { return (System.nanoTime() - started) / 1e9; }

    private void draw(long now) {
        int width = 30;
        double fraction = total > 0 ? Math.min(1.0, done / (double) total) : 0;
        int filled = (int) Math.round(fraction * width);
        double secs = Math.max(1e-9, (now - started) / 1e9);
        out.printf("\r%s [%s%s] %d/%d %3.0f%% %.0f/s ", label, "#".repeat(filled), "-".repeat(width - filled),
                done, total, fraction * 100, done / secs);
        out.flush();
    }

    /** Ends the progress line. */
    public void finish() {
        if (enabled) {
            draw(System.nanoTime());
            out.println();
            out.flush();
        }
    }
}
