package dev.sidflow.instruct;

import dev.sidflow.data.Item;
import dev.sidflow.data.LeaveOneOut;
import dev.sidflow.embed.ProgressListener;
import dev.sidflow.sid.SemanticId;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Builds instruction-tuning records from users' sequences and a catalog with SIDs.
 *
 * <p><b>No test leakage.</b> Each user's sequence is cut by the same leave-one-out protocol the
 * evaluation uses ({@link LeaveOneOut}): by default only the training part (everything before the
 * validation and test items) feeds the sequence tasks, including the popularity and
 * item-to-item statistics they use; text-to-items answers with training items only. Catalog tasks
 * (title/text alignment) use item metadata only.
 *
 * <p><b>Deterministic.</b> One seeded {@link Random} drives every choice (user order, sampled
 * targets, negatives, candidate order, attribute choice), in a fixed order, so the same inputs
 * and seed give the same records.
 */
public final class InstructionExporter {

    /** Which part of each user's sequence the sequence tasks may use. */
    public enum Split {
        /** Training part only: no validation or test item (the default). */
        TRAIN,
        /** Training part plus the validation item: no test item (for a final model after tuning). */
        VALIDATION,
        /** Whole sequences, test items included: only for models never evaluated on this data. */
        ALL
    }

    /**
     * @param maxHistory     at most this many most recent items in a prompt's history
     * @param candidates     list size of the top-k task (the true next item plus sampled negatives)
     * @param targetsPerUser sequence positions used per user (seeded sample); 0 = every position
     * @param maxPerTask     records per task at most (users and items in seeded random order); 0 = no cap
     * @param relatedItems   items listed per item-to-item answer
     */
    public record Options(Set<InstructionTask> tasks, Split split, int maxHistory, int candidates,
                          int targetsPerUser, int maxPerTask, int relatedItems, long seed) {
        public Options {
            tasks = Set.copyOf(tasks);
            Objects.requireNonNull(split, "split");
            if (maxHistory < 1) throw new IllegalArgumentException("maxHistory must be >= 1");
            if (candidates < 2) throw new IllegalArgumentException("candidates must be >= 2");
            if (targetsPerUser < 0 || maxPerTask < 0) throw new IllegalArgumentException("limits must be >= 0");
            if (relatedItems < 1) throw new IllegalArgumentException("relatedItems must be >= 1");
        }

        public static Options defaults(Set<InstructionTask> tasks) {
            return new Options(tasks, Split.TRAIN, 20, 10, 0, 0, 5, 42);
        }
    }

