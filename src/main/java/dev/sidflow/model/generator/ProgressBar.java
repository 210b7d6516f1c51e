package dev.sidflow.model.generator;

import java.io.PrintStream;

/** Minimal single-line progress bar on stderr, redrawn at most every 200 ms. */
public final class ProgressBar {
    private static final int WIDTH = 30;
    private final PrintStream out;
    private final String label;
    private final long total;
    private final long startNanos = System.nanoTime();
    private long lastDraw;

    public ProgressBar(String label, long total) {
        this(System.err, label, total);
    }

    public ProgressBar(PrintStream out, String label, long total) {
        this.out = out;
        this.label = label;
        this.total = Math.max(1, total);
    }

    /** Shows {@code done} of total, with an extra status text (e.g. the running loss). */
    public void update(long done, String status) {
        long now = System.nanoTime();
        if (done < total && now - lastDraw < 200_000_000L) return;
        lastDraw = now;
        int filled = (int) (WIDTH * Math.min(done, total) / total);
        double secs = (now - startNanos) / 1e9;
        out.print("\r" + label + " [" + "#".repeat(filled) + " ".repeat(WIDTH - filled) + "] "
                + done + "/" + total + String.format(" %.0fs ", secs) + status);
        out.flush();
    }

    /** Ends the bar's line. */
    public void finish() {
        out.print("\r\033[K");
        out.flush();
    }
}
