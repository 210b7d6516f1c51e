package dev.sidflow.serve;

import dev.sidflow.sid.SemanticId;
import dev.sidflow.sid.SidCatalog;
import dev.sidflow.sid.SidCodec;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The short reason each recommended item carries, built only from facts the service can check:
 * which history item (or the seed) it relates to and how — the SID prefix they share (same
 * semantic cluster at 1..3 levels) and the catalog attributes they share —, the constraints it
 * matches, its text similarity to the request, its popularity, and the model that ranked it.
 * Nothing is generated: every clause is a lookup, so a reason is never invented.
 */
public final class Explainer {
    private static final int MAX_TEXT = 40;
    private static final int MAX_SHARED = 3;

    private final SidCatalog catalog;
    private final ItemAttributes attributes;

    public Explainer(SidCatalog catalog, ItemAttributes attributes) {
        this.catalog = catalog;
        this.attributes = attributes;
    }

    /** The exact token text of a SID's first {@code levels} codes, e.g. {@code <|sid_start|><|sid_12|><|sid_300|>}. */
    public static String prefixText(SemanticId sid, int levels) {
        StringBuilder sb = new StringBuilder(SidCodec.START);
        for (int l = 1; l <= levels; l++) sb.append(SidCodec.token(sid.token(l)));
        return sb.toString();
    }

    public String reason(RecommendRequest request, String itemId, Candidate c) {
        List<String> facts = new ArrayList<>(4);
        Query q = request.query();
        if (!Double.isNaN(c.textSimilarity())) {
            facts.add(String.format(Locale.ROOT, "text similarity %.2f to \"%s\"", c.textSimilarity(), abbreviate(q.text())));
        }
        boolean seeded = q.seedItem() != null;
        List<String> anchors = seeded ? List.of(q.seedItem()) : request.history();
        String anchorFact = itemId == null ? null : anchorFact(anchors, itemId, c.sid(), seeded);
        if (anchorFact != null) {
            facts.add(anchorFact);
        } else if (c.source() == Candidate.Source.POPULARITY) {
            facts.add("popular: " + Math.round(c.score()) + " interactions in the training data"
                    + (request.history().isEmpty() ? "" : "; nothing in your history is known to the model"));
        } else if (seeded) {
            facts.add("ranked after '" + catalog.titleOrId(q.seedItem()) + "' (the seed) by the " + model(c));
        } else if (!request.history().isEmpty() && Double.isNaN(c.textSimilarity())) {
            String last = request.history().get(request.history().size() - 1);
            facts.add("ranked by the " + model(c) + " from your " + request.history().size()
                    + " recent item(s), latest '" + catalog.titleOrId(last) + "'");
        }
        Map<String, String> where = q.activeWhere();
        if (!where.isEmpty() && itemId != null && attributes.matches(itemId, where)) {
            List<String> m = new ArrayList<>();
            where.forEach((k, v) -> m.add(k + "=" + v));
            facts.add("matches " + String.join(", ", m));
        }
        return facts.isEmpty() ? null : String.join("; ", facts);
    }

    /** The history item (or seed) the recommendation is closest to: most shared SID levels, then attributes, then recency. */
    private String anchorFact(List<String> anchors, String itemId, SemanticId sid, boolean seeded) {
        String best = null;
        int bestLevels = 0;
        List<String> bestShared = List.of();
        for (int i = anchors.size() - 1; i >= 0; i--) {
            String a = anchors.get(i);
            if (a.equals(itemId)) continue;
            Optional<SemanticId> as = catalog.sidOf(a);
            if (as.isEmpty()) continue;
            int levels = as.get().sharedLevels(sid);
            if (levels < bestLevels) continue; // attributes only break ties between equal SID levels
            List<String> shared = attributes.shared(a, itemId, MAX_SHARED);
            if (levels > bestLevels || shared.size() > bestShared.size()) {
                best = a;
                bestLevels = levels;
                bestShared = shared;
            }
        }
        if (best == null) return null;
        StringBuilder sb = new StringBuilder("like '").append(catalog.titleOrId(best)).append("'")
                .append(seeded ? " (the seed)" : " (your history)").append(':');
        if (bestLevels > 0) {
            sb.append(" same SID prefix ").append(prefixText(sid, bestLevels))
                    .append(" (").append(bestLevels).append(" of 3 levels)");
        }
        if (!bestShared.isEmpty()) {
            if (bestLevels > 0) sb.append(',');
            sb.append(" shared ").append(String.join(", ", bestShared));
        }
        return sb.toString();
    }

    private static String model(Candidate c) {
        return switch (c.source()) {
            case HYBRID -> "generator + LLMEmb hybrid";
            case DENSE -> "LLMEmb dense model";
            case GENERATOR -> "generator";
            case POPULARITY -> "popularity ranking";
            case LLM -> "LLM backend";
        };
    }

    private static String abbreviate(String text) {
        if (text == null) return "";
        return text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT - 3) + "...";
    }
}
