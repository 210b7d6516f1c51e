package dev.sidflow.serve;

import dev.sidflow.schema.CatalogItem;
import dev.sidflow.schema.Recommendation;
import dev.sidflow.sid.SemanticId;
import dev.sidflow.serve.llm.LlmOutcomes;
import dev.sidflow.serve.llm.LlmProposal;
import dev.sidflow.sid.SidCatalog;
import dev.sidflow.sid.SidTrie;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A recommender behind the live catalog: asks the model for more candidates than needed (some
 * are dropped as recent items), validates and title-maps them, and applies catalog changes:
 * deletions, title updates and new items (given a SID online through {@link ColdStart}).
 */
public final class CatalogRecommendationService implements RecommendationService {
    private static final Logger LOG = LoggerFactory.getLogger(CatalogRecommendationService.class);

    private final Recommender recommender;
    private final SidCatalog catalog;
    private final ColdStart coldStart;
    private final RecommendationAssembler assembler;
    private final int topK;
    private final ItemAttributes attributes;
    /** Answers the request kinds beyond next-item; null when the recommender cannot (popularity only). */
    private final QueryRecommender queries;
    private final AtomicLong llmServed = new AtomicLong();
    private final AtomicLong llmFallbacks = new AtomicLong();
    private final AtomicLong llmInvalid = new AtomicLong();

    /** @param coldStart null when new items cannot be given SIDs (they are then ignored) */
    public CatalogRecommendationService(Recommender recommender, SidCatalog catalog, ColdStart coldStart, int topK) {
        this(recommender, catalog, coldStart, topK, new ItemAttributes(), null);
    }

    /**
     * @param attributes the catalog's item attributes (explanations, attribute-steered requests)
     * @param queries    null when only next-item requests are served
     */
    public CatalogRecommendationService(Recommender recommender, SidCatalog catalog, ColdStart coldStart, int topK,
                                        ItemAttributes attributes, QueryRecommender queries) {
        this.recommender = recommender;
        this.catalog = catalog;
        this.coldStart = coldStart;
        this.topK = topK;
        this.attributes = attributes;
        this.queries = queries;
        this.assembler = new RecommendationAssembler(catalog, topK, recommender.bundleVersion())
                .withExplainer(new Explainer(catalog, attributes));
    }

