package dev.sidflow.bench;

import dev.sidflow.model.generator.TigerConfig;
import dev.sidflow.model.llmemb.LlmEmbConfig;
import dev.sidflow.model.llmemb.SasRecConfig;
import dev.sidflow.sid.SemanticId;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Analytic floating-point operation counts per recommendation, from the model configs. Counts
 * matrix products only (2 FLOPs per multiply-add: projections, attention scores and mixing, FFN,
 * output projection); layer norms, softmax, GELU and embedding lookups are a few percent on top
 * and left out. Matches the code paths: {@code TigerBlock} decodes one new position per beam and
 * SID level over cached keys/values (or, with the cache off, re-runs the whole prefix) and scores
 * only the last position; LLMEmb scores every catalog item by a dot product.
 */
public final class FlopCount {
    private FlopCount() {}

    /** Named parts of one count, in the order they run, and their total. */
    public record Breakdown(Map<String, Double> parts) {
        public double total() {
            return parts.values().stream().mapToDouble(Double::doubleValue).sum();
        }

        /** The part with the largest count. */
        public String largest() {
            return parts.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse("");
        }
    }

    /**
     * TIGER generator per user: one encoder pass over the history, cross-attention keys/values once,
     * then for each SID level a decoder pass over every live beam's prefix and the vocabulary head at
     * its last position.
     *
     * @param beam    beam width (level 1 decodes one row, later levels {@code beam} rows)
     * @param kvCache count the decoder as if earlier positions' keys/values were cached (one new
     *                position per level) instead of recomputed
     */
    public static Breakdown tiger(TigerConfig c, int beam, boolean kvCache) {
        double d = c.dModel();
        double f = c.ffDim();
        double s = c.encoderLength();
        Map<String, Double> parts = new LinkedHashMap<>();
        // per encoder token and layer: Q,K,V,O projections, scores + mixing over S keys, two FFN matmuls
        parts.put("encoder", c.encoderLayers() * s * (8 * d * d + 4 * s * d + 4 * d * f));
        parts.put("cross-attention keys/values", c.decoderLayers() * s * 4 * d * d);
        double decoder = 0;
        double head = 0;
        for (int level = 1; level <= SemanticId.LEVELS; level++) {
            double rows = level == 1 ? 1 : beam;
            double positions = kvCache ? 1 : level;
            // per position and layer: self Q,K,V,O + cross Q,O projections, self-attention over
            // `level` keys, cross-attention over S keys, FFN
            double perPosition = 12 * d * d + 4 * level * d + 4 * s * d + 4 * d * f;
            decoder += rows * positions * c.decoderLayers() * perPosition;
            // the head multiplies by the level's 256 code rows only (the rest of the vocabulary cannot be chosen)
            head += rows * 2 * d * SemanticId.CODEBOOK_SIZE;
        }
        parts.put(kvCache ? "decoder (KV cache)" : "decoder (prefix recomputed)", decoder);
        parts.put("vocabulary head (level codes)", head);
        return new Breakdown(parts);
    }

    /**
     * LLMEmb per user: the SASRec encoder over {@code historyLength} positions, then a dot product
     * with every catalog item. With {@code batchSize > 0} and an uncached item table, the adapter
     * run over the whole catalog on every call is shared by the batch's users.
     *
     * @param historyLength positions the encoder runs over (the padded batch length)
     * @param catalogItems  items scored (the catalog size)
     * @param batchSize     users per call; 0 = item table cached (computed once)
     */
    public static Breakdown llmEmb(LlmEmbConfig c, int historyLength, int catalogItems, int batchSize) {
        double d = c.backbone().hidden();
        Map<String, Double> parts = new LinkedHashMap<>();
        if (batchSize > 0) {
            double adapter = (double) catalogItems * 2 * (c.pcaDim() * (double) c.adapterHidden() + c.adapterHidden() * d);
            parts.put("item adapter over the catalog (per call / batch)", adapter / batchSize);
        }
        sequenceModel(c.backbone(), historyLength, catalogItems, parts);
        return new Breakdown(parts);
    }

    /** ID-SASRec per user: the sequence encoder over {@code historyLength} positions, then a dot product with every catalog item. */
    public static Breakdown sasRec(SasRecConfig c, int historyLength, int catalogItems) {
        Map<String, Double> parts = new LinkedHashMap<>();
        sequenceModel(c, historyLength, catalogItems, parts);
        return new Breakdown(parts);
    }

    private static void sequenceModel(SasRecConfig c, int historyLength, int catalogItems, Map<String, Double> parts) {
        double d = c.hidden();
        double l = Math.min(historyLength, c.maxLen());
        double ff = c.ffDim();
        // per position and layer: Q,K,V,O projections, causal scores + mixing over L keys, FFN d->ff->d
        parts.put("sequence encoder", c.layers() * l * (8 * d * d + 4 * l * d + 4 * d * ff));
        parts.put("catalog scoring", 2 * d * catalogItems);
    }
}
