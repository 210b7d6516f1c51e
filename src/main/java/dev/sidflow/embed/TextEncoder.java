package dev.sidflow.embed;

import ai.djl.MalformedModelException;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.inference.Predictor;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.TranslateException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Embeds text with a pretrained sentence encoder run by DJL's ONNX Runtime engine, fully offline
 * (model and tokenizer come from the classpath, see {@link EncoderFiles}).
 *
 * <p>Texts are sorted by length before batching so a batch pads little, then the batches are
 * shared out to {@code threads} workers, each with its own {@link Predictor} (predictors are not
 * thread-safe; the ONNX session behind them is). Results come back in input order, L2-normalized.
 *
 * <p>Batch composition is fixed by the input list alone, so the same list gives bit-identical
 * vectors whatever the thread count. Note the int8 models quantize activations with one scale per
 * batch tensor: a text's vector can move slightly (~1e-3) with the other texts of its batch.
 */
public final class TextEncoder implements AutoCloseable {

    /**
     * @param encoder   which model
     * @param cacheDir  where model files are extracted
     * @param maxLength max tokens per text (longer texts are truncated)
     * @param batchSize texts per forward pass
     * @param threads   worker threads, one predictor each
     */
    public record Options(KnownEncoder encoder, Path cacheDir, int maxLength, int batchSize, int threads) {
        public Options {
            Objects.requireNonNull(encoder, "encoder");
            Objects.requireNonNull(cacheDir, "cacheDir");
            if (maxLength < 8 || maxLength > encoder.maxPositions()) {
                throw new IllegalArgumentException("maxLength must be in [8, " + encoder.maxPositions() + "]: " + maxLength);
            }
            if (batchSize < 1) throw new IllegalArgumentException("batchSize must be >= 1: " + batchSize);
            if (threads < 1) throw new IllegalArgumentException("threads must be >= 1: " + threads);
        }

        public static Options defaults(KnownEncoder encoder) {
            return new Options(encoder, EncoderFiles.defaultCacheDir(), 256, 32,
                    Math.max(1, Runtime.getRuntime().availableProcessors()));
        }

        public Options withThreads(int t) { return new Options(encoder, cacheDir, maxLength, batchSize, t); }
        public Options withBatchSize(int b) { return new Options(encoder, cacheDir, maxLength, b, threads); }
        public Options withMaxLength(int l) { return new Options(encoder, cacheDir, l, batchSize, threads); }
        public Options withCacheDir(Path d) { return new Options(encoder, d, maxLength, batchSize, threads); }
    }

    private final Options options;
    private final HuggingFaceTokenizer tokenizer;
    private final ZooModel<String[], float[][]> model;

    private TextEncoder(Options options, HuggingFaceTokenizer tokenizer, ZooModel<String[], float[][]> model) {
        this.options = options;
        this.tokenizer = tokenizer;
        this.model = model;
    }

    public static TextEncoder open(KnownEncoder encoder) {
        return open(Options.defaults(encoder));
    }

    public static TextEncoder open(Options options) {
        KnownEncoder enc = options.encoder();
        EncoderFiles files = EncoderFiles.extract(enc, options.cacheDir());
        HuggingFaceTokenizer tokenizer = null;
        try {
            tokenizer = HuggingFaceTokenizer.builder()
                    .optTokenizerPath(files.tokenizer())
                    .optAddSpecialTokens(true)
                    .optTruncation(true)
                    .optPadding(true) // to the longest text of the batch, not to a fixed length
                    .optMaxLength(options.maxLength())
                    .build();
            // The cores are shared out between workers: each session run gets cores/threads threads.
            int intraOp = Math.max(1, Runtime.getRuntime().availableProcessors() / options.threads());
            Criteria<String[], float[][]> criteria = Criteria.builder()
                    .setTypes(String[].class, float[][].class)
                    .optEngine("OnnxRuntime")
                    .optModelPath(files.model())
                    .optModelName("model")
                    .optTranslator(new SentenceTranslator(tokenizer, enc.pooling()))
                    .optOption("intraOpNumThreads", Integer.toString(intraOp))
                    .optOption("interOpNumThreads", "1")
                    .build();
            return new TextEncoder(options, tokenizer, criteria.loadModel());
        } catch (IOException e) {
            if (tokenizer != null) tokenizer.close();
            throw new UncheckedIOException("cannot load encoder " + enc.id() + " from " + files, e);
        } catch (ModelNotFoundException | MalformedModelException e) {
            if (tokenizer != null) tokenizer.close();
            throw new IllegalStateException("cannot load encoder " + enc.id() + " from " + files + ": " + e.getMessage(), e);
        }
    }

