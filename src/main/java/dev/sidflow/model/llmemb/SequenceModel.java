package dev.sidflow.model.llmemb;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.XavierInitializer;

import dev.sidflow.model.NdOps;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.function.Function;

/**
 * A {@link SasRecNet} living in a DJL {@link Model} on one device, with batch encoding of histories
 * and inference (user vectors, item table, dense scores). Shared by {@link SasRec} and {@link LlmEmb}.
 */
final class SequenceModel implements AutoCloseable {
    final SasRecConfig cfg;
    final Model model;
    final SasRecNet net;
    final Device device;
    /** How a batch of input rows is run in inference mode; the trainer swaps in its own parameter store. */
    private Function<NDList, NDList> inference;
    private final ParameterStore inferenceStore;
    /**
     * Frozen weights: the item table computed once. LLMEmb's table is its adapter run over the whole
     * catalog (about 1.7 GFLOP for Video Games), which would otherwise be recomputed on every call.
     */
    private boolean cacheItemTable;
    private NDManager tableManager;
    private NDArray cachedTable;

    SequenceModel(SasRecConfig cfg, ItemTableBlock items, Device device) {
        this.cfg = cfg;
        this.device = device;
        this.model = Model.newInstance("sasrec", device);
        this.net = new SasRecNet(cfg, items);
        model.setBlock(net);
        // Linear weights: Xavier; embeddings carry their own N(0, 0.02); norms: ones/zeros.
        net.setInitializer(new XavierInitializer(), Parameter.Type.WEIGHT);
        this.inferenceStore = new ParameterStore(model.getNDManager(), false);
        this.inference = in -> net.forward(inferenceStore, in, false);
    }

