package dev.sidflow.stream.kafka;

import dev.sidflow.schema.CatalogItem;
import dev.sidflow.schema.DeadLetter;
import dev.sidflow.schema.InteractionEvent;
import dev.sidflow.schema.Recommendation;
import dev.sidflow.schema.RecommendedItem;
import org.apache.avro.specific.SpecificRecord;

import java.nio.ByteBuffer;
import java.util.Locale;

/** Human-readable text for each record type, as `sidflow tail` prints it. */
public final class RecordPrinter {
    private static final int PREVIEW_BYTES = 120;

    private RecordPrinter() {}

    public static String format(SpecificRecord record) {
        if (record instanceof Recommendation r) return recommendation(r);
        if (record instanceof DeadLetter d) return deadLetter(d);
        if (record instanceof InteractionEvent e) return event(e);
        if (record instanceof CatalogItem c) return catalogItem(c);
        return record.toString();
    }

    public static String event(InteractionEvent e) {
        StringBuilder sb = new StringBuilder();
        sb.append(e.getEventTime()).append("  user ").append(e.getUserId()).append("  ").append(e.getEventType());
        if (e.getItemId() != null) sb.append("  item ").append(e.getItemId());
        if (e.getQuery() != null) sb.append("  query \"").append(e.getQuery()).append('"');
        e.getAttributes().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey())
                .forEach(a -> sb.append("  ").append(a.getKey()).append('=').append(a.getValue()));
        sb.append("  [").append(e.getEventId()).append(']');
        return sb.toString();
    }

    public static String catalogItem(CatalogItem c) {
        StringBuilder sb = new StringBuilder();
        sb.append("item ").append(c.getItemId()).append("  \"").append(c.getTitle()).append('"');
        if (c.getBrand() != null) sb.append("  brand ").append(c.getBrand());
        if (!c.getCategories().isEmpty()) sb.append("  [").append(String.join(" > ", c.getCategories())).append(']');
        if (c.getDeleted()) sb.append("  (deleted)");
        return sb.toString();
    }

    public static String recommendation(Recommendation r) {
        StringBuilder sb = new StringBuilder();
        sb.append("user ").append(r.getUserId())
                .append("  (request ").append(r.getRequestKey())
                .append(", event ").append(r.getEventTime())
                .append(", latency ").append(r.getProcessingLatencyMs()).append(" ms")
                .append(", bundle ").append(r.getBundleVersion()).append(")\n");
        for (RecommendedItem item : r.getItems()) {
            String match = item.getMatchLevel() == 4 ? "L4 exact"
                    : item.getMatchLevel() == 0 ? "no match"
                    : "L" + item.getMatchLevel() + " match" + (item.getSimilarCount() > 0 ? " (" + item.getSimilarCount() + " similar)" : "");
            sb.append(String.format(Locale.ROOT, "  %2d. %-40s %-20s %8.4f  %s", item.getRank(), clip(item.getTitle(), 40),
                    "(" + match + ")", item.getScore(), item.getSid()));
            if (item.getItemId() != null) sb.append("  ").append(item.getItemId());
            if (item.getReason() != null) sb.append("  - ").append(item.getReason());
            sb.append('\n');
        }
        if (r.getItems().isEmpty()) sb.append("  (no items)\n");
        return sb.toString().stripTrailing();
    }

    public static String deadLetter(DeadLetter d) {
        return "DEAD LETTER  " + d.getErrorClass() + "  from " + d.getSourceTopic() + "[" + d.getSourcePartition()
                + "]@" + d.getSourceOffset() + "  at " + d.getFailedAt() + "\n"
                + "  error: " + d.getErrorMessage() + "\n"
                + "  key:   " + preview(d.getRawKey()) + "\n"
                + "  value: " + preview(d.getRawValue());
    }

    /** Bytes as text: printable ASCII kept, everything else as \xNN; long values cut. */
    public static String preview(ByteBuffer buffer) {
        if (buffer == null) return "(null)";
        ByteBuffer b = buffer.duplicate();
        int n = b.remaining();
        StringBuilder sb = new StringBuilder().append(n).append(" bytes: ");
        for (int i = 0; i < Math.min(n, PREVIEW_BYTES); i++) {
            int c = b.get() & 0xff;
            if (c >= 0x20 && c < 0x7f && c != '\\') sb.append((char) c);
            else if (c == '\\') sb.append("\\\\");
            else sb.append(String.format("\\x%02x", c));
        }
        if (n > PREVIEW_BYTES) sb.append("...");
        return sb.toString();
    }

    private static String clip(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
