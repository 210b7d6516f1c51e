package dev.sidflow.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.sidflow.embed.ItemEmbeddings;
import dev.sidflow.model.Devices;
import dev.sidflow.model.generator.TigerModel;
import dev.sidflow.model.llmemb.LlmEmb;
import dev.sidflow.model.llmemb.LlmEmbEnsemble;
import dev.sidflow.model.llmemb.SasRecEnsemble;
import dev.sidflow.quantize.Codebooks;
import dev.sidflow.sid.SemanticId;
import dev.sidflow.sid.SidCodec;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A model bundle directory (format documented in models/README.md):
 * <pre>
 * manifest.json            versions, dims, SID config, data fingerprint, fusion weight, metrics
 * catalog.jsonl            one line per item in model index order: itemId, title, sid, count
 * codebooks.bin            residual-quantization codebooks (give new items SIDs online)
 * item-embeddings.bin      frozen text-encoder vectors of the catalog
 * items.jsonl              the catalog's items with brand, categories and attributes (optional; older bundles lack it)
 * generator/               TIGER parameters + config
 * sasrec/                  ID-SASRec baseline parameters + config
 * llmemb/                  LLMEmb parameters + PCA + config
 * </pre>
 */
public final class ModelBundle {
    public static final int FORMAT = 1;
    public static final String MANIFEST = "manifest.json";
    public static final String CATALOG = "catalog.jsonl";
    public static final String CODEBOOKS = "codebooks.bin";
    public static final String ITEM_EMBEDDINGS = "item-embeddings.bin";
    public static final String ITEMS = "items.jsonl";
    public static final String GENERATOR = "generator";
    public static final String SASREC = "sasrec";
    public static final String LLMEMB = "llmemb";
    /** Optional: the instances of each dense member scored as an ensemble ({@link MemberEnsembles}). */
    public static final String ENSEMBLES = "ensembles.json";

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * What manifest.json holds.
     *
     * @param version          unique version of this bundle, stamped on every recommendation
     * @param dataFingerprint  hash of the training data (items and interactions) the bundle was built from
     * @param generatorWeight  the generator's fusion weight (bundles before {@code fusion} existed had only this)
     * @param fusion           fusion weights of the served hybrid, chosen on validation (see {@link HybridRanker})
     * @param metrics          evaluation results by model name (HR@K/NDCG@K ...), may be empty
     */
    public record Manifest(int format, String version, String spec, String dataset, String dataFingerprint,
                           int items, int users, long interactions, String encoder, int embeddingDim,
                           int sidLevels, int codebookSize, double shareUniqueSid, int largestCollisionGroup,
                           int historyLength, int beam, int topK, int denseCandidates, double generatorWeight,
                           FusionWeights fusion, String createdAt, Map<String, Map<String, Double>> metrics) {
        /** The served hybrid's weights; a bundle without {@code fusion} fuses the generator with LLMEmb only. */
        public FusionWeights fusionWeights() {
            return fusion != null ? fusion : FusionWeights.generatorAndLlmEmb(generatorWeight);
        }
    }

    /** One catalog line. */
    public record Entry(String itemId, String title, String sid, long count) {}

    private final Path dir;
    private final Manifest manifest;
    private final List<Entry> catalog;

    private ModelBundle(Path dir, Manifest manifest, List<Entry> catalog) {
        this.dir = dir;
        this.manifest = manifest;
        this.catalog = catalog;
    }

    public static boolean exists(Path dir) {
        return Files.isRegularFile(dir.resolve(MANIFEST));
    }

    public static ModelBundle open(Path dir) throws IOException {
        if (!exists(dir)) {
            throw new IOException("not a model bundle (no " + MANIFEST + "): " + dir + " — build one with `sidflow train`");
        }
        Manifest m = JSON.readValue(dir.resolve(MANIFEST).toFile(), Manifest.class);
        if (m.format() != FORMAT) throw new IOException(dir + ": bundle format " + m.format() + ", this sidflow reads " + FORMAT);
        List<Entry> entries = new ArrayList<>(m.items());
        try (BufferedReader r = Files.newBufferedReader(dir.resolve(CATALOG), StandardCharsets.UTF_8)) {
            String line;
            int n = 0;
            while ((line = r.readLine()) != null) {
                n++;
                if (line.isBlank()) continue;
                try {
                    entries.add(JSON.readValue(line, Entry.class));
                } catch (IOException e) {
                    throw new IOException(dir.resolve(CATALOG) + ":" + n + ": " + e.getMessage(), e);
                }
            }
        }
        if (entries.size() != m.items()) {
            throw new IOException(dir + ": manifest says " + m.items() + " items, catalog has " + entries.size());
        }
        return new ModelBundle(dir, m, List.copyOf(entries));
    }

    /**
     * Re-writes this bundle's manifest with new fusion weights and the test metrics measured since
     * (they replace the rows of the same models; the old hybrid's rows go); the models are untouched.
     * Returns the bundle as re-opened.
     */
    public ModelBundle withFusion(FusionWeights fusion, Map<String, Map<String, Double>> newMetrics) throws IOException {
        Manifest m = manifest;
        Map<String, Map<String, Double>> metrics = new java.util.LinkedHashMap<>();
        if (m.metrics() != null) m.metrics().forEach((k, v) -> { if (!k.startsWith("hybrid")) metrics.put(k, v); });
        metrics.putAll(newMetrics);
        writeManifest(dir, new Manifest(m.format(), m.version(), m.spec(), m.dataset(), m.dataFingerprint(), m.items(), m.users(),
                m.interactions(), m.encoder(), m.embeddingDim(), m.sidLevels(), m.codebookSize(), m.shareUniqueSid(),
                m.largestCollisionGroup(), m.historyLength(), m.beam(), m.topK(), m.denseCandidates(), fusion.generator(), fusion,
                m.createdAt(), metrics));
        return open(dir);
    }

