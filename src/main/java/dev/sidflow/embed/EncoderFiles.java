package dev.sidflow.embed;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Extracts an encoder's ONNX model and tokenizer from the classpath into a cache directory, because
 * both ONNX Runtime and the HF tokenizer want a file path. Extraction happens once per encoder
 * (a file whose size matches the resource is reused).
 */
public record EncoderFiles(Path model, Path tokenizer) {

    /** Default cache: {@code $SIDFLOW_CACHE/encoders} or {@code ~/.cache/sidflow/encoders}. */
    public static Path defaultCacheDir() {
        String env = System.getenv("SIDFLOW_CACHE");
        Path base = env != null && !env.isBlank()
                ? Path.of(env)
                : Path.of(System.getProperty("user.home"), ".cache", "sidflow");
        return base.resolve("encoders");
    }

    public static EncoderFiles extract(KnownEncoder encoder, Path cacheDir) {
        Path dir = cacheDir.resolve(encoder.id());
        try {
            Files.createDirectories(dir);
            return new EncoderFiles(
                    extractResource(encoder.modelResource(), dir.resolve("model.onnx")),
                    extractResource(encoder.tokenizerResource(), dir.resolve("tokenizer.json")));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract encoder " + encoder.id() + " to " + dir, e);
        }
    }

    private static Path extractResource(String resource, Path target) throws IOException {
        URL url = EncoderFiles.class.getClassLoader().getResource(resource);
        if (url == null) {
            throw new IOException("resource " + resource + " not on the classpath (is the langchain4j embeddings jar there?)");
        }
        URLConnection conn = url.openConnection(); // a jar: URL, never the network
        long size = conn.getContentLengthLong();
        if (Files.isRegularFile(target) && size >= 0 && Files.size(target) == size) return target;
        Path tmp = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".part");
        try (InputStream in = conn.getInputStream()) {
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            // atomic: a concurrent or interrupted extraction never leaves a half-written model behind
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return target;
    }
}
