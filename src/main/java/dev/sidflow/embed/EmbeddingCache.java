package dev.sidflow.embed;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Text embeddings keyed by (encoder key, sha256(text)), kept in memory and appended to a file so
 * that a re-run embeds only new texts.
 *
 * <p>File (little-endian): magic "SFEC", version, dim, encoder key (int length + UTF-8), then
 * records of 32 hash bytes + dim floats. A torn last record (crash mid-write) is dropped on load.
 * Thread-safe.
 */
public final class EmbeddingCache implements AutoCloseable {
    private static final int MAGIC = 0x43454653; // "SFEC" read little-endian
    private static final int VERSION = 1;

    private final Path file; // null: memory only
    private final String encoderKey;
    private final int dim;
    private final Map<ByteBuffer, float[]> vectors = new HashMap<>();
    private final List<ByteBuffer> pending = new ArrayList<>();
    private long validBytes; // file length up to the last complete record

    private EmbeddingCache(Path file, String encoderKey, int dim) {
        this.file = file;
        this.encoderKey = encoderKey;
        this.dim = dim;
    }

    public static EmbeddingCache inMemory(String encoderKey, int dim) {
        return new EmbeddingCache(null, encoderKey, dim);
    }

    /** The cache file for an encoder key inside a directory, e.g. {@code minilm-l6-v2-q@256.cache}. */
    public static Path fileFor(Path dir, String encoderKey) {
        return dir.resolve(encoderKey.replaceAll("[^A-Za-z0-9@._-]", "_") + ".cache");
    }

    /** Opens (or starts) the cache file; fails if it belongs to another encoder or dimension. */
    public static EmbeddingCache open(Path file, String encoderKey, int dim) throws IOException {
        EmbeddingCache cache = new EmbeddingCache(file, encoderKey, dim);
        if (Files.exists(file)) cache.load();
        return cache;
    }

    public String encoderKey() { return encoderKey; }
    public int dim() { return dim; }
    public synchronized int size() { return vectors.size(); }

    public synchronized float[] get(String text) {
        return vectors.get(key(text));
    }

    public synchronized void put(String text, float[] vector) {
        if (vector.length != dim) throw new IllegalArgumentException("vector has " + vector.length + " dims, cache " + dim);
        ByteBuffer k = key(text);
        if (vectors.put(k, vector.clone()) == null) pending.add(k);
    }

    /** Appends the entries added since the last flush to the file. */
    public synchronized void flush() throws IOException {
        if (file == null || pending.isEmpty()) return;
        if (file.getParent() != null) Files.createDirectories(file.getParent());
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            if (validBytes == 0) {
                byte[] keyBytes = encoderKey.getBytes(StandardCharsets.UTF_8);
                ByteBuffer h = ByteBuffer.allocate(16 + keyBytes.length).order(ByteOrder.LITTLE_ENDIAN);
                h.putInt(MAGIC).putInt(VERSION).putInt(dim).putInt(keyBytes.length).put(keyBytes).flip();
                ch.truncate(0);
                ch.position(0);
                while (h.hasRemaining()) ch.write(h);
                validBytes = ch.position();
            }
            ch.truncate(validBytes); // drop a torn record before appending after it
            ch.position(validBytes);
            ByteBuffer buf = ByteBuffer.allocate(recordBytes() * Math.min(pending.size(), 1024)).order(ByteOrder.LITTLE_ENDIAN);
            for (ByteBuffer k : pending) {
                if (buf.remaining() < recordBytes()) {
                    writeAll(ch, buf);
                }
                buf.put(k.duplicate());
                for (float f : vectors.get(k)) buf.putFloat(f);
            }
            writeAll(ch, buf);
            validBytes = ch.position();
        }
        pending.clear();
    }

    private static void writeAll(FileChannel ch, ByteBuffer buf) throws IOException {
        buf.flip();
        while (buf.hasRemaining()) ch.write(buf);
        buf.clear();
    }

    private int recordBytes() {
        return 32 + 4 * dim;
    }

    private void load() throws IOException {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
             DataInputStream in = new DataInputStream(raw)) {
            ByteBuffer h = ByteBuffer.wrap(in.readNBytes(16)).order(ByteOrder.LITTLE_ENDIAN);
            if (h.limit() < 16 || h.getInt() != MAGIC) throw new IOException(file + ": not an embedding cache file");
            int version = h.getInt();
            if (version != VERSION) throw new IOException(file + ": unsupported cache version " + version);
            int fileDim = h.getInt();
            int keyLen = h.getInt();
            if (keyLen < 0 || keyLen > 4096) throw new IOException(file + ": corrupt header");
            String fileKey = new String(in.readNBytes(keyLen), StandardCharsets.UTF_8);
            if (!fileKey.equals(encoderKey) || fileDim != dim) {
                throw new IOException(file + " caches " + fileKey + " (dim " + fileDim + "), not " + encoderKey + " (dim " + dim + ")");
            }
            long pos = 16L + keyLen;
            byte[] rec = new byte[recordBytes()];
            while (true) {
                try {
                    in.readFully(rec);
                } catch (EOFException torn) {
                    break;
                }
                ByteBuffer r = ByteBuffer.wrap(rec).order(ByteOrder.LITTLE_ENDIAN);
                byte[] hash = new byte[32];
                r.get(hash);
                float[] v = new float[dim];
                for (int d = 0; d < dim; d++) v[d] = r.getFloat();
                vectors.put(ByteBuffer.wrap(hash), v);
                pos += rec.length;
            }
            validBytes = pos;
        }
    }

    private static ByteBuffer key(String text) {
        try {
            return ByteBuffer.wrap(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }

    @Override
    public void close() throws IOException {
        flush();
    }
}
