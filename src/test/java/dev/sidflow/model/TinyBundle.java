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
    private static Path dir;
    private static Path data;

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

    private static void build() {
        try {
            Path root = Files.createTempDirectory("sidflow-tiny-bundle");
            data = root.resolve("data");
            Dataset ds = SyntheticData.generate(SyntheticData.Config.of(USERS, ITEMS, 5));
            DatasetStore.write(ds, data);
            ModelSpec spec = ModelSpec.load(Path.of(TinyBundle.class.getResource("/tiny-model.yaml").toURI()));
            Path out = root.resolve("bundle");
            new BundleTrainer(spec, new PrintStream(PrintStream.nullOutputStream())).build(ds, out, null, root.resolve("embeddings.bin"));
            dir = out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
