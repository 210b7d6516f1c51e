package dev.sidflow.serve;

import dev.sidflow.model.HybridRanker;
import dev.sidflow.model.generator.TigerGenerator;
import dev.sidflow.model.generator.TigerModel;
import dev.sidflow.model.llmemb.LlmEmbEnsemble;
import dev.sidflow.schema.CatalogItem;
import dev.sidflow.sid.SemanticId;
import dev.sidflow.sid.SidCatalog;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The served recommender over the live catalog: TIGER candidates by constrained beam search over
 * the current SID trie, re-scored and extended by LLMEmb ({@link HybridRanker}). New catalog items
 * are decodable and densely scorable as soon as they are added. Users without a usable history
 * get the popularity fallback.
 */
public final class HybridRecommender implements Recommender {
    private final TigerModel tiger;
    private final LlmEmbEnsemble llmEmb;
    private final HybridRanker ranker;
    private final SidCatalog catalog;
    private final PopularityRecommender fallback;
    private final Function<CatalogItem, float[]> textVector;
    private final String version;
    private final int batchSize;

    /**
     * @param textVector embeds a new item's text with the bundle's encoder (cold start)
     */
    public HybridRecommender(TigerModel tiger, LlmEmbEnsemble llmEmb, HybridRanker ranker, SidCatalog catalog,
                             PopularityRecommender fallback, Function<CatalogItem, float[]> textVector,
                             String version, int batchSize) {
        this.tiger = tiger;
        this.llmEmb = llmEmb;
        this.ranker = ranker;
        this.catalog = catalog;
        this.fallback = fallback;
        this.textVector = textVector;
        this.version = version;
        this.batchSize = batchSize;
    }

