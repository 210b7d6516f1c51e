package dev.sidflow.model.llmemb;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Adam;
import ai.djl.training.tracker.Tracker;
import dev.sidflow.model.metrics.EvalCase;
import dev.sidflow.model.metrics.EvaluationOptions;
import dev.sidflow.model.metrics.EvaluationResult;
import dev.sidflow.model.metrics.Evaluator;
import dev.sidflow.model.metrics.Scorer;
import dev.sidflow.model.LearningRateSchedule;
import dev.sidflow.model.NdOps;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Trains a {@link SequenceModel} with DJL's training API: next-item prediction at every position,
 * full softmax cross-entropy over all items (plus an optional auxiliary loss on the item table),
 * Adam, early stopping on validation NDCG@10 with patience; the best parameters are kept.
 */
final class SequenceTrainer {
    private static final Logger LOG = LoggerFactory.getLogger(SequenceTrainer.class);

    /** Extra loss on the item table [N+1, d] given the distinct 0-based target items [M] of the batch. */
    interface AuxiliaryLoss {
        NDArray compute(NDArray table, NDArray items);
    }

    private SequenceTrainer() {}

    static TrainingSummary train(SequenceModel sm, TrainConfig tc, List<List<Integer>> trainSequences,
                                 List<EvalCase> validation, AuxiliaryLoss aux) {
        long start = System.nanoTime();
        seed(tc);
        Random random = new Random(tc.seed());
        List<List<Integer>> examples = new ArrayList<>();
        for (List<Integer> s : trainSequences) {
            if (s.size() >= 2) examples.add(s.size() > sm.cfg.maxLen() + 1 ? s.subList(s.size() - sm.cfg.maxLen() - 1, s.size()) : s);
        }
        if (examples.isEmpty()) throw new IllegalArgumentException("no training sequence has 2 or more items");
        List<EvalCase> val = validationSample(validation, tc.validationSample(), random);

        // Adam reads the rate at every update; the schedule moves it with the progress through the budget
        double[] budgetUsed = {0};
        Tracker rate = update -> (float) (tc.learningRate() * tc.schedule().factor(budgetUsed[0]));
        DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.l2Loss()) // the loss is computed below
                .optOptimizer(Adam.builder().optLearningRateTracker(rate).build())
                .optDevices(new ai.djl.Device[] {sm.device});
        TrainingSummary summary;
        try (Trainer trainer = sm.model.newTrainer(config)) {
            // parameters are initialised here (seeded) unless the caller already did, e.g. to fill frozen ones
            if (!sm.net.isInitialized()) sm.initialize();
            sm.useInference(trainer::evaluate);
            double bestNdcg = -1;
            double bestHr = 0;
            int bestEpoch = 0;
            int sinceBest = 0;
            byte[] best = null;
            double trainSeconds = 0;
            int epoch = 0;
            String stop = "max epochs";
            while (epoch < tc.maxEpochs()) {
                epoch++;
                long t0 = System.nanoTime();
                int epochsDone = epoch - 1;
                double loss = runEpoch(sm, trainer, batches(examples, tc.batchSize(), random), aux,
                        share -> budgetUsed[0] = tc.progress(epochsDone + share, (System.nanoTime() - start) / 1e9));
                if (!Double.isFinite(loss)) {
                    throw new IllegalStateException("training diverged (loss " + loss + ") in epoch " + epoch + "; lower the learning rate");
                }
                trainSeconds += (System.nanoTime() - t0) / 1e9;
                boolean last = epoch == tc.maxEpochs();
                if (epoch % tc.evalEvery() != 0 && !last) {
                    LOG.info("epoch {} loss {}", epoch, String.format("%.4f", loss));
                    continue;
                }
                double ndcg = 0;
                double hr = 0;
                if (!val.isEmpty()) {
                    EvaluationResult r = new Evaluator(EvaluationOptions.defaults(), null).evaluateScores(scorer(sm), val);
                    ndcg = r.overall().ndcg(10);
                    hr = r.overall().hr(10);
                }
                LOG.info("epoch {} loss {} val NDCG@10 {} HR@10 {} ({} s){}", epoch, String.format("%.4f", loss),
                        String.format("%.4f", ndcg), String.format("%.4f", hr), String.format("%.1f", (System.nanoTime() - start) / 1e9),
                        tc.schedule() == LearningRateSchedule.CONSTANT ? "" : String.format(", learning rate now %.3g", rate.getNewValue(0)));
                // without validation cases there is nothing to stop on: keep the latest parameters
                if (ndcg > bestNdcg || val.isEmpty()) {
                    bestNdcg = ndcg;
                    bestHr = hr;
                    bestEpoch = epoch;
                    sinceBest = 0;
                    best = snapshot(sm);
                } else if (++sinceBest >= tc.patience()) {
                    stop = "patience";
                    break;
                }
                if (tc.maxTrainingSeconds() > 0 && (System.nanoTime() - start) / 1e9 > tc.maxTrainingSeconds()) {
                    stop = "time budget";
                    break;
                }
            }
            sm.useInference(null);
            if (best != null) restore(sm, best);
            summary = new TrainingSummary(epoch, bestEpoch, bestNdcg, bestHr, (System.nanoTime() - start) / 1e9,
                    trainSeconds / epoch, stop);
        }
        // back to a plain inference parameter store over the (restored) parameters
        ai.djl.training.ParameterStore ps = new ai.djl.training.ParameterStore(sm.manager(), false);
        sm.useInference(in -> sm.net.forward(ps, in, false));
        LOG.info("training done: {}", summary);
        return summary;
    }

    static void seed(TrainConfig tc) {
        Engine.getInstance().setRandomSeed((int) tc.seed());
    }

    private static Scorer scorer(SequenceModel sm) {
        return new Scorer() {
            @Override public int numItems() { return sm.cfg.numItems(); }
            @Override public float[][] scores(List<List<Integer>> histories) { return sm.scores(histories); }
        };
    }

    private static List<EvalCase> validationSample(List<EvalCase> validation, int n, Random random) {
        if (validation == null) return List.of();
        if (n == 0 || validation.size() <= n) return validation;
        List<EvalCase> copy = new ArrayList<>(validation);
        Collections.shuffle(copy, random);
        return List.copyOf(copy.subList(0, n));
    }

    /** Shuffled batches; within windows of 32 batches, sequences of similar length go together to cut padding. */
    private static List<List<List<Integer>>> batches(List<List<Integer>> examples, int batchSize, Random random) {
        List<List<Integer>> order = new ArrayList<>(examples);
        Collections.shuffle(order, random);
        List<List<List<Integer>>> out = new ArrayList<>();
        int window = batchSize * 32;
        for (int w = 0; w < order.size(); w += window) {
            List<List<Integer>> win = new ArrayList<>(order.subList(w, Math.min(order.size(), w + window)));
            win.sort(Comparator.comparingInt(List::size));
            for (int b = 0; b < win.size(); b += batchSize) out.add(win.subList(b, Math.min(win.size(), b + batchSize)));
        }
        Collections.shuffle(out, random);
        return out;
    }

    /** @param afterBatch told the share of the epoch done after each batch (drives the learning-rate schedule) */
    private static double runEpoch(SequenceModel sm, Trainer trainer, List<List<List<Integer>>> batches, SequenceTrainer.AuxiliaryLoss aux,
                                   java.util.function.DoubleConsumer afterBatch) {
        double sum = 0;
        int done = 0;
        for (List<List<Integer>> batch : batches) {
            try (NDManager m = sm.manager().newSubManager(sm.device); NDScope scope = new NDScope()) {
                List<List<Integer>> inputs = new ArrayList<>(batch.size());
                for (List<Integer> s : batch) inputs.add(s.subList(0, s.size() - 1));
                SequenceModel.Rows rows = sm.rows(inputs);
                // every input position predicts the next item
                int count = 0;
                for (List<Integer> s : inputs) count += s.size();
                long[] positions = new long[count];
                long[] targets = new long[count];
                Set<Long> distinct = new LinkedHashSet<>();
                int k = 0;
                for (int r = 0; r < batch.size(); r++) {
                    List<Integer> s = batch.get(r);
                    for (int t = 0; t < s.size() - 1; t++) {
                        positions[k] = (long) r * rows.len() + t;
                        targets[k] = s.get(t + 1);
                        distinct.add(targets[k]);
                        k++;
                    }
                }
                try (GradientCollector gc = trainer.newGradientCollector()) {
                    NDList out = trainer.forward(new NDList(rows.toNd(m)));
                    NDArray hidden = out.get(0);
                    NDArray table = out.get(1);
                    NDArray selected = NdOps.rows(hidden.reshape((long) rows.batch() * rows.len(), sm.cfg.hidden()), m.create(positions));
                    NDArray logits = selected.matMul(table.get("1:").transpose());
                    NDArray loss = NdOps.crossEntropy(logits, m.create(targets));
                    if (aux != null) {
                        long[] items = distinct.stream().mapToLong(Long::longValue).toArray();
                        loss = loss.add(aux.compute(table, m.create(items)));
                    }
                    gc.backward(loss);
                    sum += loss.getFloat();
                }
            }
            trainer.step();
            zeroGradients(sm);
            afterBatch.accept(++done / (double) batches.size());
        }
        return sum / batches.size();
    }

    /**
     * The PyTorch engine accumulates gradients across backward passes and DJL's default gradient
     * collector does not clear them (deepjavalibrary/djl#2024, #2232), so every step clears its own.
     */
    private static void zeroGradients(SequenceModel sm) {
        try (NDScope scope = new NDScope()) {
            for (var p : sm.net.getParameters().values()) {
                NDArray a = p.getArray();
                if (p.requiresGradient() && a.hasGradient()) {
                    NDArray g = a.getGradient();
                    g.subi(g);
                }
            }
        }
    }

    private static byte[] snapshot(SequenceModel sm) {
        try {
            ByteArrayOutputStream bos = new ByteArrayOutputStream();
            sm.saveParameters(bos);
            return bos.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void restore(SequenceModel sm, byte[] params) {
        try {
            sm.loadParameters(new ByteArrayInputStream(params));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
