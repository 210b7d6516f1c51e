package dev.sidflow.serve;

import dev.sidflow.data.Item;
import dev.sidflow.embed.KnownEncoder;
import dev.sidflow.embed.TextEncoder;
import dev.sidflow.model.FusionWeights;
import dev.sidflow.model.HybridRanker;
import dev.sidflow.model.llmemb.SasRecEnsemble;
import dev.sidflow.model.ModelBundle;
import dev.sidflow.model.Devices;
import dev.sidflow.model.generator.TigerModel;
import dev.sidflow.model.llmemb.LlmEmbEnsemble;
import dev.sidflow.quantize.Codebooks;
import dev.sidflow.schema.CatalogItem;
import dev.sidflow.sid.SemanticId;
import dev.sidflow.sid.SidCatalog;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Opens a model bundle as a {@link RecommendationService}: the hybrid recommender over a live
 * catalog, with cold start through the bundle's text encoder and codebooks. Serializable: the
 * stream job ships it to each task, which opens its own copy of the models.
 */
public final class BundleServiceFactory implements RecommendationServiceFactory {
    private final String bundleDir;
    private final String device;
    private final int topK;
    private final int torchThreads;

    public BundleServiceFactory(Path bundleDir, String device, int topK, int torchThreads) {
        this.bundleDir = bundleDir.toAbsolutePath().toString();
        this.device = device;
        this.topK = topK;
        this.torchThreads = torchThreads;
    }

    @Override
    public RecommendationService open() throws Exception {
        return openCatalogService();
    }

    /** The service with its catalog and attributes in reach (for {@code sidflow ask}). */
    public CatalogRecommendationService openCatalogService() throws Exception {
        Devices.cpuThreads(torchThreads);
        ModelBundle bundle = ModelBundle.open(Path.of(bundleDir));
        ModelBundle.Manifest m = bundle.manifest();
        Map<String, SemanticId> sids = bundle.sids();
        SidCatalog catalog = SidCatalog.of(sids, bundle.titles());
        List<String> ids = bundle.itemIds();
        SemanticId[] sidOf = ids.stream().map(sids::get).toArray(SemanticId[]::new);
        TigerModel tiger = bundle.generator(device);
        LlmEmbEnsemble llmEmb = bundle.llmEmbs(device);
        FusionWeights weights = m.fusionWeights();
        // ID-SASRec is loaded only when the bundle's fusion gives it weight
        SasRecEnsemble sasRec = weights.usesSasRec() ? bundle.sasRecs(device) : null;
        HybridRanker ranker = new HybridRanker(null, llmEmb, sasRec, sidOf, ids, weights, m.beam(), m.denseCandidates());
        Codebooks codebooks = bundle.codebooks();
        TextEncoder encoder = TextEncoder.open(KnownEncoder.byId(m.encoder()));
        java.util.function.Function<CatalogItem, float[]> textVector = new LastItemVector(item -> encoder.embed(itemOf(item).embeddingText()));
        HybridRecommender recommender = new HybridRecommender(tiger, llmEmb, ranker, catalog,
                new PopularityRecommender(catalog, bundle.counts(), m.version()), textVector, m.version(), 64)
                .withItemIds(ids).owning(encoder);
        if (sasRec != null) recommender.owning(sasRec);
        TextIndex textIndex = new TextIndex();
        dev.sidflow.embed.ItemEmbeddings vectors = bundle.itemEmbeddings();
        for (int i = 0; i < vectors.size(); i++) textIndex.put(vectors.itemIds().get(i), vectors.vector(i));
        recommender.withTextIndex(textIndex);
        ItemAttributes attributes = ItemAttributes.of(bundle.items());
        QueryRecommender queries = new QueryRecommender(recommender, catalog, attributes, encoder::embed);
        ColdStart coldStart = item -> codebooks.encode(textVector.apply(item));
        return new CatalogRecommendationService(recommender, catalog, coldStart, topK, attributes, queries);
    }

    /**
     * A new catalog item is embedded for its SID (cold start) and then for its dense vector, one call
     * right after the other: the last item's vector is kept so the encoder runs once.
     */
    private static final class LastItemVector implements java.util.function.Function<CatalogItem, float[]> {
        private final java.util.function.Function<CatalogItem, float[]> encode;
        private CatalogItem last;
        private float[] vector;

        LastItemVector(java.util.function.Function<CatalogItem, float[]> encode) {
            this.encode = encode;
        }

        @Override
        public synchronized float[] apply(CatalogItem item) {
            if (item != last) {
                vector = encode.apply(item);
                last = item;
            }
            return vector;
        }
    }

    static Item itemOf(CatalogItem c) {
        return new Item(c.getItemId(), c.getTitle(), c.getText(), c.getBrand(), c.getCategories(), c.getAttributes());
    }
}
