package dev.sidflow.model;

import dev.sidflow.data.Dataset;
import dev.sidflow.data.DatasetStore;
import dev.sidflow.data.SyntheticData;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A real bundle trained on generated data, built once per test JVM and shared by the tests that
 * need trained models (stream ITs, serve tests). Takes well under a minute on 2 cores.
 */
public final class TinyBundle {
    public static final int USERS = 400;
    public static final int ITEMS = 150;
    private static Path root;
    private static Path dir;
    private static Path data;
    private static Path reseeded;

    private TinyBundle() {}

    public static synchronized Path dir() {
        if (dir == null) build();
        return dir;
    }

    /** The canonical data set directory the bundle was trained on. */
    public static synchronized Path data() {
        if (dir == null) build();
        return data;
    }

    /**
     * Another bundle for the same data and catalog, trained with other seeds: other codebooks (so
     * other SIDs), other model weights, another version. What a model upgrade swaps in. Built once
     * per test JVM, from the first bundle's cached text embeddings.
     */
    public static synchronized Path reseeded() {
        if (reseeded == null) {
            dir();
            try {
                String yaml = readSpec().replace("seed: 42", "seed: 7").replace("name: tiny-test", "name: tiny-test-reseeded");
                if (!yaml.contains("seed: 7")) throw new IllegalStateException("tiny-model.yaml has no seed: 42 to change");
                Path specFile = root.resolve("tiny-model-reseeded.yaml");
                Files.writeString(specFile, yaml);
                Path out = root.resolve("bundle-reseeded");
                train(ModelSpec.load(specFile), DatasetStore.read(data), out);
                reseeded = out;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return reseeded;
    }

    private static void build() {
        try {
            root = Files.createTempDirectory("sidflow-tiny-bundle");
            data = root.resolve("data");
            Dataset ds = SyntheticData.generate(SyntheticData.Config.of(USERS, ITEMS, 5));
            DatasetStore.write(ds, data);
            ModelSpec spec = ModelSpec.load(Path.of(TinyBundle.class.getResource("/tiny-model.yaml").toURI()));
            Path out = root.resolve("bundle");
            train(spec, ds, out);
            dir = out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void train(ModelSpec spec, Dataset ds, Path out) throws IOException {
        new BundleTrainer(spec, new PrintStream(PrintStream.nullOutputStream())).build(ds, out, null, root.resolve("embeddings.bin"));
    }

    private static String readSpec() throws IOException {
        try (var in = TinyBundle.class.getResourceAsStream("/tiny-model.yaml")) {
            if (in == null) throw new IOException("tiny-model.yaml is not on the test class path");
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }
}