    @Override
    public List<Recommendation> recommend(List<RecommendRequest> batch) {
        Answer answer = modelCandidates(batch);
        List<Recommendation> out = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) out.add(assembler.assemble(answer.resolved().get(i), answer.candidates().get(i)));
        return out;
    }

    /** The model's candidates per request, and each request as answered (seed resolved; next-item if it went stale). */
    private record Answer(List<RecommendRequest> resolved, List<List<Candidate>> candidates) {}

    private Answer modelCandidates(List<RecommendRequest> batch) {
        int maxHistory = 0;
        for (RecommendRequest r : batch) maxHistory = Math.max(maxHistory, r.history().size());
        // Over-fetch by the whole history: the assembler drops every history item and still needs K.
        int k = topK + maxHistory;
        List<RecommendRequest> resolved = new ArrayList<>(batch.size());
        List<RecommendRequest> next = new ArrayList<>();
        List<Integer> nextRows = new ArrayList<>();
        List<RecommendRequest> asked = new ArrayList<>();
        List<Integer> askedRows = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            RecommendRequest r = batch.get(i);
            if (!r.isNextItem() && queries != null) {
                try {
                    r = queries.resolve(r);
                    asked.add(r);
                    askedRows.add(i);
                } catch (BadRequest e) {
                    // validated before batching; the catalog changed since (seed deleted ...): answer next-item instead
                    LOG.warn("request {} no longer valid ({}); answering next-item", r.requestKey(), e.getMessage());
                    r = r.withQuery(Query.NEXT_ITEM);
                    next.add(r);
                    nextRows.add(i);
                }
            } else {
                next.add(r);
                nextRows.add(i);
            }
            resolved.add(r);
        }
        List<List<Candidate>> candidates = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) candidates.add(List.of());
        if (!next.isEmpty()) {
            List<List<Candidate>> c = recommender.recommend(next, k);
            for (int j = 0; j < c.size(); j++) candidates.set(nextRows.get(j), c.get(j));
        }
        if (!asked.isEmpty()) {
            List<List<Candidate>> c = queries.recommend(asked, k);
            for (int j = 0; j < c.size(); j++) candidates.set(askedRows.get(j), c.get(j));
        }
        return new Answer(resolved, candidates);
    }

    /**
     * LLM proposals first: each proposed SID is checked against the live catalog trie (unknown ones
     * are dropped and counted as invalid); items the request rules out are skipped: the user's
     * recent items, the seed, and for a steered request every item not matching its constraints
     * (the LLM is asked with one constraint at most, and a model may ignore it). The built-in model
     * fills the list up to K, in one batched call for all requests that need it. A request with no
     * valid new proposal falls back to the built-in model entirely.
     */
    @Override
    public List<Recommendation> recommend(List<RecommendRequest> batch, List<LlmProposal> proposals) {
        if (proposals.size() != batch.size()) throw new IllegalArgumentException("one proposal (or null) per request");
        SidTrie trie = catalog.trieSnapshot();
        List<RecommendRequest> answered = new ArrayList<>(batch);
        List<List<Candidate>> candidates = new ArrayList<>(batch.size());
        List<Integer> short_ = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            RecommendRequest r = batch.get(i);
            LlmProposal p = proposals.get(i);
            Set<String> allowed = null;
            if (!r.isNextItem() && queries != null) {
                try {
                    r = queries.resolve(r);
                    Map<String, String> where = r.query().activeWhere();
                    if (!where.isEmpty()) allowed = queries.allowed(where);
                } catch (BadRequest e) {
                    // as in modelCandidates: answered next-item instead, and the LLM was asked another question
                    LOG.warn("request {} no longer valid ({}); answering next-item", r.requestKey(), e.getMessage());
                    r = r.withQuery(Query.NEXT_ITEM);
                    p = null;
                }
                answered.set(i, r);
            }
            List<Candidate> list = p == null ? new ArrayList<>() : leading(p, r, allowed, trie);
            (list.isEmpty() ? llmFallbacks : llmServed).incrementAndGet();
            candidates.add(list);
            if (list.size() < topK) short_.add(i);
        }
        if (!short_.isEmpty()) {
            List<RecommendRequest> sub = new ArrayList<>(short_.size());
            for (int i : short_) sub.add(answered.get(i));
            Answer model = modelCandidates(sub);
            for (int j = 0; j < short_.size(); j++) {
                candidates.get(short_.get(j)).addAll(model.candidates().get(j));
                answered.set(short_.get(j), model.resolved().get(j));
            }
        }
        List<Recommendation> out = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) out.add(assembler.assemble(answered.get(i), candidates.get(i)));
        return out;
    }

    /** The proposal's catalog items the request allows, in the LLM's order, at most K; counts the invalid SIDs. */
    private List<Candidate> leading(LlmProposal p, RecommendRequest r, Set<String> allowed, SidTrie trie) {
        List<Candidate> list = new ArrayList<>();
        long invalid = p.malformed();
        Set<String> excluded = new HashSet<>(r.history());
        if (r.query().seedItem() != null) excluded.add(r.query().seedItem());
        for (SemanticId sid : p.sids()) {
            String item = trie.itemId(sid);
            if (item == null) {
                invalid++;
            } else if (!excluded.contains(item) && (allowed == null || allowed.contains(item)) && list.size() < topK) {
                // rank-based score: the LLM gives an order, not comparable probabilities
                list.add(new Candidate(sid, 1.0 / (list.size() + 1), Candidate.Source.LLM));
            }
        }
        llmInvalid.addAndGet(invalid);
        return list;
    }

    @Override
    public LlmOutcomes llmOutcomes() {
        return new LlmOutcomes(llmServed.get(), llmFallbacks.get(), llmInvalid.get());
    }

    @Override
    public RecommendRequest validate(RecommendRequest request) {
        if (request.isNextItem()) return request;
        if (queries == null) return RecommendationService.super.validate(request);
        return queries.resolve(request);
    }

    public SidCatalog catalog() {
        return catalog;
    }

    public ItemAttributes attributes() {
        return attributes;
    }

    /** The recommender of the request kinds beyond next-item; null when only next-item requests are served. */
    QueryRecommender queries() {
        return queries;
    }

    @Override
    public void onCatalogItem(CatalogItem item) {
        String id = item.getItemId();
        if (queries != null) queries.catalogChanged();
        if (item.getDeleted()) {
            attributes.remove(id);
            if (catalog.remove(id).isPresent()) recommender.itemRemoved(id);
            return;
        }
        attributes.put(item);
        Optional<SemanticId> known = catalog.sidOf(id);
        if (known.isPresent()) {
            catalog.updateTitle(id, item.getTitle());
            return;
        }
        if (coldStart == null) {
            LOG.warn("new item {} ignored: this bundle cannot assign SIDs online", id);
            return;
        }
        int[] codes = coldStart.codes(item);
        SemanticId sid = catalog.add(id, codes[0], codes[1], codes[2], item.getTitle());
        recommender.itemAdded(id, sid, item);
        LOG.info("new item {} '{}' got SID {}", id, item.getTitle(), sid);
    }

    @Override
    public String bundleVersion() {
        return recommender.bundleVersion();
    }

    @Override
    public long[] matchLevelCounts() {
        return assembler.matchLevelCounts();
    }

    public RecommendationAssembler assembler() {
        return assembler;
    }

    @Override
    public void close() throws Exception {
        recommender.close();
    }
}
