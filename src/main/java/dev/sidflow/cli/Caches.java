package dev.sidflow.cli;

import java.nio.file.Path;

/** Where sidflow keeps reusable caches: $SIDFLOW_CACHE, else ~/.cache/sidflow. */
final class Caches {
    private Caches() {}

    static Path root() {
        String env = System.getenv("SIDFLOW_CACHE");
        return env != null && !env.isBlank() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".cache", "sidflow");
    }

    static Path embeddingCache(String encoder) {
        return root().resolve("embeddings").resolve(encoder + ".bin");
    }
}
