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

    /** @param coldStart null when new items cannot be given SIDs (they are then ignored) */
    public CatalogRecommendationService(Recommender recommender, SidCatalog catalog, ColdStart coldStart, int topK) {
        this.recommender = recommender;
        this.catalog = catalog;
        this.coldStart = coldStart;
        this.topK = topK;
        this.assembler = new RecommendationAssembler(catalog, topK, recommender.bundleVersion());
    }

    @Override
    public List<Recommendation> recommend(List<RecommendRequest> batch) {
        int maxHistory = 0;
        for (RecommendRequest r : batch) maxHistory = Math.max(maxHistory, r.history().size());
        // Over-fetch by the whole history: the assembler drops every history item and still needs K.
        List<List<Candidate>> candidates = recommender.recommend(batch, topK + maxHistory);
        List<Recommendation> out = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) out.add(assembler.assemble(batch.get(i), candidates.get(i)));
        return out;
    }

    @Override
    public void onCatalogItem(CatalogItem item) {
        String id = item.getItemId();
        if (item.getDeleted()) {
            if (catalog.remove(id).isPresent()) recommender.itemRemoved(id);
            return;
        }
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
