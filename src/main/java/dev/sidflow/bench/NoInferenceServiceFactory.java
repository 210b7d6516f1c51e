package dev.sidflow.bench;

import dev.sidflow.model.ModelBundle;
import dev.sidflow.serve.Candidate;
import dev.sidflow.serve.CatalogRecommendationService;
import dev.sidflow.serve.RecommendRequest;
import dev.sidflow.serve.RecommendationService;
import dev.sidflow.serve.RecommendationServiceFactory;
import dev.sidflow.serve.Recommender;
import dev.sidflow.sid.SidCatalog;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The served pipeline with the model call taken out: the bundle's live catalog and the same
 * recommendation assembly, but no candidates. Measures what the job costs without inference
 * (the state path: decode, keyed history in RocksDB, batching operator, exactly-once sink).
 */
public final class NoInferenceServiceFactory implements RecommendationServiceFactory {
    private final String bundleDir;
    private final int topK;

    public NoInferenceServiceFactory(Path bundleDir, int topK) {
        this.bundleDir = bundleDir.toAbsolutePath().toString();
        this.topK = topK;
    }

    @Override
    public RecommendationService open() throws Exception {
        ModelBundle bundle = ModelBundle.open(Path.of(bundleDir));
        SidCatalog catalog = SidCatalog.of(bundle.sids(), bundle.titles());
        String version = bundle.manifest().version();
        Recommender none = new Recommender() {
            @Override
            public List<List<Candidate>> recommend(List<RecommendRequest> requests, int k) {
                List<List<Candidate>> out = new ArrayList<>(requests.size());
                for (int i = 0; i < requests.size(); i++) out.add(List.of());
                return out;
            }

            @Override
            public String bundleVersion() {
                return version;
            }
        };
        return new CatalogRecommendationService(none, catalog, null, topK);
    }
}
