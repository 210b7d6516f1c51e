package dev.sidflow.cli;

import dev.sidflow.data.Item;
import dev.sidflow.embed.EmbeddingCache;
import dev.sidflow.embed.EncoderFiles;
import dev.sidflow.embed.ItemEmbeddings;
import dev.sidflow.embed.ItemsJsonl;
import dev.sidflow.embed.KnownEncoder;
import dev.sidflow.embed.ProgressBar;
import dev.sidflow.embed.TextEncoder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code sidflow embed}: one sentence-encoder vector per catalog item. */
@Command(name = "embed", mixinStandardHelpOptions = true,
        description = {"Embeds every item of a data set with a pretrained sentence encoder (offline, ONNX Runtime).",
                "Writes the item-embeddings file; vectors are cached by text, so re-runs only embed new texts."})
public final class EmbedCommand implements Callable<Integer> {

    @Option(names = "--data", required = true, paramLabel = "DIR", description = "Data set directory containing items.jsonl.")
    Path data;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Item-embeddings file to write.")
    Path out;

    @Option(names = "--encoder", defaultValue = "minilm-l6-v2-q", paramLabel = "NAME",
            description = "minilm-l6-v2-q, minilm-l6-v2 or bge-small-en-v15-q (default: ${DEFAULT-VALUE}).")
    String encoder;

    @Option(names = "--batch-size", defaultValue = "32", description = "Texts per forward pass (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--threads", description = "Worker threads (default: all cores).")
    Integer threads;

    @Option(names = "--max-length", defaultValue = "256", description = "Max tokens per text; longer texts are truncated (default: ${DEFAULT-VALUE}).")
    int maxLength;

    @Option(names = "--cache-dir", paramLabel = "DIR",
            description = "Where model files and the embedding cache live (default: $SIDFLOW_CACHE or ~/.cache/sidflow).")
    Path cacheDir;

    @Option(names = "--no-cache", description = "Neither read nor write the embedding cache.")
    boolean noCache;

    @Override
    public Integer call() throws Exception {
        Path items = data.resolve("items.jsonl");
        if (!Files.isRegularFile(items)) throw new IllegalArgumentException("no items.jsonl in " + data);
        List<Item> catalog = ItemsJsonl.read(items);
        if (catalog.isEmpty()) throw new IllegalArgumentException(items + " has no items");
        KnownEncoder enc = KnownEncoder.byId(encoder);
        Path base = cacheDir != null ? cacheDir : EncoderFiles.defaultCacheDir().getParent();
        TextEncoder.Options opts = new TextEncoder.Options(enc, base.resolve("encoders"), maxLength, batchSize,
                threads != null ? threads : Math.max(1, Runtime.getRuntime().availableProcessors()));
        List<String> texts = catalog.stream().map(Item::embeddingText).toList();
        long start = System.nanoTime();
        float[][] vectors;
        try (TextEncoder te = TextEncoder.open(opts)) {
            EmbeddingCache cache = noCache ? null
                    : EmbeddingCache.open(EmbeddingCache.fileFor(base.resolve("embeddings"), te.cacheKey()), te.cacheKey(), te.dim());
            int cachedBefore = cache == null ? 0 : cache.size();
            try (ProgressBar bar = new ProgressBar("embed " + enc.id(), "items")) {
                vectors = te.embed(texts, cache, bar);
            }
            double secs = (System.nanoTime() - start) / 1e9;
            ItemEmbeddings emb = ItemEmbeddings.of(te.cacheKey(), catalog.stream().map(Item::itemId).toList(), vectors);
            emb.save(out);
            String computed = cache == null ? "" : String.format(Locale.ROOT, " (%d new distinct texts encoded, the rest from the cache)",
                    cache.size() - cachedBefore);
            System.out.printf(Locale.ROOT, "embedded %d items%s with %s in %.1f s (%.1f items/s); wrote %s%n",
                    texts.size(), computed, te.cacheKey(), secs, texts.size() / secs, out);
        }
        return 0;
    }
}