    public KnownEncoder encoder() { return options.encoder(); }
    public Options options() { return options; }
    public int dim() { return options.encoder().dim(); }

    /**
     * Cache key of this encoder's output: the model id plus the truncation length, since a
     * different max length can change the vector of a long text.
     */
    public String cacheKey() {
        return options.encoder().id() + "@" + options.maxLength();
    }

    /** One text, alone in its batch. */
    public float[] embed(String text) {
        return embed(List.of(text))[0];
    }

    public float[][] embed(List<String> texts) {
        return embed(texts, null, ProgressListener.NONE);
    }

    /**
     * Embeds texts in input order. Texts already in {@code cache} (may be null) are not recomputed;
     * new vectors are added to it and flushed to its file at the end, even on failure.
     */
    public float[][] embed(List<String> texts, EmbeddingCache cache, ProgressListener progress) {
        if (cache != null && (!cache.encoderKey().equals(cacheKey()) || cache.dim() != dim())) {
            throw new IllegalArgumentException("cache is for " + cache.encoderKey() + " (dim " + cache.dim()
                    + "), encoder is " + cacheKey() + " (dim " + dim() + ")");
        }
        int n = texts.size();
        float[][] out = new float[n][];
        // distinct texts still to compute, each with the positions that want it
        Map<String, List<Integer>> todo = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            String t = Objects.requireNonNull(texts.get(i), "text " + i);
            float[] hit = cache == null ? null : cache.get(t);
            if (hit != null) out[i] = hit.clone();
            else todo.computeIfAbsent(t, k -> new ArrayList<>(1)).add(i);
        }
        long cached = n - todo.values().stream().mapToLong(List::size).sum();
        AtomicLong done = new AtomicLong(cached);
        progress.progress(cached, n);
        if (todo.isEmpty()) return out;

        String[] distinct = todo.keySet().toArray(String[]::new);
        Integer[] order = new Integer[distinct.length];
        for (int i = 0; i < order.length; i++) order[i] = i;
        Arrays.sort(order, Comparator.comparingInt(i -> distinct[i].length())); // stable: ties keep input order
        int batchSize = options.batchSize();
        int batches = (distinct.length + batchSize - 1) / batchSize;
        float[][] vectors = new float[distinct.length][];
        AtomicInteger next = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();

        Runnable worker = () -> {
            try (Predictor<String[], float[][]> predictor = model.newPredictor()) {
                int b;
                while (failure.get() == null && (b = next.getAndIncrement()) < batches) {
                    int from = b * batchSize;
                    int to = Math.min(distinct.length, from + batchSize);
                    String[] batch = new String[to - from];
                    for (int j = from; j < to; j++) batch[j - from] = distinct[order[j]];
                    float[][] result = predictor.predict(batch);
                    long added = 0;
                    for (int j = from; j < to; j++) {
                        float[] v = result[j - from];
                        vectors[order[j]] = v;
                        if (cache != null) cache.put(distinct[order[j]], v);
                        added += todo.get(distinct[order[j]]).size();
                    }
                    progress.progress(done.addAndGet(added), n);
                }
            } catch (TranslateException | RuntimeException e) {
                failure.compareAndSet(null, e);
            }
        };
        try {
            int threads = Math.min(options.threads(), batches);
            List<Thread> workers = new ArrayList<>();
            for (int t = 1; t < threads; t++) {
                Thread th = new Thread(worker, "embed-worker-" + t);
                th.setDaemon(true);
                th.start();
                workers.add(th);
            }
            worker.run(); // the calling thread works too
            for (Thread th : workers) th.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure.compareAndSet(null, e);
        } finally {
            if (cache != null) {
                try {
                    cache.flush();
                } catch (IOException e) {
                    failure.compareAndSet(null, e);
                }
            }
        }
        Throwable f = failure.get();
        if (f != null) throw new IllegalStateException("embedding with " + cacheKey() + " failed: " + f.getMessage(), f);

        Map<String, Integer> index = new HashMap<>(distinct.length * 2);
        for (int i = 0; i < distinct.length; i++) index.put(distinct[i], i);
        for (Map.Entry<String, List<Integer>> e : todo.entrySet()) {
            float[] v = vectors[index.get(e.getKey())];
            for (int pos : e.getValue()) out[pos] = v;
        }
        return out;
    }

    @Override
    public void close() {
        model.close();
        tokenizer.close();
    }

    /** Cosine similarity of two vectors (for normalized vectors: their dot product). */
    public static double cosine(float[] a, float[] b) {
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }
}
