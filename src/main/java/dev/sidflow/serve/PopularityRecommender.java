package dev.sidflow.serve;

import dev.sidflow.sid.SemanticId;
import dev.sidflow.sid.SidCatalog;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Most popular items the user has not just interacted with. The fallback for users without a
 * usable history and the baseline every model must beat.
 */
public final class PopularityRecommender implements Recommender {
    private final SidCatalog catalog;
    private final List<String> ranked;
    private final Map<String, Long> counts;
    private final String version;

    public PopularityRecommender(SidCatalog catalog, Map<String, Long> counts, String version) {
        this.catalog = catalog;
        this.counts = Map.copyOf(counts);
        List<String> ids = new ArrayList<>(counts.keySet());
        // ties broken by item id so results are deterministic
        ids.sort(Comparator.<String>comparingLong(counts::get).reversed().thenComparing(Comparator.naturalOrder()));
        this.ranked = ids;
        this.version = version;
    }

    @Override
    public List<List<Candidate>> recommend(List<RecommendRequest> requests, int k) {
        List<List<Candidate>> out = new ArrayList<>(requests.size());
        for (RecommendRequest r : requests) {
            Set<String> recent = new HashSet<>(r.history());
            List<Candidate> list = new ArrayList<>(k);
            for (String id : ranked) {
                if (list.size() >= k) break;
                if (recent.contains(id)) continue;
                Optional<SemanticId> sid = catalog.sidOf(id);
                if (sid.isEmpty()) continue; // deleted since training
                list.add(new Candidate(sid.get(), counts.get(id), Candidate.Source.POPULARITY));
            }
            out.add(list);
        }
        return out;
    }

    /** The most popular items {@code allowed} accepts, leaving out {@code exclude}. */
    public List<Candidate> mostPopular(Set<String> exclude, int k, java.util.function.Predicate<String> allowed) {
        List<Candidate> list = new ArrayList<>(k);
        for (String id : ranked) {
            if (list.size() >= k) break;
            if (exclude.contains(id) || !allowed.test(id)) continue;
            Optional<SemanticId> sid = catalog.sidOf(id);
            if (sid.isEmpty()) continue;
            list.add(new Candidate(sid.get(), counts.get(id), Candidate.Source.POPULARITY));
        }
        return list;
    }

    @Override
    public String bundleVersion() {
        return version;
    }
}