    /** Initialises all parameters (before training from scratch or before loading saved ones). */
    void initialize() {
        net.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, cfg.maxLen()));
    }

    /** Swapping the inference path (training) means the weights move: the item table is no longer cached. */
    void useInference(Function<NDList, NDList> f) {
        this.inference = f;
        cacheItemTable(false);
    }

    /** Computes the item table once and reuses it until the weights change (for loaded, frozen models). */
    void cacheItemTable(boolean on) {
        cacheItemTable = on;
        dropCachedTable();
    }

    boolean cachesItemTable() { return cacheItemTable; }

    private void dropCachedTable() {
        if (tableManager != null) tableManager.close();
        tableManager = null;
        cachedTable = null;
    }

    /** Runs input rows [B, L]: hidden states [B, L, d] and the item table [N+1, d]. */
    private NDList run(NDArray ids) {
        if (!cacheItemTable) return inference.apply(new NDList(ids));
        if (cachedTable == null) {
            tableManager = manager().newSubManager(device);
            try (NDScope scope = new NDScope()) {
                NDArray table = net.items().table(inferenceStore, device, false);
                table.attach(tableManager);
                NDScope.unregister(table);
                cachedTable = table;
            }
        }
        return new NDList(net.encode(inferenceStore, cachedTable, ids), cachedTable);
    }

    NDManager manager() { return model.getNDManager(); }

    /** Right-padded item rows of a batch of histories (each cut to its last maxLen items). */
    record Rows(long[] ids, int batch, int len, int[] lengths) {
        NDArray toNd(NDManager m) { return m.create(ids, new Shape(batch, len)); }

        /** Flat [B*L] indices of each history's last position. */
        long[] lastPositions() {
            long[] out = new long[batch];
            for (int r = 0; r < batch; r++) out[r] = (long) r * len + lengths[r] - 1;
            return out;
        }
    }

    Rows rows(List<List<Integer>> histories) {
        int b = histories.size();
        int len = 1;
        for (List<Integer> h : histories) len = Math.max(len, Math.min(h.size(), cfg.maxLen()));
        long[] ids = new long[b * len];
        int[] lengths = new int[b];
        for (int r = 0; r < b; r++) {
            List<Integer> h = histories.get(r);
            int start = Math.max(0, h.size() - cfg.maxLen());
            int n = h.size() - start;
            for (int t = 0; t < n; t++) {
                int item = h.get(start + t);
                if (item < 0 || item >= cfg.numItems()) {
                    throw new IllegalArgumentException("item index " + item + " outside 0.." + (cfg.numItems() - 1));
                }
                ids[r * len + t] = item + 1L;
            }
            // an empty history is a single padding token: the model still returns a (generic) user vector
            lengths[r] = Math.max(1, n);
        }
        return new Rows(ids, b, len, lengths);
    }

    /** [B, d] user vectors = hidden state at each history's last position. */
    static NDArray lastHidden(NDArray hidden, Rows rows, NDManager m) {
        long d = hidden.getShape().get(2);
        NDArray flat = hidden.reshape(rows.batch() * (long) rows.len(), d);
        return NdOps.rows(flat, m.create(rows.lastPositions()));
    }

    float[][] userEmbeddings(List<List<Integer>> histories) {
        if (histories.isEmpty()) return new float[0][];
        try (NDManager m = manager().newSubManager(device); NDScope scope = new NDScope()) {
            Rows rows = rows(histories);
            NDList out = run(rows.toNd(m));
            return NdOps.toMatrix(lastHidden(out.get(0), rows, m));
        }
    }

    float[][] scores(List<List<Integer>> histories) {
        return scores(histories, null);
    }

    /** Scores over the item table followed by {@code extraItems} (vectors in the item space, may be null), in one pass. */
    float[][] scores(List<List<Integer>> histories, float[][] extraItems) {
        if (histories.isEmpty()) return new float[0][];
        try (NDManager m = manager().newSubManager(device); NDScope scope = new NDScope()) {
            return NdOps.toMatrix(logits(histories, extraItems, m));
        }
    }

    /** As {@link #scores(List, float[][])}, with each row's log-sum-exp computed by the engine. */
    DenseScores scoresWithLogZ(List<List<Integer>> histories, float[][] extraItems) {
        if (histories.isEmpty()) return new DenseScores(new float[0][], new double[0]);
        try (NDManager m = manager().newSubManager(device); NDScope scope = new NDScope()) {
            NDArray logits = logits(histories, extraItems, m);
            NDArray max = logits.max(new int[] {1}, true);
            float[] logZ = logits.sub(max).exp().sum(new int[] {1}).log().add(max.squeeze(1)).toFloatArray();
            double[] z = new double[logZ.length];
            for (int i = 0; i < z.length; i++) z[i] = logZ[i];
            return new DenseScores(NdOps.toMatrix(logits), z);
        }
    }

    /** [B, items (+ extra)] dot products of each history's user vector with the item table and {@code extraItems}. */
    private NDArray logits(List<List<Integer>> histories, float[][] extraItems, NDManager m) {
        Rows rows = rows(histories);
        NDList out = run(rows.toNd(m));
        NDArray user = lastHidden(out.get(0), rows, m);
        NDArray items = out.get(1).get("1:");
        if (extraItems != null && extraItems.length > 0) {
            items = items.concat(m.create(NdOps.flatten(extraItems), new Shape(extraItems.length, cfg.hidden())), 0);
        }
        return user.matMul(items.transpose());
    }

    /** The item table without the padding row: [numItems, d]. */
    float[][] itemEmbeddings() {
        try (NDManager m = manager().newSubManager(device); NDScope scope = new NDScope()) {
            NDList out = run(m.zeros(new Shape(1, 1), DataType.INT64));
            return NdOps.toMatrix(out.get(1).get("1:"));
        }
    }

    /** Copies another model's encoder weights (same sizes) into this one's, after initialisation. */
    void copyEncoderFrom(SequenceModel other) {
        var from = other.net.encoder().getParameters();
        var to = net.encoder().getParameters();
        if (from.size() != to.size()) throw new IllegalArgumentException("encoders differ: " + from.size() + " vs " + to.size() + " parameters");
        for (int i = 0; i < to.size(); i++) {
            if (!from.get(i).getKey().equals(to.get(i).getKey())) {
                throw new IllegalArgumentException("encoders differ at " + to.get(i).getKey() + " / " + from.get(i).getKey());
            }
            NDArray source = from.get(i).getValue().getArray();
            NDArray target = to.get(i).getValue().getArray();
            if (!source.getShape().equals(target.getShape())) throw new IllegalArgumentException("shape of " + to.get(i).getKey() + " differs");
            target.set(source.toFloatArray());
        }
    }

    void saveParameters(OutputStream os) throws IOException {
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(os));
        net.saveParameters(out);
        out.flush();
    }

    void loadParameters(InputStream is) throws IOException {
        dropCachedTable();
        try {
            net.loadParameters(manager(), new DataInputStream(new BufferedInputStream(is)));
        } catch (MalformedModelException e) {
            throw new IOException("saved parameters do not match the model: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        dropCachedTable();
        model.close();
    }
}
