package dev.sidflow.quantize;

import dev.sidflow.data.Item;
import dev.sidflow.embed.EmbeddingCache;
import dev.sidflow.embed.ItemEmbeddings;
import dev.sidflow.embed.ProgressBar;
import dev.sidflow.embed.TextEncoder;
import dev.sidflow.sid.CollisionStats;
import dev.sidflow.sid.DedupAssigner;
import dev.sidflow.sid.SemanticId;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Gives every catalog item its semantic ID: text embedding, residual k-means into 3 levels, and
 * the 4th (dedup) level for items whose first three codes collide, in catalog order.
 */
public final class SidBuilder {

    /** The SIDs and everything needed to give a new item a SID later without retraining. */
    public record Result(Map<String, SemanticId> sids, ItemEmbeddings embeddings, Codebooks codebooks,
                         QuantizationReport quantization, CollisionStats collisions) {}

    private SidBuilder() {}

    /**
     * @param cacheFile embedding cache file (may be null): re-runs over the same texts are instant
     */
    public static Result build(List<Item> items, TextEncoder encoder, RqKMeans.Config config, Path cacheFile)
            throws IOException {
        List<String> texts = new ArrayList<>(items.size());
        List<String> ids = new ArrayList<>(items.size());
        for (Item item : items) {
            texts.add(item.embeddingText());
            ids.add(item.itemId());
        }
        float[][] vectors;
        try (EmbeddingCache cache = cacheFile == null ? EmbeddingCache.inMemory(encoder.cacheKey(), encoder.dim())
                : EmbeddingCache.open(cacheFile, encoder.cacheKey(), encoder.dim());
             ProgressBar bar = new ProgressBar("embed items", "items")) {
            vectors = encoder.embed(texts, cache, bar);
        }
        ItemEmbeddings embeddings = ItemEmbeddings.of(encoder.encoder().id(), ids, vectors);
        int n = items.size();
        RqKMeans.Result rq;
        try (ProgressBar bar = new ProgressBar("quantize", "levels")) {
            rq = RqKMeans.train(embeddings.data(), n, embeddings.dim(), config, bar);
        }
        QuantizationReport report = QuantizationReport.of(rq.codebooks(), embeddings.data(), n, rq.codes());
        DedupAssigner.Assignment assignment = DedupAssigner.assign(Arrays.asList(rq.codes()));
        Map<String, SemanticId> sids = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) sids.put(ids.get(i), assignment.sids().get(i));
        return new Result(sids, embeddings, rq.codebooks(), report, assignment.stats());
    }
}
