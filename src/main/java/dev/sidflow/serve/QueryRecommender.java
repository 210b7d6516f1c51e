package dev.sidflow.serve;

import dev.sidflow.sid.SemanticId;
import dev.sidflow.sid.SidCodec;
import dev.sidflow.sid.SidCatalog;
import dev.sidflow.sid.TitleMapper;
import dev.sidflow.sid.TitleMatch;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Answers the request kinds beyond next-item with the served models:
 * <ul>
 *   <li><b>item-to-item</b> ("customers who bought the seed also bought"): the hybrid's next-item
 *       ranking given the one-item history [seed]. The generator and LLMEmb were trained on what
 *       users interacted with next, so P(next | seed) is the learned "bought X, then bought Y"
 *       relation; unlike raw co-occurrence it also covers items bought too rarely to co-occur.</li>
 *   <li><b>free text</b>: the text is embedded with the bundle's sentence encoder and matched by
 *       cosine against every item's text vector (same encoder, same space). Not in LLMEmb's item
 *       space: its adapter maps text to where an item's <i>successors</i> are, and on the tiny
 *       test bundle attribute queries found less than half as many matching items there (README,
 *       "Request kinds"). LLMEmb re-ranks through the hybrid instead: when the user has a
 *       history, the best {@value #TEXT_CANDIDATES} matches are re-ranked by
 *       {@code 0.5 * log softmax(cos / 0.05) + 0.5 * hybrid score given the history}.</li>
 *   <li><b>attribute-steered</b>: any of the above, or the user's next item, restricted to items
 *       whose attributes match: the generator decodes over a trie holding only those items' SIDs,
 *       LLMEmb's candidates and text matches are filtered the same way; a user without history
 *       gets the most popular matching items.</li>
 * </ul>
 * Not thread-safe (shares the hybrid's generator slot), like every recommender here.
 */
public final class QueryRecommender {
    static final int TEXT_CANDIDATES = 50;
    static final double TEXT_TEMPERATURE = 0.05;
    static final double TEXT_WEIGHT = 0.5;

    private final HybridRecommender hybrid;
    private final SidCatalog catalog;
    private final ItemAttributes attributes;
    private final Function<String, float[]> embedText;
    private final TitleMapper titles;
    /** Items matching each constraint set; dropped whenever the catalog changes. */
    private final Map<Map<String, String>, Set<String>> allowedCache = new HashMap<>();

    public QueryRecommender(HybridRecommender hybrid, SidCatalog catalog, ItemAttributes attributes,
                            Function<String, float[]> embedText) {
        this.hybrid = hybrid;
        this.catalog = catalog;
        this.attributes = attributes;
        this.embedText = embedText;
        this.titles = TitleMapper.of(catalog, 3);
    }

    public ItemAttributes attributes() {
        return attributes;
    }

    HybridRecommender hybrid() {
        return hybrid;
    }

    /** Call after every catalog change. */
    public void catalogChanged() {
        allowedCache.clear();
    }

    /**
     * Checks a request against the live catalog and resolves its seed SID to an item id.
     *
     * @throws BadRequest UNKNOWN_ITEM for a seed not in the catalog, UNKNOWN_ATTRIBUTE for a
     *                    constraint no item has, BAD_REQUEST for a request that cannot be answered as asked
     */
    public RecommendRequest resolve(RecommendRequest r) {
        Query q = r.query();
        if (q.requested() == Query.Kind.SIMILAR && !q.hasSeed()) {
            throw new BadRequest(BadRequest.Reason.BAD_REQUEST, "request=similar has no seed (none in this turn or its session)");
        }
        if (q.requested() == Query.Kind.TEXT && !q.hasText()) {
            throw new BadRequest(BadRequest.Reason.BAD_REQUEST, "request=text has no query text (none in this turn or its session)");
        }
        if (q.requested() == Query.Kind.STEERED && q.activeWhere().isEmpty()) {
            throw new BadRequest(BadRequest.Reason.BAD_REQUEST, "request=steer has no where.<attribute> constraint");
        }
        if (q.seedSid() != null) {
            SemanticId sid = SidCodec.parse(q.seedSid());
            String id = catalog.itemId(sid);
            if (id == null) {
                TitleMatch near = titles.map(sid);
                throw new BadRequest(BadRequest.Reason.UNKNOWN_ITEM, "seed_sid " + sid + " is not in the catalog"
                        + (near.known() ? "; items sharing its first " + near.matchLevel() + " level(s): " + String.join(" | ", near.titles()) : ""));
            }
            q = q.withSeedItem(id);
        } else if (q.seedItem() != null && catalog.sidOf(q.seedItem()).isEmpty()) {
            throw new BadRequest(BadRequest.Reason.UNKNOWN_ITEM, "seed item '" + q.seedItem() + "' is not in the catalog");
        }
        Map<String, String> where = q.activeWhere();
        attributes.check(where);
        if (!where.isEmpty() && allowed(where).isEmpty()) {
            throw new BadRequest(BadRequest.Reason.BAD_REQUEST, "no catalog item matches all of " + where);
        }
        return r.withQuery(q);
    }

    /** Candidates for resolved requests (see {@link #resolve}), best first, at most {@code k} each. */
    public List<List<Candidate>> recommend(List<RecommendRequest> requests, int k) {
        List<List<Candidate>> out = new ArrayList<>(requests.size());
        for (int i = 0; i < requests.size(); i++) out.add(List.of());
        // requests decoded over the same (sub-)trie share one batched generator run
        Map<Map<String, String>, List<Integer>> seeded = new LinkedHashMap<>();
        Map<Map<String, String>, List<Integer>> byHistory = new LinkedHashMap<>();
        for (int i = 0; i < requests.size(); i++) {
            Query q = requests.get(i).query();
            if (q.hasText()) out.set(i, text(requests.get(i), k));
            else if (q.seedItem() != null) seeded.computeIfAbsent(q.activeWhere(), w -> new ArrayList<>()).add(i);
            else byHistory.computeIfAbsent(q.activeWhere(), w -> new ArrayList<>()).add(i);
        }
        for (Map.Entry<Map<String, String>, List<Integer>> g : seeded.entrySet()) {
            List<List<String>> histories = new ArrayList<>();
            for (int i : g.getValue()) histories.add(List.of(requests.get(i).query().seedItem()));
            List<List<Candidate>> ranked = hybrid.rankWithin(histories, k + 1, allowedOrNull(g.getKey()));
            for (int j = 0; j < ranked.size(); j++) out.set(g.getValue().get(j), ranked.get(j));
        }
        for (Map.Entry<Map<String, String>, List<Integer>> g : byHistory.entrySet()) {
            List<List<String>> histories = new ArrayList<>();
            for (int i : g.getValue()) histories.add(requests.get(i).history());
            Set<String> allowed = allowedOrNull(g.getKey());
            List<List<Candidate>> ranked = hybrid.rankWithin(histories, k, allowed);
            for (int j = 0; j < ranked.size(); j++) {
                RecommendRequest r = requests.get(g.getValue().get(j));
                List<Candidate> list = ranked.get(j);
                if (list.isEmpty()) { // no usable history: the most popular matching items
                    list = hybrid.popularity().mostPopular(new HashSet<>(r.history()), k, allowed == null ? id -> true : allowed::contains);
                }
                out.set(g.getValue().get(j), list);
            }
        }
        return out;
    }

    private List<Candidate> text(RecommendRequest r, int k) {
        TextIndex index = hybrid.textIndex();
        if (index == null) throw new IllegalStateException("this recommender has no text index");
        Set<String> allowed = allowedOrNull(r.query().activeWhere());
        Set<String> recent = new HashSet<>(r.history());
        List<TextIndex.Hit> hits = index.search(embedText.apply(r.query().text()), Math.max(TEXT_CANDIDATES, k + recent.size()),
                id -> !recent.contains(id) && (allowed == null || allowed.contains(id)));
        Map<String, Double> personal = new HashMap<>();
        if (!r.history().isEmpty() && !hits.isEmpty()) {
            Set<String> hitIds = new HashSet<>();
            for (TextIndex.Hit h : hits) hitIds.add(h.itemId());
            for (Candidate c : hybrid.rankWithin(List.of(r.history()), hits.size(), hitIds).get(0)) {
                String id = catalog.itemId(c.sid());
                if (id != null) personal.put(id, c.score());
            }
        }
        double max = Double.NEGATIVE_INFINITY;
        for (TextIndex.Hit h : hits) max = Math.max(max, h.similarity() / TEXT_TEMPERATURE);
        double sum = 0;
        for (TextIndex.Hit h : hits) sum += Math.exp(h.similarity() / TEXT_TEMPERATURE - max);
        double logZ = max + Math.log(sum);
        double floor = personal.values().stream().mapToDouble(Double::doubleValue).min().orElse(0) - 1;
        List<Candidate> out = new ArrayList<>(hits.size());
        for (TextIndex.Hit h : hits) {
            Optional<SemanticId> sid = catalog.sidOf(h.itemId());
            if (sid.isEmpty()) continue;
            double textLogp = h.similarity() / TEXT_TEMPERATURE - logZ;
            double score = personal.isEmpty() ? textLogp
                    : TEXT_WEIGHT * textLogp + (1 - TEXT_WEIGHT) * personal.getOrDefault(h.itemId(), floor);
            out.add(new Candidate(sid.get(), score, Candidate.Source.DENSE, h.similarity()));
        }
        out.sort((a, b) -> Double.compare(b.score(), a.score()));
        return out.size() > k ? List.copyOf(out.subList(0, k)) : out;
    }

    private Set<String> allowedOrNull(Map<String, String> where) {
        return where.isEmpty() ? null : allowed(where);
    }

    /** Catalog items whose attributes match every constraint. */
    Set<String> allowed(Map<String, String> where) {
        return allowedCache.computeIfAbsent(Map.copyOf(where), w -> {
            Set<String> s = new HashSet<>();
            for (String id : attributes.itemIds()) {
                if (attributes.matches(id, w) && catalog.sidOf(id).isPresent()) s.add(id);
            }
            return s;
        });
    }
}
