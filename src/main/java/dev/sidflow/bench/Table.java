package dev.sidflow.bench;

import java.util.ArrayList;
import java.util.List;

/** A results table printed aligned on the console and as a markdown table in the report. */
public final class Table {
    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();

    public Table(String... header) {
        this.header = List.of(header);
    }

    public Table add(Object... cells) {
        if (cells.length != header.size()) {
            throw new IllegalArgumentException("row has " + cells.length + " cells, table has " + header.size() + " columns");
        }
        List<String> row = new ArrayList<>(cells.length);
        for (Object c : cells) row.add(String.valueOf(c));
        rows.add(row);
        return this;
    }

    public List<List<String>> rows() {
        return rows;
    }

    public String toText() {
        int[] w = new int[header.size()];
        for (int i = 0; i < w.length; i++) w[i] = header.get(i).length();
        for (List<String> r : rows) for (int i = 0; i < w.length; i++) w[i] = Math.max(w[i], r.get(i).length());
        StringBuilder sb = new StringBuilder();
        line(sb, header, w);
        for (int i = 0; i < w.length; i++) sb.append(i == 0 ? "" : "  ").append("-".repeat(w[i]));
        sb.append('\n');
        for (List<String> r : rows) line(sb, r, w);
        return sb.toString();
    }

    private static void line(StringBuilder sb, List<String> cells, int[] w) {
        for (int i = 0; i < w.length; i++) {
            String c = cells.get(i);
            if (i > 0) sb.append("  ");
            // first column left-aligned (names), the others right-aligned (numbers)
            sb.append(i == 0 ? c + " ".repeat(w[i] - c.length()) : " ".repeat(w[i] - c.length()) + c);
        }
        sb.append('\n');
    }

    public String toMarkdown() {
        StringBuilder sb = new StringBuilder();
        sb.append("| ").append(String.join(" | ", header)).append(" |\n|");
        for (int i = 0; i < header.size(); i++) sb.append(i == 0 ? "---|" : "---:|");
        sb.append('\n');
        for (List<String> r : rows) sb.append("| ").append(String.join(" | ", r)).append(" |\n");
        return sb.toString();
    }

    /** Formats a number for a table: fixed decimals, "-" for NaN, ">x" style left to the caller. */
    public static String num(double v, int decimals) {
        if (Double.isNaN(v)) return "-";
        if (Double.isInfinite(v)) return "n/a";
        return String.format(java.util.Locale.ROOT, "%,." + decimals + "f", v);
    }
}
