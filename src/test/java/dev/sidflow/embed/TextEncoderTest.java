package dev.sidflow.embed;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class TextEncoderTest {
    private static final List<String> TEXTS = List.of(
            "Xbox wireless controller",
            "controller for Xbox",
            "romantic comedy movie",
            "Nintendo 3DS XL - Black [Old Model]",
            "The Legend of Zelda: Breath of the Wild - Nintendo Switch",
            "Logitech gaming headset with noise-cancelling microphone, 7.1 surround sound");

    /** Every Java-level connection (URLConnection, Socket) asks the default ProxySelector first. */
    private static final List<URI> CONNECTIONS = new ArrayList<>();
    private static ProxySelector previous;

    @TempDir
    static Path cacheDir;

    @BeforeAll
    static void recordNetworkAttempts() {
        previous = ProxySelector.getDefault();
        ProxySelector.setDefault(new ProxySelector() {
            @Override
            public List<Proxy> select(URI uri) {
                synchronized (CONNECTIONS) {
                    CONNECTIONS.add(uri);
                }
                throw new IllegalStateException("network access attempted: " + uri);
            }

            @Override
            public void connectFailed(URI uri, SocketAddress sa, IOException ioe) { }
        });
    }

    @AfterAll
    static void restore() {
        ProxySelector.setDefault(previous);
        assertThat(CONNECTIONS).as("network access attempted").isEmpty();
    }

    private static TextEncoder open(KnownEncoder e, int threads) {
        return TextEncoder.open(new TextEncoder.Options(e, cacheDir, 128, 4, threads));
    }

    @Test
    void similarTextsAreCloserThanUnrelatedOnes() {
        try (TextEncoder enc = open(KnownEncoder.MINILM_L6_V2_Q, 2)) {
            float[][] v = enc.embed(TEXTS);
            double near = TextEncoder.cosine(v[0], v[1]);
            double far = TextEncoder.cosine(v[0], v[2]);
            assertThat(near).isGreaterThan(far + 0.3);
            for (float[] x : v) {
                assertThat(x).hasSize(384);
                assertThat(norm(x)).isCloseTo(1.0, within(1e-5));
            }
            // deterministic, and independent of the thread count
            try (TextEncoder single = open(KnownEncoder.MINILM_L6_V2_Q, 1)) {
                float[][] again = single.embed(TEXTS);
                for (int i = 0; i < v.length; i++) assertThat(again[i]).containsExactly(v[i]);
            }
            assertThat(enc.embed(TEXTS)).isDeepEqualTo(v);
            assertThat(CONNECTIONS).isEmpty();
        }
    }

    @Test
    void batchResultEqualsSingleResultForFp32Model() {
        try (TextEncoder enc = open(KnownEncoder.MINILM_L6_V2, 2)) {
            float[][] batched = enc.embed(TEXTS);
            for (int i = 0; i < TEXTS.size(); i++) {
                float[] single = enc.embed(TEXTS.get(i));
                for (int d = 0; d < single.length; d++) {
                    assertThat(batched[i][d]).as("text %d dim %d", i, d).isCloseTo(single[d], within(1e-5f));
                }
            }
            assertThat(TextEncoder.cosine(batched[0], batched[1])).isGreaterThan(TextEncoder.cosine(batched[0], batched[2]));
        }
    }

    @Test
    void quantizedModelsStayCloseAcrossBatchCompositions() {
        // int8 models quantize activations with one scale per batch: only approximately batch-invariant
        for (KnownEncoder e : List.of(KnownEncoder.MINILM_L6_V2_Q, KnownEncoder.BGE_SMALL_EN_V15_Q)) {
            try (TextEncoder enc = open(e, 1)) {
                float[][] batched = enc.embed(TEXTS);
                double worst = 1;
                for (int i = 0; i < TEXTS.size(); i++) {
                    worst = Math.min(worst, TextEncoder.cosine(batched[i], enc.embed(TEXTS.get(i))));
                }
                System.out.printf("%s: min cosine(batched, alone) = %.5f%n", e.id(), worst);
                assertThat(worst).as(e.id()).isGreaterThan(0.97);
                assertThat(TextEncoder.cosine(batched[0], batched[1])).as(e.id())
                        .isGreaterThan(TextEncoder.cosine(batched[0], batched[2]));
            }
        }
    }

    @Test
    void cacheServesRepeatedTextsAndSurvivesReopen(@TempDir Path dir) throws IOException {
        try (TextEncoder enc = open(KnownEncoder.MINILM_L6_V2_Q, 2)) {
            Path file = EmbeddingCache.fileFor(dir, enc.cacheKey());
            float[][] first;
            try (EmbeddingCache cache = EmbeddingCache.open(file, enc.cacheKey(), enc.dim())) {
                first = enc.embed(TEXTS, cache, ProgressListener.NONE);
                assertThat(cache.size()).isEqualTo(TEXTS.size());
            }
            long bytes = Files.size(file);
            List<long[]> seen = new ArrayList<>();
            try (EmbeddingCache cache = EmbeddingCache.open(file, enc.cacheKey(), enc.dim())) {
                assertThat(cache.size()).isEqualTo(TEXTS.size());
                float[][] again = enc.embed(TEXTS, cache, (done, total) -> seen.add(new long[] {done, total}));
                assertThat(again).isDeepEqualTo(first);
                // all served from the cache: the first progress report is already complete
                assertThat(seen.get(0)).containsExactly(TEXTS.size(), TEXTS.size());
            }
            assertThat(Files.size(file)).isEqualTo(bytes);
        }
    }

    private static double norm(float[] v) {
        double s = 0;
        for (float x : v) s += x * x;
        return Math.sqrt(s);
    }
}
