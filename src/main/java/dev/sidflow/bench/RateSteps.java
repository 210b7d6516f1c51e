package dev.sidflow.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * The offered-load schedule of a throughput benchmark, and when a step counts as sustained.
 *
 * <p>A step is sustained when the output kept up with the input: at least {@code minShare} of the
 * offered rate came out during the step and the backlog left at its end is under
 * {@code maxBacklogSeconds} of input. The first step that is not sustained ends the ramp: higher
 * rates would only grow the backlog.
 */
public final class RateSteps {
    private RateSteps() {}

    /** Parses a comma-separated list of positive, strictly increasing rates, e.g. {@code 250,500,1000}. */
    public static List<Double> parse(String text) {
        List<Double> out = new ArrayList<>();
        for (String part : text.split(",")) {
            String t = part.trim();
            if (t.isEmpty()) continue;
            double r;
            try {
                r = Double.parseDouble(t);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad rate '" + t + "': expected a number of events per second");
            }
            if (!(r > 0) || Double.isInfinite(r)) throw new IllegalArgumentException("rates must be positive: " + t);
            if (!out.isEmpty() && r <= out.get(out.size() - 1)) {
                throw new IllegalArgumentException("rates must increase: " + text);
            }
            out.add(r);
        }
        if (out.isEmpty()) throw new IllegalArgumentException("no rates given");
        return out;
    }

    /** Doubling steps from {@code start} up to and including the last one not above {@code max}. */
    public static List<Double> doubling(double start, double max) {
        if (!(start > 0) || max < start) throw new IllegalArgumentException("need 0 < start <= max");
        List<Double> out = new ArrayList<>();
        for (double r = start; r <= max; r *= 2) out.add(r);
        return out;
    }

    /**
     * @param offered    events per second sent
     * @param delivered  recommendations per second that came out during the step
     * @param backlog    events sent but not yet answered at the end of the step
     */
    public static boolean sustained(double offered, double delivered, long backlog, double minShare, double maxBacklogSeconds) {
        return delivered >= minShare * offered && backlog <= maxBacklogSeconds * offered;
    }
}