    /**
     * What an export wrote.
     *
     * @param counts        records per task
     * @param users         users whose sequences were read
     * @param heldOut       validation/test items left out by the split
     * @param unknownEvents interactions with items that have no SID (dropped)
     */
    public record Summary(Map<InstructionTask, Long> counts, int users, long heldOut, long unknownEvents) {
        public long total() {
            return counts.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private final Map<String, Item> catalog;
    private final Map<String, SemanticId> sids;
    private final Options options;

    /**
     * @param catalog item metadata by id (titles, brand, categories, attributes, description)
     * @param sids    SIDs by item id; items without one are left out everywhere
     */
    public InstructionExporter(Map<String, Item> catalog, Map<String, SemanticId> sids, Options options) {
        this.catalog = catalog;
        this.sids = sids;
        this.options = options;
    }

    public Summary export(Map<String, List<String>> sequences, Consumer<InstructionRecord> sink, ProgressListener progress) {
        Random rnd = new Random(options.seed());
        Map<InstructionTask, Long> counts = new EnumMap<>(InstructionTask.class);
        for (InstructionTask t : InstructionTask.values()) if (options.tasks().contains(t)) counts.put(t, 0L);
        Consumer<InstructionRecord> capped = r -> {
            long n = counts.get(r.task());
            if (options.maxPerTask() > 0 && n >= options.maxPerTask()) return;
            counts.put(r.task(), n + 1);
            sink.accept(r);
        };

        // The split first (on the raw sequences, so "test" is really each user's last event), then unknown items out.
        Map<String, List<String>> used = new LinkedHashMap<>();
        long heldOut = 0;
        long unknown = 0;
        for (LeaveOneOut.UserSplit s : LeaveOneOut.split(sequences)) {
            List<String> part = switch (options.split()) {
                case TRAIN -> s.train();
                case VALIDATION -> s.testHistory();
                case ALL -> s.evaluable() ? append(s.testHistory(), s.test()) : s.train();
            };
            heldOut += sequences.get(s.userId()).size() - part.size();
            List<String> known = new ArrayList<>(part.size());
            for (String id : part) {
                if (sids.containsKey(id)) known.add(id); else unknown++;
            }
            used.put(s.userId(), known);
        }

        Map<String, Long> popularity = new HashMap<>();
        Map<String, Map<String, Integer>> transitions = new HashMap<>();
        for (List<String> seq : used.values()) {
            for (int i = 0; i < seq.size(); i++) {
                popularity.merge(seq.get(i), 1L, Long::sum);
                if (i > 0 && !seq.get(i).equals(seq.get(i - 1))) {
                    transitions.computeIfAbsent(seq.get(i - 1), k -> new HashMap<>()).merge(seq.get(i), 1, Integer::sum);
                }
            }
        }
        // Negatives come from items seen in the used part only, so a held-out item never shows up in a sequence task.
        List<String> pool = new ArrayList<>(popularity.keySet());
        Collections.sort(pool);

        List<String> users = new ArrayList<>(used.keySet());
        Collections.shuffle(users, rnd);
        List<String> items = new ArrayList<>(sids.keySet());
        Collections.sort(items);
        Collections.shuffle(items, rnd);
        List<Map<String, String>> requests = options.tasks().contains(InstructionTask.TEXT_TO_ITEMS)
                ? itemRequests(popularity.keySet()) : List.of();
        long total = users.size() + 2L * items.size() + requests.size();
        long done = 0;
        SequenceTasks seqTasks = new SequenceTasks(popularity, transitions, pool, rnd);
        for (String user : users) {
            seqTasks.emit(used.get(user), capped);
            progress.progress(++done, total);
        }
        for (String id : items) {
            if (options.tasks().contains(InstructionTask.ITEM_TO_ITEM)) itemToItem(id, transitions, capped);
            progress.progress(++done, total);
        }
        for (String id : items) {
            catalogTasks(id, capped);
            progress.progress(++done, total);
        }
        // shuffled last, so that adding this task leaves every other task's records as they were
        Collections.shuffle(requests, rnd);
        Map<String, Set<String>> itemsByFact = requests.isEmpty() ? Map.of() : itemsByFact(popularity.keySet());
        for (Map<String, String> request : requests) {
            textToItems(request, itemsByFact, popularity, capped);
            progress.progress(++done, total);
        }
        return new Summary(counts, used.size(), heldOut, unknown);
    }

    private static List<String> append(List<String> list, String last) {
        List<String> out = new ArrayList<>(list);
        out.add(last);
        return out;
    }

    private SemanticId sid(String itemId) {
        return sids.get(itemId);
    }

    private String title(String itemId) {
        Item item = catalog.get(itemId);
        return item == null ? itemId : item.title();
    }

    /** An item as it appears in explanations: its SID and its title. */
    private String named(String itemId) {
        return sid(itemId) + " (\"" + title(itemId) + "\")";
    }

    private void itemToItem(String id, Map<String, Map<String, Integer>> transitions, Consumer<InstructionRecord> sink) {
        Map<String, Integer> next = transitions.get(id);
        if (next == null || next.isEmpty()) return;
        List<String> ranked = new ArrayList<>(next.keySet());
        ranked.sort(Comparator.<String>comparingInt(next::get).reversed().thenComparing(Comparator.naturalOrder()));
        List<SemanticId> out = ranked.stream().limit(options.relatedItems()).map(this::sid).toList();
        sink.accept(Prompts.itemToItem(sid(id), out));
    }

    /**
     * An item's facts a request can name: its brand, its most specific category and its other
     * attributes (identifiers left out), as attribute -> value.
     */
    private Map<String, String> facts(Item item) {
        Map<String, String> facts = new LinkedHashMap<>();
        if (item.brand() != null && !item.brand().isBlank()) facts.put("brand", item.brand().strip());
        if (!item.categories().isEmpty()) facts.put("category", item.categories().get(item.categories().size() - 1).strip());
        item.attributes().entrySet().stream()
                .filter(e -> !Item.IDENTIFIER_ATTRIBUTES.contains(e.getKey()) && e.getValue() != null && !e.getValue().isBlank())
                .sorted(Map.Entry.comparingByKey())
                .forEach(e -> facts.putIfAbsent(e.getKey(), e.getValue().strip()));
        return facts;
    }

    /**
     * The requests the text-to-items task asks, from the facts of training items: each single fact,
     * and a category with each other fact ("Racing" items whose platform is "Switch"). Sorted, so
     * the seeded shuffle after it alone decides the order.
     */
    private List<Map<String, String>> itemRequests(Set<String> trainingItems) {
        Set<Map<String, String>> out = new HashSet<>();
        for (String id : trainingItems) {
            Item item = catalog.get(id);
            if (item == null) continue;
            Map<String, String> facts = facts(item);
            String category = facts.get("category");
            facts.forEach((k, v) -> {
                out.add(new TreeMap<>(Map.of(k, v)));
                if (category != null && !k.equals("category") && !v.equalsIgnoreCase(category)) {
                    out.add(new TreeMap<>(Map.of("category", category, k, v)));
                }
            });
        }
        List<Map<String, String>> sorted = new ArrayList<>(out);
        sorted.sort(Comparator.comparing(Object::toString));
        return sorted;
    }

    /** A request in words for some facts, e.g. {@code I'm looking for items in the category "Racing" and whose platform is "Switch".} */
    static String requestText(Map<String, String> facts) {
        List<String> parts = new ArrayList<>();
        String category = facts.get("category");
        if (category != null) parts.add("in the category \"" + category + "\"");
        String brand = facts.get("brand");
        if (brand != null) parts.add("by the brand \"" + brand + "\"");
        facts.forEach((k, v) -> {
            if (!k.equals("category") && !k.equals("brand")) parts.add("whose " + k + " is \"" + v + "\"");
        });
        return "I'm looking for items " + String.join(" and ", parts) + ".";
    }

    /** The training items with all the facts (any of their categories counts), most popular first. */
    private void textToItems(Map<String, String> request, Map<String, Set<String>> itemsByFact, Map<String, Long> popularity,
                             Consumer<InstructionRecord> sink) {
        Set<String> matching = null;
        for (Map.Entry<String, String> c : request.entrySet()) {
            Set<String> with = itemsByFact.getOrDefault(factKey(c.getKey(), c.getValue()), Set.of());
            if (matching == null) matching = new HashSet<>(with); else matching.retainAll(with);
        }
        if (matching == null || matching.isEmpty()) return;
        List<String> ranked = new ArrayList<>(matching);
        ranked.sort(Comparator.<String>comparingLong(popularity::get).reversed().thenComparing(Comparator.naturalOrder()));
        List<SemanticId> answer = ranked.stream().limit(options.relatedItems()).map(this::sid).toList();
        sink.accept(Prompts.textToItems(requestText(request), answer));
    }

    /** Training items by each fact they have (every category, not only the most specific one). */
    private Map<String, Set<String>> itemsByFact(Set<String> trainingItems) {
        Map<String, Set<String>> out = new HashMap<>();
        for (String id : trainingItems) {
            Item item = catalog.get(id);
            if (item == null) continue;
            Map<String, String> facts = facts(item);
            facts.forEach((k, v) -> out.computeIfAbsent(factKey(k, v), x -> new HashSet<>()).add(id));
            for (String c : item.categories()) out.computeIfAbsent(factKey("category", c.strip()), x -> new HashSet<>()).add(id);
        }
        return out;
    }

    private static String factKey(String attribute, String value) {
        return attribute + "\u0000" + value.toLowerCase(java.util.Locale.ROOT);
    }

    private void catalogTasks(String id, Consumer<InstructionRecord> sink) {
        Item item = catalog.get(id);
        if (item == null) return;
        String sid = sid(id).toString();
        if (options.tasks().contains(InstructionTask.TITLE_TO_SID)) {
            sink.accept(new InstructionRecord(InstructionTask.TITLE_TO_SID, Prompts.TITLE_TO_SID, item.title(), sid));
        }
        if (options.tasks().contains(InstructionTask.SID_TO_TITLE)) {
            sink.accept(new InstructionRecord(InstructionTask.SID_TO_TITLE, Prompts.SID_TO_TITLE, sid, item.title()));
        }
        if (options.tasks().contains(InstructionTask.TEXT_TO_SID) && item.text() != null && !item.text().isBlank()) {
            String text = item.text().strip();
            if (text.length() > 500) text = text.substring(0, 500) + "...";
            sink.accept(new InstructionRecord(InstructionTask.TEXT_TO_SID, Prompts.TEXT_TO_SID, text, sid));
        }
    }

    /** The tasks built per (history, next item) pair of a user's sequence. */
    private final class SequenceTasks {
        private final Map<String, Long> popularity;
        private final Map<String, Map<String, Integer>> transitions;
        private final List<String> pool;
        private final Random rnd;

        SequenceTasks(Map<String, Long> popularity, Map<String, Map<String, Integer>> transitions, List<String> pool, Random rnd) {
            this.popularity = popularity;
            this.transitions = transitions;
            this.pool = pool;
            this.rnd = rnd;
        }

        void emit(List<String> seq, Consumer<InstructionRecord> sink) {
            if (seq.size() < 2) return;
            List<Integer> targets = new ArrayList<>();
            for (int t = 1; t < seq.size(); t++) targets.add(t);
            if (options.targetsPerUser() > 0 && targets.size() > options.targetsPerUser()) {
                Collections.shuffle(targets, rnd);
                targets = new ArrayList<>(targets.subList(0, options.targetsPerUser()));
                Collections.sort(targets);
            }
            for (int t : targets) {
                List<String> history = seq.subList(Math.max(0, t - options.maxHistory()), t);
                String next = seq.get(t);
                List<SemanticId> historySids = history.stream().map(InstructionExporter.this::sid).toList();
                if (options.tasks().contains(InstructionTask.NEXT_ITEM)) sink.accept(Prompts.nextItem(historySids, sid(next)));
                if (options.tasks().contains(InstructionTask.TOP_K)) topK(seq, historySids, next, sink);
                if (options.tasks().contains(InstructionTask.ATTRIBUTE_STEERED)) attributeSteered(historySids, next, sink);
                if (options.tasks().contains(InstructionTask.EXPLANATION)) explanation(history, historySids, next, sink);
            }
        }

        private void topK(List<String> seq, List<SemanticId> history, String next, Consumer<InstructionRecord> sink) {
            Set<String> seen = new HashSet<>(seq);
            List<String> negatives = new ArrayList<>();
            Set<String> picked = new HashSet<>();
            int wanted = Math.min(options.candidates() - 1, pool.size() - seen.size());
            if (wanted <= 0) return;
            for (int tries = 0; negatives.size() < wanted && tries < 20 * options.candidates(); tries++) {
                String c = pool.get(rnd.nextInt(pool.size()));
                if (!seen.contains(c) && picked.add(c)) negatives.add(c);
            }
            if (negatives.isEmpty()) return;
            List<String> shown = new ArrayList<>(negatives);
            shown.add(next);
            Collections.shuffle(shown, rnd);
            // Only the true next item is known to be right; the negatives follow by training popularity.
            negatives.sort(Comparator.<String>comparingLong(c -> popularity.getOrDefault(c, 0L)).reversed()
                    .thenComparing(Comparator.naturalOrder()));
            List<SemanticId> ranked = new ArrayList<>();
            ranked.add(sid(next));
            negatives.forEach(c -> ranked.add(sid(c)));
            String input = "History: " + Prompts.sidList(history) + "\nCandidates: "
                    + Prompts.sidList(shown.stream().map(InstructionExporter.this::sid).toList());
            sink.accept(new InstructionRecord(InstructionTask.TOP_K, Prompts.TOP_K, input, Prompts.sidList(ranked)));
        }

        private void attributeSteered(List<SemanticId> history, String next, Consumer<InstructionRecord> sink) {
            Item item = catalog.get(next);
            if (item == null) return;
            List<Map.Entry<String, String>> facts = new ArrayList<>(facts(item).entrySet());
            if (facts.isEmpty()) return;
            Map.Entry<String, String> f = facts.get(rnd.nextInt(facts.size()));
            sink.accept(Prompts.attributeSteered(history, f.getKey(), f.getValue(), sid(next)));
        }

        /** Facts only: shared SID prefix, how often others went from the last item to this one, shared brand/category. */
        private void explanation(List<String> history, List<SemanticId> historySids, String next, Consumer<InstructionRecord> sink) {
            SemanticId target = sid(next);
            List<String> facts = new ArrayList<>();
            String closest = null;
            int shared = 0;
            for (int i = history.size() - 1; i >= 0; i--) {
                int l = target.sharedLevels(historySids.get(i));
                if (l > shared) {
                    shared = l;
                    closest = history.get(i);
                }
            }
            if (closest != null) {
                facts.add(shared == 3 ? "It is in the same semantic-ID group (first 3 of 3 levels) as " + named(closest) + "."
                        : "It shares the first " + shared + " of 3 semantic-ID levels with " + named(closest) + ".");
            }
            String last = history.get(history.size() - 1);
            int others = transitions.getOrDefault(last, Map.of()).getOrDefault(next, 0) - 1; // minus this very transition
            if (others > 0) {
                facts.add(others + (others == 1 ? " other time" : " other times") + " in the data, a user went from "
                        + named(last) + " straight to it.");
            }
            Item item = catalog.get(next);
            if (item != null) {
                if (item.brand() != null && !item.brand().isBlank()) {
                    for (int i = history.size() - 1; i >= 0; i--) {
                        Item h = catalog.get(history.get(i));
                        if (h != null && item.brand().strip().equalsIgnoreCase(h.brand() == null ? "" : h.brand().strip())) {
                            facts.add("It has the same brand, " + item.brand().strip() + ", as " + named(history.get(i)) + ".");
                            break;
                        }
                    }
                }
                String category = sharedCategory(item, history);
                if (category != null) facts.add(category);
            }
            if (facts.isEmpty()) return;
            String input = "History: " + Prompts.sidList(historySids) + "\nRecommended: " + named(next);
            sink.accept(new InstructionRecord(InstructionTask.EXPLANATION, Prompts.EXPLANATION, input, String.join(" ", facts)));
        }

        /** The most specific category the item shares with a history item (its top-level category says nothing). */
        private String sharedCategory(Item item, List<String> history) {
            List<String> cats = item.categories();
            int from = cats.size() > 1 ? 1 : 0;
            for (int c = cats.size() - 1; c >= from; c--) {
                for (int i = history.size() - 1; i >= 0; i--) {
                    Item h = catalog.get(history.get(i));
                    if (h != null && h.categories().contains(cats.get(c))) {
                        return "It is in the category \"" + cats.get(c) + "\", like " + named(history.get(i)) + ".";
                    }
                }
            }
            return null;
        }
    }
}
