package dev.sidflow.cli;

import java.nio.file.Path;

/** Where sidflow keeps reusable caches: $SIDFLOW_CACHE, else ~/.cache/sidflow. */
final class Caches {
    private Caches() {}

    static Path root() {
        // the same root the encoder files are extracted under
        return dev.sidflow.embed.EncoderFiles.defaultCacheDir().getParent();
    }

    static Path embeddingCache(String encoder) {
        return root().resolve("embeddings").resolve(encoder + ".bin");
    }
}
