package dev.sidflow.embed;

import java.io.PrintStream;
import java.util.Locale;

/**
 * sidflow's progress bar: one line on stderr with rate, ETA and an optional note (e.g. the
 * running loss), redrawn at most 5 times a second. Used by every long-running step. Without a
 * console (output redirected to a log file) it writes a plain line at most every
 * {@value #LOG_INTERVAL_SECONDS} seconds instead, so a log holds a readable history, not
 * thousands of redraws.
 */
public final class ProgressBar implements ProgressListener, AutoCloseable {
    private static final int WIDTH = 30;
    static final int LOG_INTERVAL_SECONDS = 30;
    private final String label;
    private final String unit;
    private final PrintStream out;
    private final boolean interactive;
    private final long startNanos = System.nanoTime();
    private long lastDrawNanos;
    private long lastDone = -1;
    private long lastTotal;
    private String note = "";

    public ProgressBar(String label, String unit) {
        this(label, unit, System.err);
    }

    /** On the process's own stdout/stderr: interactive when there is a console; any other stream: interactive. */
    public ProgressBar(String label, String unit, PrintStream out) {
        this(label, unit, out, out != System.err && out != System.out || System.console() != null);
    }

    /** @param interactive redraw one line in place (a terminal); otherwise log a line now and then */
    public ProgressBar(String label, String unit, PrintStream out, boolean interactive) {
        this.label = label;
        this.unit = unit;
        this.out = out;
        this.interactive = interactive;
    }

    /** Progress with a short note shown after the bar (e.g. "loss 3.2140"). */
    public synchronized void progress(long done, long total, String note) {
        this.note = note == null ? "" : " " + note;
        progress(done, total);
    }

    @Override
    public synchronized void progress(long done, long total) {
        lastDone = done;
        lastTotal = total;
        long now = System.nanoTime();
        long interval = interactive ? 200_000_000L : LOG_INTERVAL_SECONDS * 1_000_000_000L;
        // a redirected log gets its first line at once, then one per interval and the last one on close
        if (done < total && lastDrawNanos != 0 && now - lastDrawNanos < interval) return;
        if (!interactive && done >= total) return;
        lastDrawNanos = now;
        draw(done, total, now);
    }

    private void draw(long done, long total, long now) {
        double secs = (now - startNanos) / 1e9;
        double frac = total <= 0 ? 1.0 : Math.min(1.0, (double) done / total);
        int filled = (int) Math.round(frac * WIDTH);
        double rate = secs > 0 ? done / secs : 0;
        String eta = rate > 0 && done < total ? " ETA " + duration((total - done) / rate) : "";
        String line = String.format(Locale.ROOT, "%s [%s%s] %3d%% %d/%d %s %.1f/s %s%s%s",
                label, "=".repeat(filled), " ".repeat(WIDTH - filled), Math.round(frac * 100),
                done, total, unit, rate, duration(secs), eta, note);
        if (interactive) out.print("\r" + line + "   ");
        else out.println(line);
        out.flush();
    }

    private static String duration(double secs) {
        long s = Math.round(secs);
        return s >= 60 ? (s / 60) + "m" + (s % 60) + "s" : s + "s";
    }

    /** Draws the final state and ends the line. */
    @Override
    public synchronized void close() {
        if (lastDone >= 0) draw(lastDone, lastTotal, System.nanoTime());
        if (interactive) out.println();
        out.flush();
    }
}
