package dev.sidflow.eval;

import dev.sidflow.model.metrics.EvaluationResult;
import dev.sidflow.model.metrics.MetricValues;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Markdown table of results, one row per model (and per head/tail slice), for docs/benchmarks.md. */
public final class ResultsTable {
    private final int[] ks;
    private final List<String> rows = new ArrayList<>();

    public ResultsTable(int... ks) {
        this.ks = ks.clone();
    }

    /** Adds a row for the overall metrics; {@code note} (e.g. training time) may be empty. */
    public ResultsTable add(String model, MetricValues v, String note) {
        StringBuilder sb = new StringBuilder("| ").append(escape(model)).append(" | ").append(v.count());
        for (int k : ks) sb.append(String.format(Locale.ROOT, " | %.4f", v.hr(k)));
        for (int k : ks) sb.append(String.format(Locale.ROOT, " | %.4f", v.ndcg(k)));
        sb.append(" | ").append(escape(note == null ? "" : note)).append(" |");
        rows.add(sb.toString());
        return this;
    }

    /** Adds three rows: all targets, head targets, long-tail targets. */
    public ResultsTable add(String model, EvaluationResult r, String note) {
        add(model, r.overall(), note);
        if (r.head().count() + r.tail().count() > 0) {
            add(model + " (head targets)", r.head(), "");
            add(model + " (tail targets)", r.tail(), "");
        }
        return this;
    }

    public String toMarkdown() {
        StringBuilder sb = new StringBuilder("| Model | Cases");
        for (int k : ks) sb.append(" | HR@").append(k);
        for (int k : ks) sb.append(" | NDCG@").append(k);
        sb.append(" | Note |\n|---|---:");
        for (int i = 0; i < 2 * ks.length; i++) sb.append("|---:");
        sb.append("|---|\n");
        for (String r : rows) sb.append(r).append('\n');
        return sb.toString();
    }

    private static String escape(String s) { return s.replace("|", "\\|"); }

    @Override public String toString() { return toMarkdown(); }
}