    static void writeManifest(Path dir, Manifest m) throws IOException {
        JSON.writeValue(dir.resolve(MANIFEST).toFile(), m);
    }

    static void writeCatalog(Path dir, List<Entry> entries) throws IOException {
        ObjectMapper compact = new ObjectMapper();
        try (BufferedWriter w = Files.newBufferedWriter(dir.resolve(CATALOG), StandardCharsets.UTF_8)) {
            for (Entry e : entries) {
                w.write(compact.writeValueAsString(e));
                w.newLine();
            }
        }
    }

    public Path dir() { return dir; }
    public Manifest manifest() { return manifest; }
    public List<Entry> catalog() { return catalog; }

    public List<String> itemIds() {
        return catalog.stream().map(Entry::itemId).toList();
    }

    /** SIDs by item id, in model index order. */
    public Map<String, SemanticId> sids() {
        Map<String, SemanticId> out = new LinkedHashMap<>();
        for (Entry e : catalog) out.put(e.itemId(), SidCodec.parse(e.sid()));
        return out;
    }

    public Map<String, String> titles() {
        Map<String, String> out = new LinkedHashMap<>();
        for (Entry e : catalog) out.put(e.itemId(), e.title());
        return out;
    }

    public Map<String, Long> counts() {
        Map<String, Long> out = new LinkedHashMap<>();
        for (Entry e : catalog) out.put(e.itemId(), e.count());
        return out;
    }

    public Codebooks codebooks() throws IOException {
        return Codebooks.load(dir.resolve(CODEBOOKS));
    }

    public ItemEmbeddings itemEmbeddings() throws IOException {
        return ItemEmbeddings.load(dir.resolve(ITEM_EMBEDDINGS));
    }

    /** The catalog's items with their attributes, or an empty list for a bundle built before items.jsonl existed. */
    public List<dev.sidflow.data.Item> items() throws IOException {
        Path file = dir.resolve(ITEMS);
        return Files.isRegularFile(file) ? dev.sidflow.embed.ItemsJsonl.read(file) : List.of();
    }

    public TigerModel generator(String device) throws IOException {
        return TigerModel.load(dir.resolve(GENERATOR), Devices.resolve(device));
    }

    /** What {@value #ENSEMBLES} says; every member alone when the bundle has none. */
    public MemberEnsembles ensembles() throws IOException {
        Path file = dir.resolve(ENSEMBLES);
        if (!Files.isRegularFile(file)) return MemberEnsembles.single();
        MemberEnsembles e;
        try {
            e = JSON.readValue(file.toFile(), MemberEnsembles.class);
        } catch (IOException ex) {
            throw new IOException(file + ": " + ex.getMessage(), ex);
        }
        e.validate(file);
        return e;
    }

    /** Writes {@value #ENSEMBLES}: the bundle then scores each dense member with all its instances. */
    public void writeEnsembles(MemberEnsembles ensembles) throws IOException {
        writeEnsembles(dir, ensembles);
    }

    static void writeEnsembles(Path dir, MemberEnsembles ensembles) throws IOException {
        ensembles.validate(dir.resolve(ENSEMBLES));
        JSON.writeValue(dir.resolve(ENSEMBLES).toFile(), ensembles);
    }

    /** LLMEmb with the bundle's other instances of it, if any ({@value #ENSEMBLES}). */
    public LlmEmbEnsemble llmEmbs(String device) throws IOException {
        return llmEmbsAround(llmEmb(device), device);
    }

    /** {@code primary} (e.g. just retrained) in place of {@value #LLMEMB}, with the bundle's other instances; closes it when loading them fails. */
    public LlmEmbEnsemble llmEmbsAround(LlmEmb primary, String device) throws IOException {
        return new LlmEmbEnsemble(withInstances(primary, ensembles().llmemb(), d -> LlmEmb.load(dir.resolve(d), device)));
    }

    /** ID-SASRec with the bundle's other instances of it, if any ({@value #ENSEMBLES}). */
    public SasRecEnsemble sasRecs(String device) throws IOException {
        return sasRecsAround(sasRec(device), device);
    }

    /** {@code primary} (e.g. just retrained) in place of {@value #SASREC}, with the bundle's other instances; closes it when loading them fails. */
    public SasRecEnsemble sasRecsAround(dev.sidflow.model.llmemb.SasRec primary, String device) throws IOException {
        return new SasRecEnsemble(withInstances(primary, ensembles().sasrec(), d -> dev.sidflow.model.llmemb.SasRec.load(dir.resolve(d), device)));
    }

    private interface InstanceLoader<M> {
        M load(String dir) throws IOException;
    }

    /** {@code primary} followed by the instances in {@code dirs} after the first; everything loaded is closed when one fails. */
    private static <M extends AutoCloseable> List<M> withInstances(M primary, List<String> dirs, InstanceLoader<M> loader) throws IOException {
        List<M> models = new ArrayList<>(List.of(primary));
        try {
            for (String d : dirs.subList(1, dirs.size())) models.add(loader.load(d));
            return models;
        } catch (IOException | RuntimeException e) {
            for (M m : models) {
                try {
                    m.close();
                } catch (Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }

    public LlmEmb llmEmb(String device) throws IOException {
        return LlmEmb.load(dir.resolve(LLMEMB), device);
    }

    public dev.sidflow.model.llmemb.SasRec sasRec(String device) throws IOException {
        return dev.sidflow.model.llmemb.SasRec.load(dir.resolve(SASREC), device);
    }
}
