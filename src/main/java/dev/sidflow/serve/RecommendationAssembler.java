package dev.sidflow.serve;

import dev.sidflow.schema.Recommendation;
import dev.sidflow.schema.RecommendationSource;
import dev.sidflow.schema.RecommendedItem;
import dev.sidflow.sid.SemanticId;
import dev.sidflow.sid.SidCatalog;
import dev.sidflow.sid.TitleMapper;
import dev.sidflow.sid.TitleMatch;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Turns model candidates into the published recommendation: validates every SID against the live
 * catalog, maps it to a title (exact, else longest-prefix fallback with its match level), drops
 * items the user just interacted with and duplicates, keeps the top K and stamps the bundle version.
 */
public final class RecommendationAssembler {
    private final SidCatalog catalog;
    private final TitleMapper titles;
    private final int topK;
    private final String bundleVersion;
    /** Count of emitted items per match level 0..4; anything below 4 is an invalid SID. */
    private final AtomicLongArray matchLevels = new AtomicLongArray(SemanticId.LEVELS + 1);
    /** Writes each item's grounded reason; null leaves reasons empty. */
    private Explainer explainer;

    public RecommendationAssembler(SidCatalog catalog, int topK, String bundleVersion) {
        this.catalog = catalog;
        this.titles = TitleMapper.of(catalog, 3);
        this.topK = topK;
        this.bundleVersion = bundleVersion;
    }

    public RecommendationAssembler withExplainer(Explainer explainer) {
        this.explainer = explainer;
        return this;
    }

    public Recommendation assemble(RecommendRequest request, List<Candidate> candidates) {
        Set<String> recent = new HashSet<>(request.history());
        if (request.query().seedItem() != null) recent.add(request.query().seedItem());
        Set<SemanticId> seen = new HashSet<>();
        List<RecommendedItem> items = new ArrayList<>(topK);
        for (Candidate c : candidates) {
            if (items.size() >= topK) break;
            if (!seen.add(c.sid())) continue;
            TitleMatch match = titles.map(c.sid());
            if (match.itemId() != null && recent.contains(match.itemId())) continue;
            matchLevels.incrementAndGet(match.matchLevel());
            items.add(RecommendedItem.newBuilder()
                    .setRank(items.size() + 1)
                    .setItemId(match.itemId())
                    .setSid(c.sid().toString())
                    .setTitle(match.known() ? match.titles().get(0) : TitleMatch.UNKNOWN)
                    .setMatchLevel(match.matchLevel())
                    .setSimilarCount(match.similarCount())
                    .setScore(round(c.score()))
                    .setSource(RecommendationSource.valueOf(c.source().name()))
                    .setReason(explainer == null ? null : explainer.reason(request, match.itemId(), c))
                    .build());
        }
        return Recommendation.newBuilder()
                .setRequestKey(request.requestKey())
                .setUserId(request.userId())
                .setItems(items)
                .setBundleVersion(bundleVersion)
                .setEventTime(Instant.ofEpochMilli(request.eventTime()))
                .setProcessingLatencyMs(0L)
                .build();
    }

    /** Scores are rounded so that replays give byte-identical output whatever the batch composition. */
    static double round(double score) {
        return Math.round(score * 1e6) / 1e6;
    }

    /** Items emitted at each match level (index 0..4) since this assembler was created. */
    public long[] matchLevelCounts() {
        long[] out = new long[matchLevels.length()];
        for (int i = 0; i < out.length; i++) out[i] = matchLevels.get(i);
        return out;
    }

    public SidCatalog catalog() {
        return catalog;
    }
}
