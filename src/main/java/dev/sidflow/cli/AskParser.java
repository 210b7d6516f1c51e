package dev.sidflow.cli;

import dev.sidflow.serve.ItemAttributes;
import dev.sidflow.serve.Query;
import dev.sidflow.sid.SemanticId;
import dev.sidflow.sid.SidCatalog;
import dev.sidflow.sid.SidCodec;
import dev.sidflow.sid.SidMatch;
import dev.sidflow.sid.SidTrie;
import dev.sidflow.sid.TitleMapper;
import dev.sidflow.sid.TitleMatch;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads what a user types to {@code sidflow ask} as a {@link Query}:
 * <ol>
 *   <li>SIDs in their exact text form name items (an unbound SID is an error naming the nearest items);</li>
 *   <li>quoted text names a title: exact (case-insensitive), else the closest title by shared words
 *       (at least half of them), else an error listing the closest titles;</li>
 *   <li>unquoted, the longest catalog titles of two or more words found verbatim name items;</li>
 *   <li>catalog attribute values (Xbox, Racing, a brand) become constraints when the request names
 *       a seed, or when nothing but such values and filler words is left ("now for Xbox", "racing
 *       games for the Switch"); otherwise they stay part of the free text;</li>
 *   <li>whatever else is left, when there is no seed, is free text for the text encoder.</li>
 * </ol>
 * The first item named is the seed.
 */
final class AskParser {
    /** Words that phrase a request without saying what is wanted. */
    private static final Set<String> FILLER = new HashSet<>(List.of("a", "about", "also", "an", "and", "any", "bought", "but", "buy",
            "customers", "find", "for", "game", "games", "give", "i", "in", "instead", "is", "it", "item", "items", "just",
            "like", "me", "more", "my", "now", "of", "on", "only", "other", "people", "please", "recommend", "same",
            "show", "similar", "some", "something", "than", "that", "the", "then", "those", "to", "want", "what", "who",
            "with", "as", "how", "ones", "one", "version", "versions"));
    private static final Pattern QUOTED = Pattern.compile("\"([^\"]+)\"|“([^”]+)”|(?<![\\p{L}\\p{N}])'([^']{2,})'(?![\\p{L}\\p{N}])");
    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]+");

    /** What was understood: the query plus how each mention was resolved (shown to the user). */
    record Parsed(Query query, List<String> notes) {}

    private record Title(String itemId, String title, String lower, Set<String> words) {}

    private final SidCatalog catalog;
    private final ItemAttributes attributes;
    private final List<Title> titles = new ArrayList<>();
    private final Map<String, String> idByLowerTitle = new HashMap<>();

    AskParser(SidCatalog catalog, ItemAttributes attributes) {
        this.catalog = catalog;
        this.attributes = attributes;
        for (SidTrie.Entry e : catalog.trieSnapshot().entriesUnder(new int[0], Integer.MAX_VALUE)) {
            String title = catalog.titleOrId(e.itemId());
            String lower = title.toLowerCase(Locale.ROOT);
            titles.add(new Title(e.itemId(), title, lower, words(lower)));
            idByLowerTitle.putIfAbsent(lower, e.itemId());
        }
        titles.sort(Comparator.comparingInt((Title t) -> -t.lower().length()).thenComparing(Title::itemId));
    }

    /**
     * @param where constraints given explicitly (--where), added to those found in the text
     * @throws IllegalArgumentException for an unknown SID or quoted title
     */
    Parsed parse(String input, Map<String, String> where) {
        List<String> notes = new ArrayList<>();
        List<String> named = new ArrayList<>();
        StringBuilder rest = new StringBuilder(input);
        for (SidMatch m : SidCodec.findAll(input)) {
            named.add(itemOfSid(m.sid()));
            notes.add(m.sid() + " = '" + catalog.titleOrId(named.get(named.size() - 1)) + "'");
            blank(rest, m.start(), m.end());
        }
        if (rest.indexOf(SidCodec.TOKEN_PREFIX) >= 0 || rest.indexOf(SidCodec.START) >= 0) {
            int at = Math.max(rest.indexOf(SidCodec.START), 0);
            String fragment = input.substring(at, Math.min(input.length(), at + 80)).strip();
            try {
                SidCodec.parse(fragment);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("malformed SID in '" + fragment + "': " + e.getMessage());
            }
        }
        Matcher q = QUOTED.matcher(rest.toString());
        List<int[]> spans = new ArrayList<>();
        while (q.find()) {
            String t = q.group(1) != null ? q.group(1) : q.group(2) != null ? q.group(2) : q.group(3);
            named.add(itemOfTitle(t.strip(), notes));
            spans.add(new int[] {q.start(), q.end()});
        }
        for (int[] s : spans) blank(rest, s[0], s[1]);
        String lowerRest = rest.toString().toLowerCase(Locale.ROOT);
        for (Title t : titles) {
            if (t.words().size() < 2) continue;
            int at = wholeWord(lowerRest, t.lower());
            if (at < 0) continue;
            named.add(t.itemId());
            notes.add("'" + t.title() + "' = item " + t.itemId());
            blank(rest, at, at + t.lower().length());
            lowerRest = rest.toString().toLowerCase(Locale.ROOT);
        }
        String seed = named.isEmpty() ? null : named.get(0);
        if (named.size() > 1) notes.add("seed: the first item named, '" + catalog.titleOrId(seed) + "'");

        // attribute values, longest first; filler and values are what a pure follow-up consists of
        Map<String, String> constraints = new LinkedHashMap<>();
        Map<String, List<Map.Entry<String, String>>> values = attributes.valueIndex();
        List<String> candidates = new ArrayList<>(values.keySet());
        candidates.sort(Comparator.comparingInt(String::length).reversed().thenComparing(Comparator.naturalOrder()));
        StringBuilder afterValues = new StringBuilder(rest);
        for (String v : candidates) {
            if (v.length() < 2 || v.chars().allMatch(Character::isDigit)) continue;
            int at = wholeWord(afterValues.toString().toLowerCase(Locale.ROOT), v);
            if (at < 0) continue;
            Map.Entry<String, String> kv = preferred(values.get(v));
            constraints.putIfAbsent(kv.getKey(), kv.getValue());
            blank(afterValues, at, at + v.length());
        }
        boolean onlyFiller = content(afterValues.toString()).isEmpty();
        boolean steer = !constraints.isEmpty() && (seed != null || onlyFiller);
        Map<String, String> allWhere = new LinkedHashMap<>();
        if (steer) {
            allWhere.putAll(constraints);
            constraints.forEach((k, v) -> notes.add("'" + v + "' = constraint " + k + "=" + v));
        }
        allWhere.putAll(where);
        String text = null;
        String left = (steer ? afterValues : rest).toString();
        if (seed == null && !content(left).isEmpty()) text = input.strip();
        return new Parsed(new Query(null, seed, null, text, allWhere, null), notes);
    }

    /** An item given on the command line as an item id, SID or title. */
    String item(String ref, List<String> notes) {
        String s = ref.strip();
        if (catalog.sidOf(s).isPresent()) return s;
        if (s.startsWith(SidCodec.START)) return itemOfSid(SidCodec.parse(s));
        return itemOfTitle(s, notes);
    }

    private String itemOfSid(SemanticId sid) {
        String id = catalog.itemId(sid);
        if (id != null) return id;
        TitleMatch near = TitleMapper.of(catalog, 3).map(sid);
        throw new IllegalArgumentException("unknown SID " + sid + (near.known()
                ? "; items sharing its first " + near.matchLevel() + " level(s): " + String.join(" | ", near.titles())
                : "; no item shares even its first level"));
    }

    private String itemOfTitle(String title, List<String> notes) {
        String lower = title.toLowerCase(Locale.ROOT);
        String exact = idByLowerTitle.get(lower);
        if (exact != null) {
            notes.add("'" + title + "' = item " + exact);
            return exact;
        }
        Set<String> w = words(lower);
        List<Map.Entry<Title, Double>> scored = new ArrayList<>();
        for (Title t : titles) {
            double j = jaccard(w, t.words());
            if (j > 0) scored.add(Map.entry(t, j));
        }
        scored.sort((a, b) -> a.getValue().equals(b.getValue()) ? a.getKey().itemId().compareTo(b.getKey().itemId())
                : Double.compare(b.getValue(), a.getValue()));
        if (!scored.isEmpty() && scored.get(0).getValue() >= 0.5) {
            Title best = scored.get(0).getKey();
            notes.add(String.format(Locale.ROOT, "'%s' ~ '%s' (item %s, fuzzy match %.2f)", title, best.title(), best.itemId(),
                    scored.get(0).getValue()));
            return best.itemId();
        }
        List<String> near = scored.stream().limit(3).map(e -> e.getKey().title()).toList();
        throw new IllegalArgumentException("unknown title '" + title + "'"
                + (near.isEmpty() ? "" : "; closest: " + String.join(" | ", near)));
    }

    /** Prefer a specific attribute (platform, genre, brand) over the catch-all categories list. */
    private static Map.Entry<String, String> preferred(List<Map.Entry<String, String>> keys) {
        for (Map.Entry<String, String> kv : keys) if (!kv.getKey().equals(ItemAttributes.CATEGORY)) return kv;
        return keys.get(0);
    }

    private static List<String> content(String s) {
        List<String> out = new ArrayList<>();
        Matcher m = WORD.matcher(s.toLowerCase(Locale.ROOT));
        while (m.find()) if (!FILLER.contains(m.group())) out.add(m.group());
        return out;
    }

    private static Set<String> words(String lower) {
        Set<String> out = new HashSet<>();
        Matcher m = WORD.matcher(lower);
        while (m.find()) out.add(m.group());
        return out;
    }

    private static double jaccard(Set<String> a, Set<String> b) {
        if (a.isEmpty() || b.isEmpty()) return 0;
        int inter = 0;
        for (String x : a) if (b.contains(x)) inter++;
        return inter / (double) (a.size() + b.size() - inter);
    }

    /** Index of {@code needle} in {@code hay} with no letter or digit right before or after, or -1. */
    private static int wholeWord(String hay, String needle) {
        int from = 0;
        while (true) {
            int at = hay.indexOf(needle, from);
            if (at < 0) return -1;
            int end = at + needle.length();
            boolean left = at == 0 || !Character.isLetterOrDigit(hay.charAt(at - 1));
            boolean right = end == hay.length() || !Character.isLetterOrDigit(hay.charAt(end));
            if (left && right) return at;
            from = at + 1;
        }
    }

    private static void blank(StringBuilder sb, int from, int to) {
        for (int i = from; i < to; i++) sb.setCharAt(i, ' ');
    }
}
