package dev.sidflow.model.llmemb;

import dev.sidflow.model.Devices;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sidflow.model.metrics.EvalCase;
import dev.sidflow.model.metrics.Scorer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * ID-based SASRec (Kang &amp; McAuley 2018): learned item and position embeddings, causal
 * self-attention blocks, user vector = last position's hidden state, score = dot product with the
 * (tied) item embedding table.
 */
public final class SasRec implements Scorer, AutoCloseable {
    static final String TYPE = "sasrec";

    /** What config.json holds. */
    record Saved(String type, SasRecConfig backbone) {}

    private final SequenceModel core;
    private final TrainingSummary summary;

    private SasRec(SequenceModel core, TrainingSummary summary) {
        this.core = core;
        this.summary = summary;
    }

    /**
     * Trains from scratch.
     *
     * @param trainSequences chronological item-index sequences (the training part of each user)
     * @param validation     cases for early stopping (history = train part, target = validation item)
     */
    public static SasRec train(SasRecConfig cfg, TrainConfig tc, List<List<Integer>> trainSequences, List<EvalCase> validation) {
        SequenceModel sm = new SequenceModel(cfg, new IdItemTableBlock(cfg.numItems(), cfg.hidden()), Devices.resolve(tc.device()));
        try {
            TrainingSummary s = SequenceTrainer.train(sm, tc, trainSequences, validation, null);
            return new SasRec(sm, s);
        } catch (RuntimeException e) {
            sm.close();
            throw e;
        }
    }

    public SasRecConfig config() { return core.cfg; }

    SequenceModel core() { return core; }

    /** Null for a loaded model. */
    public TrainingSummary trainingSummary() { return summary; }

    @Override public int numItems() { return core.cfg.numItems(); }

    @Override public float[][] scores(List<List<Integer>> histories) { return core.scores(histories); }

    /** Scores and each row's log-sum-exp, for log-probabilities of a few candidates. */
    public DenseScores scoresWithLogZ(List<List<Integer>> histories) { return core.scoresWithLogZ(histories, null); }

    /** [B][hidden] user vectors. */
    public float[][] userEmbeddings(List<List<Integer>> histories) { return core.userEmbeddings(histories); }

    /** [numItems][hidden] item vectors (the vectors LLMEmb aligns to). */
    public float[][] itemEmbeddings() { return core.itemEmbeddings(); }

    public void save(Path dir) throws IOException {
        ModelFiles.save(dir, new Saved(TYPE, core.cfg), core);
    }

    /** @param device cpu, gpu or auto */
    public static SasRec load(Path dir, String device) throws IOException {
        JsonNode node = ModelFiles.readConfig(dir, TYPE);
        SasRecConfig cfg = ModelFiles.JSON.treeToValue(node.get("backbone"), SasRecConfig.class);
        SequenceModel sm = new SequenceModel(cfg, new IdItemTableBlock(cfg.numItems(), cfg.hidden()), Devices.resolve(device));
        try {
            sm.initialize();
            ModelFiles.loadParameters(dir, sm);
            sm.cacheItemTable(true); // a loaded model is frozen
            return new SasRec(sm, null);
        } catch (IOException | RuntimeException e) {
            sm.close();
            throw e;
        }
    }

    @Override
    public void close() { core.close(); }
}
