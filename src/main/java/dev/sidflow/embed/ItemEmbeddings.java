package dev.sidflow.embed;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One vector per catalog item, row i belonging to {@code itemIds().get(i)}, stored as a flat
 * row-major float array.
 *
 * <p>File (little-endian): magic "SFIE", version, count, dim, encoder id (int length + UTF-8),
 * then count item ids (int length + UTF-8), then count*dim floats.
 */
public final class ItemEmbeddings {
    private static final int MAGIC = 0x45494653; // "SFIE" read little-endian
    private static final int VERSION = 1;

    private final String encoderId;
    private final List<String> itemIds;
    private final int dim;
    private final float[] data;
    private Map<String, Integer> index; // built on first lookup

    public ItemEmbeddings(String encoderId, List<String> itemIds, int dim, float[] data) {
        this.encoderId = Objects.requireNonNull(encoderId, "encoderId");
        this.itemIds = List.copyOf(itemIds);
        if (dim < 1) throw new IllegalArgumentException("dim must be >= 1: " + dim);
        if (data.length != (long) this.itemIds.size() * dim) {
            throw new IllegalArgumentException("data has " + data.length + " floats, expected "
                    + this.itemIds.size() + " x " + dim);
        }
        this.dim = dim;
        this.data = data;
    }

    /** Builds from per-item rows (copied). */
    public static ItemEmbeddings of(String encoderId, List<String> itemIds, float[][] rows) {
        if (rows.length != itemIds.size()) throw new IllegalArgumentException(rows.length + " rows for " + itemIds.size() + " items");
        int dim = rows.length == 0 ? 1 : rows[0].length;
        float[] flat = new float[rows.length * dim];
        for (int i = 0; i < rows.length; i++) {
            if (rows[i].length != dim) throw new IllegalArgumentException("row " + i + " has " + rows[i].length + " dims, not " + dim);
            System.arraycopy(rows[i], 0, flat, i * dim, dim);
        }
        return new ItemEmbeddings(encoderId, itemIds, dim, flat);
    }

    public String encoderId() { return encoderId; }
    public List<String> itemIds() { return itemIds; }
    public int dim() { return dim; }
    public int size() { return itemIds.size(); }
    /** The flat row-major matrix itself (not a copy). */
    public float[] data() { return data; }

    public float[] vector(int row) {
        float[] v = new float[dim];
        System.arraycopy(data, row * dim, v, 0, dim);
        return v;
    }

    /** Row of an item, or -1. */
    public synchronized int indexOf(String itemId) {
        if (index == null) {
            Map<String, Integer> m = new HashMap<>(itemIds.size() * 2);
            for (int i = 0; i < itemIds.size(); i++) m.put(itemIds.get(i), i);
            index = m;
        }
        return index.getOrDefault(itemId, -1);
    }

    public void save(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".part");
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
            byte[] enc = encoderId.getBytes(StandardCharsets.UTF_8);
            out.write(le(16).putInt(MAGIC).putInt(VERSION).putInt(size()).putInt(dim).array());
            writeString(out, enc);
            for (String id : itemIds) writeString(out, id.getBytes(StandardCharsets.UTF_8));
            ByteBuffer chunk = le(4 * 65536);
            for (float f : data) {
                if (!chunk.hasRemaining()) {
                    out.write(chunk.array(), 0, chunk.position());
                    chunk.clear();
                }
                chunk.putFloat(f);
            }
            out.write(chunk.array(), 0, chunk.position());
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    public static ItemEmbeddings load(Path file) throws IOException {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
             DataInputStream in = new DataInputStream(raw)) {
            ByteBuffer h = ByteBuffer.wrap(in.readNBytes(16)).order(ByteOrder.LITTLE_ENDIAN);
            if (h.limit() < 16 || h.getInt() != MAGIC) throw new IOException(file + ": not an item-embeddings file");
            int version = h.getInt();
            if (version != VERSION) throw new IOException(file + ": unsupported item-embeddings version " + version);
            int count = h.getInt();
            int dim = h.getInt();
            if (count < 0 || dim < 1) throw new IOException(file + ": corrupt header (count " + count + ", dim " + dim + ")");
            String encoder = readString(in, file);
            List<String> ids = new ArrayList<>(count);
            for (int i = 0; i < count; i++) ids.add(readString(in, file));
            byte[] bytes = in.readNBytes(Math.multiplyExact(Math.multiplyExact(count, dim), 4));
            if (bytes.length != count * dim * 4) throw new IOException(file + ": truncated (vectors incomplete)");
            float[] data = new float[count * dim];
            ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(data);
            return new ItemEmbeddings(encoder, ids, dim, data);
        }
    }

    private static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static void writeString(OutputStream out, byte[] utf8) throws IOException {
        out.write(le(4).putInt(utf8.length).array());
        out.write(utf8);
    }

    private static String readString(DataInputStream in, Path file) throws IOException {
        byte[] len = in.readNBytes(4);
        if (len.length < 4) throw new EOFException(file + ": truncated");
        int n = ByteBuffer.wrap(len).order(ByteOrder.LITTLE_ENDIAN).getInt();
        if (n < 0 || n > (1 << 20)) throw new IOException(file + ": corrupt string length " + n);
        byte[] b = in.readNBytes(n);
        if (b.length < n) throw new EOFException(file + ": truncated");
        return new String(b, StandardCharsets.UTF_8);
    }
}