    @Override
    public List<List<Candidate>> recommend(List<RecommendRequest> requests, int k) {
        List<List<Integer>> histories = new ArrayList<>();
        List<Integer> modelRows = new ArrayList<>();
        List<RecommendRequest> cold = new ArrayList<>();
        List<Integer> coldRows = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            List<Integer> h = new ArrayList<>();
            for (String id : requests.get(i).history()) {
                Integer idx = ranker.indexOf(id);
                if (idx != null && catalog.sidOf(id).isPresent()) h.add(idx);
            }
            if (h.isEmpty()) {
                cold.add(requests.get(i));
                coldRows.add(i);
            } else {
                histories.add(h);
                modelRows.add(i);
            }
        }
        List<List<Candidate>> out = new ArrayList<>(requests.size());
        for (int i = 0; i < requests.size(); i++) out.add(List.of());
        if (!histories.isEmpty()) {
            // decode over the catalog as it is now: items added since the last batch are valid SIDs
            ranker.setGenerator(new TigerGenerator(tiger, catalog.trieSnapshot(), batchSize));
            List<List<HybridRanker.Ranked>> ranked = ranker.rank(histories, k);
            for (int r = 0; r < ranked.size(); r++) {
                List<Candidate> list = new ArrayList<>(k);
                for (HybridRanker.Ranked item : ranked.get(r)) {
                    SemanticId sid = sidOfIndex(item.item());
                    if (sid == null) continue; // deleted since
                    list.add(new Candidate(sid, item.score(), item.fromGenerator() ? Candidate.Source.HYBRID : Candidate.Source.DENSE));
                }
                out.set(modelRows.get(r), list);
            }
        }
        if (!cold.isEmpty()) {
            List<List<Candidate>> pop = fallback.recommend(cold, k);
            for (int c = 0; c < cold.size(); c++) out.set(coldRows.get(c), pop.get(c));
        }
        return out;
    }

    private final List<String> idsByIndex = new ArrayList<>();
    private final List<AutoCloseable> owned = new ArrayList<>();

    /** Closes {@code resource} (e.g. the cold-start text encoder) with this recommender. */
    public HybridRecommender owning(AutoCloseable resource) {
        owned.add(resource);
        return this;
    }

    private SemanticId sidOfIndex(int idx) {
        return idsByIndex.size() > idx ? catalog.sidOf(idsByIndex.get(idx)).orElse(null) : null;
    }

    /** Registers the ranker's index -> item id table (bundle order, then cold-start order). */
    public HybridRecommender withItemIds(List<String> itemIds) {
        idsByIndex.clear();
        idsByIndex.addAll(itemIds);
        return this;
    }

    @Override
    public void itemAdded(String itemId, SemanticId sid, CatalogItem item) {
        float[] vector = textVector.apply(item);
        int idx = ranker.addItem(itemId, sid, vector);
        while (idsByIndex.size() <= idx) idsByIndex.add(null);
        idsByIndex.set(idx, itemId);
        if (textIndex != null) textIndex.put(itemId, vector);
    }

    @Override
    public void itemRemoved(String itemId) {
        if (textIndex != null) textIndex.remove(itemId);
    }

    private TextIndex textIndex;

    /** Keeps {@code index} current with cold-start items (their text vectors are computed here anyway). */
    public HybridRecommender withTextIndex(TextIndex index) {
        this.textIndex = index;
        return this;
    }

    public TextIndex textIndex() {
        return textIndex;
    }

    /** The popularity ranking used when a request has no usable history. */
    public PopularityRecommender popularity() {
        return fallback;
    }

    /**
     * The hybrid ranking for each history (item ids, oldest first), restricted to {@code allowed}
     * item ids (null: the whole catalog): the generator decodes over a trie of just those items and
     * LLMEmb's candidates are the best allowed ones. A history with no known item gets an empty list.
     */
    public List<List<Candidate>> rankWithin(List<List<String>> histories, int k, java.util.Set<String> allowed) {
        List<List<Integer>> known = new ArrayList<>();
        List<Integer> rows = new ArrayList<>();
        for (int i = 0; i < histories.size(); i++) {
            List<Integer> h = new ArrayList<>();
            for (String id : histories.get(i)) {
                Integer idx = ranker.indexOf(id);
                if (idx != null && catalog.sidOf(id).isPresent()) h.add(idx);
            }
            if (!h.isEmpty()) {
                known.add(h);
                rows.add(i);
            }
        }
        List<List<Candidate>> out = new ArrayList<>(histories.size());
        for (int i = 0; i < histories.size(); i++) out.add(List.of());
        if (known.isEmpty()) return out;
        dev.sidflow.sid.SidTrie trie;
        if (allowed == null) {
            trie = catalog.trieSnapshot();
        } else {
            trie = new dev.sidflow.sid.SidTrie();
            for (String id : allowed) catalog.sidOf(id).ifPresent(sid -> trie.put(sid, id));
        }
        if (trie.size() == 0) return out;
        ranker.setGenerator(new TigerGenerator(tiger, trie.snapshot(), batchSize));
        java.util.function.IntPredicate ok = allowed == null
                ? idx -> sidOfIndex(idx) != null
                : idx -> idx < idsByIndex.size() && idsByIndex.get(idx) != null && allowed.contains(idsByIndex.get(idx));
        List<List<HybridRanker.Ranked>> ranked = ranker.rankWithin(known, k, ok, k);
        for (int r = 0; r < ranked.size(); r++) {
            List<Candidate> list = new ArrayList<>(k);
            for (HybridRanker.Ranked item : ranked.get(r)) {
                SemanticId sid = sidOfIndex(item.item());
                if (sid == null) continue;
                list.add(new Candidate(sid, item.score(), item.fromGenerator() ? Candidate.Source.HYBRID : Candidate.Source.DENSE));
            }
            out.set(rows.get(r), list);
        }
        return out;
    }

    @Override
    public String bundleVersion() {
        return version;
    }

    @Override
    public void close() {
        tiger.close();
        llmEmb.close();
        for (AutoCloseable r : owned) {
            try {
                r.close();
            } catch (Exception e) {
                // closing is best effort: the models are already released
            }
        }
    }
}
