package dev.sidflow.model;

import dev.sidflow.embed.ProgressBar;
import dev.sidflow.model.metrics.EvalCase;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Chooses the served hybrid's {@link FusionWeights} on validation: every members' outputs are
 * computed once per batch, then every grid point is ranked from them, so the search costs one
 * pass of each model. When asked (and the generator can score the dense members' candidates),
 * every mixed point is tried with and without those scores.
 */
public final class FusionFit {
    private FusionFit() {}

    /** The fusion weights with the best NDCG@10 on a sample of validation users (ties: the earlier grid point). */
    public static FusionWeights choose(HybridRanker ranker, List<EvalCase> validation, double step, int users, PrintStream log) {
        return choose(ranker, validation, step, users, 0, log);
    }

    /**
     * As {@link #choose(HybridRanker, List, double, int, PrintStream)}, among the grid points whose
     * generator weight is at least {@code minGenerator}: a positive minimum keeps the served
     * recommender generative (beam search over the SID trie runs for every request). The best
     * point without the minimum is printed too, so its cost on validation is visible.
     */
    public static FusionWeights choose(HybridRanker ranker, List<EvalCase> validation, double step, int users,
                                       double minGenerator, PrintStream log) {
        return choose(ranker, validation, step, users, minGenerator, false, log);
    }

    /**
     * As above; with {@code tryScoredCandidates} (and a generator that can) every mixed point is also
     * tried with the generator scoring the dense candidates. Off by default: on Video Games it did not
     * pay on validation and made a served call 1.6-2.8x slower (docs/benchmarks.md).
     */
    public static FusionWeights choose(HybridRanker ranker, List<EvalCase> validation, double step, int users,
                                       double minGenerator, boolean tryScoredCandidates, PrintStream log) {
        if (!(minGenerator >= 0 && minGenerator <= 1)) throw new IllegalArgumentException("minimum generator weight must be in [0, 1]: " + minGenerator);
        List<EvalCase> sample = new ArrayList<>(validation);
        Collections.shuffle(sample, new Random(7));
        if (sample.size() > users) sample = sample.subList(0, users);
        List<FusionWeights> grid = new ArrayList<>(FusionWeights.grid(step));
        boolean scored = tryScoredCandidates && ranker.canScoreDenseCandidates();
        if (scored) {
            // the same points again with the generator scoring the dense members' candidates
            for (FusionWeights f : FusionWeights.grid(step)) {
                if (f.usesGenerator() && f.generator() < 1) grid.add(f.withScoredDenseCandidates(true));
            }
        }
        double[] ndcg = new double[grid.size()];
        ProgressBar bar = new ProgressBar("fusion weights", "users", log);
        for (int from = 0; from < sample.size(); from += 64) {
            List<EvalCase> batch = sample.subList(from, Math.min(sample.size(), from + 64));
            List<List<Integer>> histories = batch.stream().map(EvalCase::history).toList();
            HybridRanker.Prepared p = ranker.prepareAll(histories, scored);
            for (int w = 0; w < grid.size(); w++) {
                List<List<HybridRanker.Ranked>> ranked = ranker.fuse(p, 10, grid.get(w));
                for (int i = 0; i < batch.size(); i++) {
                    List<HybridRanker.Ranked> list = ranked.get(i);
                    for (int r = 0; r < list.size(); r++) {
                        if (list.get(r).item() == batch.get(i).target()) {
                            ndcg[w] += 1 / (Math.log(r + 2) / Math.log(2));
                            break;
                        }
                    }
                }
            }
            bar.progress(from + batch.size(), sample.size());
        }
        bar.close();
        int best = -1;
        int bestAny = 0;
        int bestFloor = -1;
        int bestScored = -1;
        for (int w = 0; w < grid.size(); w++) {
            if (ndcg[w] > ndcg[bestAny]) bestAny = w;
            boolean allowed = grid.get(w).generator() >= minGenerator - 1e-9;
            if (allowed && (best < 0 || ndcg[w] > ndcg[best])) best = w;
            if (allowed && !grid.get(w).scoreDenseCandidates() && (bestFloor < 0 || ndcg[w] > ndcg[bestFloor])) bestFloor = w;
            if (allowed && grid.get(w).scoreDenseCandidates() && (bestScored < 0 || ndcg[w] > ndcg[bestScored])) bestScored = w;
        }
        if (best < 0) throw new IllegalArgumentException("no grid point of step " + step + " has a generator weight >= " + minGenerator);
        int n = Math.max(1, sample.size());
        // the corners are the single members: print them with the winner so the gain is visible
        for (int w = 0; w < grid.size(); w++) {
            FusionWeights f = grid.get(w);
            boolean corner = f.generator() == 1 || f.llmEmb() == 1 || f.sasRec() == 1;
            String mark = w == best ? "  <- chosen"
                    : w == bestAny ? "  <- best without the minimum generator weight " + minGenerator
                    : w == bestFloor ? "  <- best without the generator scoring dense candidates"
                    : w == bestScored ? "  <- best with the generator scoring dense candidates" : "";
            if ((corner && !f.scoreDenseCandidates()) || !mark.isEmpty()) log.printf("      %s: validation NDCG@10 %.4f%s%n", f, ndcg[w] / n, mark);
        }
        return grid.get(best);
    }

}
