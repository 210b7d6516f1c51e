package dev.sidflow.quantize;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Trained residual-quantization codebooks (plus the optional PCA applied first): encodes any
 * vector of the training dimension into one code per level without retraining.
 *
 * <p>File (little-endian): magic "SFCB", version, levels, size, dim, inputDim, hasPca (int), then
 * if PCA: outputDim, mean[inputDim], components[outputDim*inputDim], scale[outputDim],
 * explainedVariance (double); then levels x size x dim centroid floats.
 */
public final class Codebooks {
    private static final int MAGIC = 0x42434653; // "SFCB" read little-endian
    private static final int VERSION = 1;

    private final Pca pca; // null: codebooks live in the input space
    private final int levels;
    private final int size;
    private final int dim;
    private final float[][] centroids; // [level][size * dim]
    private final float[][] halfNorms;

    public Codebooks(Pca pca, int levels, int size, int dim, float[][] centroids) {
        if (centroids.length != levels) throw new IllegalArgumentException(centroids.length + " codebooks for " + levels + " levels");
        for (float[] c : centroids) {
            if (c.length != size * dim) throw new IllegalArgumentException("codebook has " + c.length + " floats, expected " + size + " x " + dim);
        }
        if (pca != null && pca.outputDim() != dim) throw new IllegalArgumentException("PCA outputs " + pca.outputDim() + " dims, codebooks have " + dim);
        this.pca = pca;
        this.levels = levels;
        this.size = size;
        this.dim = dim;
        this.centroids = centroids;
        this.halfNorms = new float[levels][];
        for (int l = 0; l < levels; l++) halfNorms[l] = KMeans.halfNorms(centroids[l], size, dim);
    }

    public int levels() { return levels; }
    public int size() { return size; }
    /** Dimension the codebooks work in (the PCA output, or the input). */
    public int dim() { return dim; }
    /** Dimension of the vectors {@link #encode} accepts. */
    public int inputDim() { return pca == null ? dim : pca.inputDim(); }
    public Pca pca() { return pca; }

    /** Centroid {@code code} of level {@code level} (1-based), in the working space. */
    public float[] centroid(int level, int code) {
        float[] c = new float[dim];
        System.arraycopy(centroids[level - 1], code * dim, c, 0, dim);
        return c;
    }

    /** Working-space vector: the PCA projection, or a copy of the input. */
    float[] project(float[] vec) {
        if (vec.length != inputDim()) throw new IllegalArgumentException("vector has " + vec.length + " dims, codebooks expect " + inputDim());
        return project(pca, vec);
    }

    static float[] project(Pca pca, float[] vec) {
        return pca == null ? vec.clone() : pca.transform(vec);
    }

    /** Greedy residual encoding: at each level the nearest centroid to what is left. */
    public int[] encode(float[] vec) {
        float[] r = project(vec);
        int[] codes = new int[levels];
        for (int l = 0; l < levels; l++) {
            int c = KMeans.nearest(r, 0, dim, centroids[l], halfNorms[l], size);
            codes[l] = c;
            subtract(r, 0, centroids[l], c * dim, dim);
        }
        return codes;
    }

    /** Encodes every row of a flat row-major matrix. */
    public int[][] encodeAll(float[] data, int n) {
        int in = inputDim();
        int[][] out = new int[n][];
        float[] row = new float[in];
        for (int i = 0; i < n; i++) {
            System.arraycopy(data, i * in, row, 0, in);
            out[i] = encode(row);
        }
        return out;
    }

    /** The vector the first {@code upToLevel} codes stand for, in the input space. */
    public float[] reconstruct(int[] codes, int upToLevel) {
        float[] z = new float[dim];
        for (int l = 0; l < upToLevel; l++) {
            int off = codes[l] * dim;
            for (int d = 0; d < dim; d++) z[d] += centroids[l][off + d];
        }
        return pca == null ? z : pca.inverse(z);
    }

    static void subtract(float[] r, int rOff, float[] c, int cOff, int dim) {
        for (int d = 0; d < dim; d++) r[rOff + d] -= c[cOff + d];
    }

    public void save(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".part");
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
            writeInts(out, MAGIC, VERSION, levels, size, dim, inputDim(), pca == null ? 0 : 1);
            if (pca != null) {
                writeInts(out, pca.outputDim());
                writeFloats(out, pca.mean());
                writeFloats(out, pca.components());
                writeFloats(out, pca.scale());
                out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putDouble(pca.explainedVariance()).array());
            }
            for (float[] c : centroids) writeFloats(out, c);
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    public static Codebooks load(Path file) throws IOException {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
             DataInputStream in = new DataInputStream(raw)) {
            ByteBuffer h = read(in, 28, file);
            if (h.getInt() != MAGIC) throw new IOException(file + ": not a codebooks file");
            int version = h.getInt();
            if (version != VERSION) throw new IOException(file + ": unsupported codebooks version " + version);
            int levels = h.getInt(), size = h.getInt(), dim = h.getInt(), inputDim = h.getInt(), hasPca = h.getInt();
            if (levels < 1 || size < 1 || dim < 1 || inputDim < 1 || levels > 64 || (long) size * dim > 1L << 28) {
                throw new IOException(file + ": corrupt header");
            }
            Pca pca = null;
            if (hasPca != 0) {
                int outDim = read(in, 4, file).getInt();
                if (outDim != dim) throw new IOException(file + ": corrupt PCA header");
                float[] mean = readFloats(in, inputDim, file);
                float[] comps = readFloats(in, outDim * inputDim, file);
                float[] scale = readFloats(in, outDim, file);
                double explained = read(in, 8, file).getDouble();
                pca = new Pca(inputDim, outDim, mean, comps, scale, explained);
            } else if (inputDim != dim) {
                throw new IOException(file + ": corrupt header (input dim differs without PCA)");
            }
            float[][] centroids = new float[levels][];
            for (int l = 0; l < levels; l++) centroids[l] = readFloats(in, size * dim, file);
            return new Codebooks(pca, levels, size, dim, centroids);
        }
    }

    private static void writeInts(OutputStream out, int... values) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : values) b.putInt(v);
        out.write(b.array());
    }

    private static void writeFloats(OutputStream out, float[] values) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        out.write(b.array());
    }

    private static ByteBuffer read(DataInputStream in, int bytes, Path file) throws IOException {
        byte[] b = in.readNBytes(bytes);
        if (b.length < bytes) throw new IOException(file + ": truncated");
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static float[] readFloats(DataInputStream in, int count, Path file) throws IOException {
        float[] f = new float[count];
        read(in, 4 * count, file).asFloatBuffer().get(f);
        return f;
    }
}
