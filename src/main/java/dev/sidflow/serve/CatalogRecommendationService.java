package dev.sidflow.serve;

import dev.sidflow.schema.CatalogItem;
import dev.sidflow.schema.Recommendation;
import dev.sidflow.sid.SemanticId;
import dev.sidflow.sid.SidCatalog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
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
        List<Recommendation> out = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) out.add(assembler.assemble(resolved.get(i), candidates.get(i)));
        return out;
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
