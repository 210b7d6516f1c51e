package dev.sidflow.serve;

import dev.sidflow.sid.SidCodec;
import dev.sidflow.sid.SidFormatException;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a request asks for beyond "next item for this user". Flink-free: the stream job parses it
 * from a REQUEST event's {@code query} and {@code attributes} ({@link #fromWire}), and
 * {@code sidflow ask} builds it from typed text.
 *
 * <ul>
 *   <li>{@link Kind#NEXT}: the user's next item (no seed, no text, no constraint);</li>
 *   <li>{@link Kind#SIMILAR}: item-to-item, "customers who bought the seed also bought";</li>
 *   <li>{@link Kind#TEXT}: free text to items;</li>
 *   <li>{@link Kind#STEERED}: any of the above restricted to items whose attributes match {@code where}.</li>
 * </ul>
 *
 * @param requested the kind the client named, or null (then it is inferred, see {@link #kind()})
 * @param seedItem  item id of the seed, or null
 * @param seedSid   SID of the seed in its exact text form, or null (resolved against the live catalog)
 * @param text      free text, or null
 * @param where     attribute constraints, lower-case keys (e.g. platform -> Xbox); never null
 * @param session   session key for multi-turn requests, or null
 */
public record Query(Kind requested, String seedItem, String seedSid, String text, Map<String, String> where,
                    String session) {

    public enum Kind { NEXT, SIMILAR, TEXT, STEERED }

    /** Attribute keys of a REQUEST event that carry the request (everything else is ignored). */
    public static final String REQUEST = "request";
    public static final String SEED = "seed";
    public static final String SEED_SID = "seed_sid";
    public static final String SESSION = "session";
    /** Prefix of constraint keys: {@code where.platform = Xbox}. An empty value drops the constraint in a session. */
    public static final String WHERE = "where.";

    public static final Query NEXT_ITEM = new Query(null, null, null, null, Map.of(), null);

    public Query {
        seedItem = blankToNull(seedItem);
        seedSid = blankToNull(seedSid);
        text = text == null ? null : text.strip();
        TreeMap<String, String> w = new TreeMap<>();
        if (where != null) where.forEach((k, v) -> w.put(k.strip().toLowerCase(Locale.ROOT), v == null ? "" : v.strip()));
        where = java.util.Collections.unmodifiableMap(w);
        session = blankToNull(session);
    }

    /** The kind this query is answered as: constraints make it STEERED, else a seed SIMILAR, else text TEXT. */
    public Kind kind() {
        if (!activeWhere().isEmpty()) return Kind.STEERED;
        if (hasSeed()) return Kind.SIMILAR;
        if (text != null && !text.isEmpty()) return Kind.TEXT;
        return Kind.NEXT;
    }

    public boolean hasSeed() {
        return seedItem != null || seedSid != null;
    }

    public boolean hasText() {
        return text != null && !text.isEmpty();
    }

    /** Constraints with a value (an empty value only means "drop it" when following up a session). */
    public Map<String, String> activeWhere() {
        Map<String, String> out = new TreeMap<>();
        where.forEach((k, v) -> {
            if (!v.isEmpty()) out.put(k, v);
        });
        return out;
    }

    /**
     * Parses a REQUEST event's free text and attributes (see docs/wire-format.md). Checks what can
     * be checked without the catalog.
     *
     * @throws BadRequest for an unknown request kind, a malformed seed SID, or a kind whose required
     *                    part is missing (request=text with an empty query, request=similar without a seed ...)
     */
    public static Query fromWire(String query, Map<String, String> attributes) {
        Map<String, String> attrs = attributes == null ? Map.of() : attributes;
        Kind requested = null;
        String r = attrs.get(REQUEST);
        if (r != null && !r.isBlank()) {
            requested = switch (r.strip().toLowerCase(Locale.ROOT)) {
                case "next" -> Kind.NEXT;
                case "similar", "item", "item-to-item" -> Kind.SIMILAR;
                case "text" -> Kind.TEXT;
                case "steer", "steered" -> Kind.STEERED;
                default -> throw new BadRequest(BadRequest.Reason.BAD_REQUEST,
                        "unknown request kind '" + r + "' (expected next, similar, text or steer)");
            };
        }
        Map<String, String> where = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : attrs.entrySet()) {
            if (e.getKey().startsWith(WHERE)) {
                String key = e.getKey().substring(WHERE.length()).strip();
                if (key.isEmpty()) throw new BadRequest(BadRequest.Reason.BAD_REQUEST, "constraint '" + e.getKey() + "' names no attribute");
                where.put(key, e.getValue());
            }
        }
        Query q = new Query(requested, attrs.get(SEED), attrs.get(SEED_SID), query, where, attrs.get(SESSION));
        q.checkShape();
        return q;
    }

    /** True when the event asks for more than the default next item (so it needs parsing and checks). */
    public static boolean isQuery(String query, Map<String, String> attributes) {
        if (query != null && !query.isBlank()) return true;
        if (attributes == null) return false;
        for (String k : attributes.keySet()) {
            if (k.equals(REQUEST) || k.equals(SEED) || k.equals(SEED_SID) || k.equals(SESSION) || k.startsWith(WHERE)) return true;
        }
        return false;
    }

    private void checkShape() {
        if (seedSid != null) {
            try {
                SidCodec.parse(seedSid);
            } catch (SidFormatException e) {
                throw new BadRequest(BadRequest.Reason.BAD_REQUEST, "seed_sid is not a SID: " + e.getMessage());
            }
        }
        if (seedItem != null && seedSid != null) {
            throw new BadRequest(BadRequest.Reason.BAD_REQUEST, "give the seed as seed or as seed_sid, not both");
        }
        if (text != null && text.isEmpty()) throw new BadRequest(BadRequest.Reason.BAD_REQUEST, "query text is empty");
        if (hasSeed() && hasText()) {
            throw new BadRequest(BadRequest.Reason.BAD_REQUEST, "give either a seed or a query text, not both");
        }
        if (requested == Kind.TEXT && !hasText()) {
            throw new BadRequest(BadRequest.Reason.BAD_REQUEST, "request=text needs a non-empty query");
        }
        if (requested == Kind.SIMILAR && !hasSeed() && session == null) {
            throw new BadRequest(BadRequest.Reason.BAD_REQUEST, "request=similar needs a seed (item id) or seed_sid");
        }
        if (requested == Kind.STEERED && where.isEmpty() && session == null) {
            throw new BadRequest(BadRequest.Reason.BAD_REQUEST, "request=steer needs at least one where.<attribute> constraint");
        }
    }

    /**
     * This turn read in the context of the session's previous turn: a turn without a seed or text
     * keeps the previous one's (so "now for Xbox" keeps the seed and changes the platform); a new
     * seed replaces the previous text and vice versa; constraints are merged, this turn's values
     * winning and an empty value removing one. {@code request=next} starts over from the user's
     * history, keeping only this turn's constraints.
     */
    public Query followUp(Query previous) {
        if (previous == null || requested == Kind.NEXT) return this;
        boolean newBase = hasSeed() || hasText();
        Map<String, String> merged = new TreeMap<>(previous.where);
        merged.putAll(where);
        merged.values().removeIf(String::isEmpty);
        return new Query(requested == null ? previous.requested : requested,
                newBase ? seedItem : previous.seedItem,
                newBase ? seedSid : previous.seedSid,
                newBase ? text : previous.text,
                merged, session);
    }

    /** Replaces the seed with a resolved item id (the SID form is dropped once resolved). */
    public Query withSeedItem(String itemId) {
        return new Query(requested, itemId, null, text, where, session);
    }

    /** Short human description, e.g. {@code similar to i12, where platform=Xbox}. */
    public String describe() {
        StringBuilder sb = new StringBuilder(kind().name().toLowerCase(Locale.ROOT));
        if (seedItem != null) sb.append(" seed=").append(seedItem);
        if (seedSid != null) sb.append(" seed_sid=").append(seedSid);
        if (hasText()) sb.append(" text=\"").append(text).append('"');
        activeWhere().forEach((k, v) -> sb.append(' ').append(k).append('=').append(v));
        return sb.toString();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
