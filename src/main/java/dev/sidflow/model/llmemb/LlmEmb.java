package dev.sidflow.model.llmemb;

import dev.sidflow.model.Devices;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sidflow.model.metrics.EvalCase;
import dev.sidflow.model.metrics.Scorer;

import dev.sidflow.model.NdOps;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * LLMEmb-style sequential recommender: item embeddings come from frozen text vectors through a
 * trainable adapter, so every item — including one added after training — has an embedding
 * computed from its text alone ({@link #embedNewItem}); that is the cold-start path.
 */
public final class LlmEmb implements Scorer, AutoCloseable {
    static final String TYPE = "llmemb";
    static final String PCA_FILE = "pca.bin";

    /** What config.json holds. */
    record Saved(String type, LlmEmbConfig llmemb) {}

    private final LlmEmbConfig cfg;
    private final Pca pca;
    private final SequenceModel core;
    private final TextAdapterItemTableBlock adapter;
    private final TrainingSummary summary;

    private LlmEmb(LlmEmbConfig cfg, Pca pca, SequenceModel core, TextAdapterItemTableBlock adapter, TrainingSummary summary) {
        this.cfg = cfg;
        this.pca = pca;
        this.core = core;
        this.adapter = adapter;
        this.summary = summary;
    }

    /**
     * Trains the adapter and the backbone.
     *
     * @param textEmbeddings    frozen text-encoder vectors, one row per item [numItems][D]
     * @param idItemEmbeddings  item embeddings of a trained ID-SASRec [numItems][hidden] to align to,
     *                          or null to train without alignment
     */
    public static LlmEmb train(LlmEmbConfig cfg, TrainConfig tc, float[][] textEmbeddings, float[][] idItemEmbeddings,
                               List<List<Integer>> trainSequences, List<EvalCase> validation) {
        if (cfg.initFromSasRec()) throw new IllegalArgumentException("initFromSasRec needs the ID-SASRec itself: use train(.., SasRec, ..)");
        return train(cfg, tc, textEmbeddings, idItemEmbeddings, null, trainSequences, validation);
    }

    /**
     * Trains the adapter and the backbone, aligned to (and with {@link LlmEmbConfig#initFromSasRec}
     * started from) a trained ID-SASRec of the same backbone sizes.
     */
    public static LlmEmb train(LlmEmbConfig cfg, TrainConfig tc, float[][] textEmbeddings, SasRec idModel,
                               List<List<Integer>> trainSequences, List<EvalCase> validation) {
        return train(cfg, tc, textEmbeddings, idModel.itemEmbeddings(), idModel, trainSequences, validation);
    }

    private static LlmEmb train(LlmEmbConfig cfg, TrainConfig tc, float[][] textEmbeddings, float[][] idItemEmbeddings,
                                SasRec idModel, List<List<Integer>> trainSequences, List<EvalCase> validation) {
        SasRecConfig b = cfg.backbone();
        if (cfg.initFromSasRec() && !sameEncoder(b, idModel.config())) {
            throw new IllegalArgumentException("initFromSasRec needs the ID-SASRec's backbone sizes: " + idModel.config() + " vs " + b);
        }
        if (textEmbeddings.length != b.numItems()) {
            throw new IllegalArgumentException("got " + textEmbeddings.length + " text vectors for " + b.numItems() + " items");
        }
        if (idItemEmbeddings != null && (idItemEmbeddings.length != b.numItems() || idItemEmbeddings[0].length != b.hidden())) {
            throw new IllegalArgumentException("ID embeddings must be [" + b.numItems() + " x " + b.hidden() + "]");
        }
        Pca pca = Pca.fit(textEmbeddings, cfg.pcaDim(), tc.seed());
        float[][] reduced = pca.transform(textEmbeddings);
        TextAdapterItemTableBlock adapter = newAdapter(cfg, pca.outputDim());
        SequenceModel sm = new SequenceModel(b, adapter, Devices.resolve(tc.device()));
        try {
            SequenceTrainer.seed(tc);
            sm.initialize();
            adapter.setTextFeatures(NdOps.flatten(reduced));
            if (cfg.idResidual() && idItemEmbeddings != null) adapter.setIdResidual(NdOps.flatten(idItemEmbeddings));
            if (cfg.initFromSasRec()) {
                // begin where the ID model is: its encoder, and no text part until training adds one
                sm.copyEncoderFrom(idModel.core());
                adapter.zeroOutputLayer();
            }
            SequenceTrainer.AuxiliaryLoss align = null;
            if (idItemEmbeddings != null && cfg.alignWeight() > 0) {
                NDArray target = sm.manager().create(NdOps.flatten(idItemEmbeddings), new Shape(b.numItems(), b.hidden()));
                align = alignment(cfg, target);
            }
            TrainingSummary s = SequenceTrainer.train(sm, tc, trainSequences, validation, align);
            return new LlmEmb(cfg, pca, sm, adapter, s);
        } catch (RuntimeException e) {
            sm.close();
            throw e;
        }
    }

    /** Whether two backbones have the same catalog and encoder sizes, so one's weights fit the other. */
    private static boolean sameEncoder(SasRecConfig a, SasRecConfig b) {
        return a.numItems() == b.numItems() && a.maxLen() == b.maxLen() && a.hidden() == b.hidden() && a.heads() == b.heads()
                && a.layers() == b.layers() && a.ffDim() == b.ffDim() && java.util.Objects.equals(a.activation(), b.activation());
    }

    private static TextAdapterItemTableBlock newAdapter(LlmEmbConfig cfg, int textDim) {
        SasRecConfig b = cfg.backbone();
        return new TextAdapterItemTableBlock(b.numItems(), textDim, cfg.adapterHidden(), b.hidden(), cfg.adapterDropout(),
                cfg.idResidual());
    }

    /** Alignment of the adapted embeddings of the batch's target items with their frozen ID embeddings. */
    private static SequenceTrainer.AuxiliaryLoss alignment(LlmEmbConfig cfg, NDArray idTable) {
        return (table, items) -> {
            NDArray adapted = NdOps.rows(table, items.add(1)); // table row 0 is padding
            NDArray target = NdOps.rows(idTable, items);
            NDArray loss;
            if (cfg.alignLoss() == LlmEmbConfig.AlignLoss.MSE) {
                loss = adapted.sub(target).square().mean();
            } else {
                // InfoNCE: each adapted item must pick its own ID embedding among the batch's items
                NDArray logits = NdOps.scale(NdOps.l2Normalize(adapted).matMul(NdOps.l2Normalize(target).transpose()), 1f / cfg.temperature());
                long m = items.getShape().get(0);
                long[] diag = new long[(int) m];
                for (int i = 0; i < m; i++) diag[i] = i;
                loss = NdOps.crossEntropy(logits, items.getManager().create(diag));
            }
            return NdOps.scale(loss, cfg.alignWeight());
        };
    }

    public LlmEmbConfig config() { return cfg; }

    /** Null for a loaded model. */
    public TrainingSummary trainingSummary() { return summary; }

    @Override public int numItems() { return cfg.backbone().numItems(); }

    /**
     * Whether inference computes the adapted item table once and reuses it (on for loaded models).
     * Off recomputes the adapter over the whole catalog on every call: kept for before/after benchmarks.
     */
    public LlmEmb cacheItemTable(boolean on) {
        core.cacheItemTable(on);
        return this;
    }

    @Override public float[][] scores(List<List<Integer>> histories) { return core.scores(histories); }

    /**
     * Scores over the catalog followed by {@code extraItemVectors} (e.g. from {@link #embedNewItems}),
     * with one pass over the histories.
     */
    public float[][] scores(List<List<Integer>> histories, float[][] extraItemVectors) { return core.scores(histories, extraItemVectors); }

    /** As {@link #scores(List, float[][])}, with each row's log-sum-exp (catalog and extra items together). */
    public DenseScores scoresWithLogZ(List<List<Integer>> histories, float[][] extraItemVectors) {
        return core.scoresWithLogZ(histories, extraItemVectors);
    }

    public float[][] userEmbeddings(List<List<Integer>> histories) { return core.userEmbeddings(histories); }

    /** Adapted embeddings of the catalog items [numItems][hidden]. */
    public float[][] itemEmbeddings() { return core.itemEmbeddings(); }

    /** Cold start: the embedding of an item that was not in the catalog at training time, from its text vector. */
    public float[] embedNewItem(float[] textVector) {
        return embedNewItems(new float[][] {textVector})[0];
    }

    public float[][] embedNewItems(float[][] textVectors) {
        if (textVectors.length == 0) return new float[0][];
        float[][] reduced = pca.transform(textVectors);
        try (NDManager m = core.manager().newSubManager(core.device); NDScope scope = new NDScope()) {
            NDArray feats = m.create(NdOps.flatten(reduced), new Shape(reduced.length, pca.outputDim()));
            ParameterStore ps = new ParameterStore(core.manager(), false);
            return NdOps.toMatrix(adapter.adapt(ps, feats, false));
        }
    }

    /** Dot-product scores [B][M] of arbitrary item vectors (e.g. from {@link #embedNewItem}) for each history. */
    public float[][] scoreItems(List<List<Integer>> histories, float[][] itemVectors) {
        float[][] users = userEmbeddings(histories);
        float[][] out = new float[users.length][itemVectors.length];
        for (int u = 0; u < users.length; u++) {
            for (int i = 0; i < itemVectors.length; i++) {
                double s = 0;
                for (int j = 0; j < users[u].length; j++) s += users[u][j] * itemVectors[i][j];
                out[u][i] = (float) s;
            }
        }
        return out;
    }

    public void save(Path dir) throws IOException {
        ModelFiles.save(dir, new Saved(TYPE, cfg), core);
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(dir.resolve(PCA_FILE))))) {
            pca.write(out);
        }
    }

    /** @param device cpu, gpu or auto */
    public static LlmEmb load(Path dir, String device) throws IOException {
        JsonNode node = ModelFiles.readConfig(dir, TYPE);
        LlmEmbConfig cfg = ModelFiles.JSON.treeToValue(node.get("llmemb"), LlmEmbConfig.class);
        Pca pca;
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(dir.resolve(PCA_FILE))))) {
            pca = Pca.read(in);
        }
        TextAdapterItemTableBlock adapter = newAdapter(cfg, pca.outputDim());
        SequenceModel sm = new SequenceModel(cfg.backbone(), adapter, Devices.resolve(device));
        try {
            sm.initialize();
            ModelFiles.loadParameters(dir, sm);
            sm.cacheItemTable(true); // a loaded model is frozen
            return new LlmEmb(cfg, pca, sm, adapter, null);
        } catch (IOException | RuntimeException e) {
            sm.close();
            throw e;
        }
    }

    @Override
    public void close() { core.close(); }
}
