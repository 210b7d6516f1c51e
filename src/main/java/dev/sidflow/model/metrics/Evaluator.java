package dev.sidflow.model.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * Leave-one-out evaluator with full ranking over all items, independent of the model: it takes
 * either a dense {@link Scorer} or a list-producing {@link TopKRecommender}.
 */
public final class Evaluator {
    private final EvaluationOptions options;
    private final LongTail longTail;

    /** @param longTail head/tail split for the breakdown, or null to skip it */
    public Evaluator(EvaluationOptions options, LongTail longTail) {
        this.options = options;
        this.longTail = longTail;
    }

    public EvaluationResult evaluateScores(Scorer scorer, List<EvalCase> cases) {
        return evaluateScores(scorer, cases, n -> {});
    }

    /** @param progress called with the number of cases done after each batch */
    public EvaluationResult evaluateScores(Scorer scorer, List<EvalCase> cases, IntConsumer progress) {
        long start = System.nanoTime();
        Acc acc = new Acc();
        for (int from = 0; from < cases.size(); from += options.batchSize()) {
            List<EvalCase> batch = cases.subList(from, Math.min(cases.size(), from + options.batchSize()));
            float[][] scores = scorer.scores(histories(batch));
            if (scores.length != batch.size()) {
                throw new IllegalStateException("scorer returned " + scores.length + " rows for " + batch.size() + " histories");
            }
            for (int i = 0; i < batch.size(); i++) {
                EvalCase c = batch.get(i);
                float[] row = scores[i];
                if (Float.isNaN(row[c.target()])) throw new IllegalStateException("scorer returned NaN for item " + c.target());
                if (options.maskHistory()) {
                    row = row.clone();
                    for (int h : c.history()) if (h != c.target()) row[h] = Float.NEGATIVE_INFINITY;
                }
                acc.add(c.target(), RankingMetrics.rankOf(row, c.target()));
            }
            progress.accept(from + batch.size());
        }
        return acc.result(System.nanoTime() - start);
    }

    public EvaluationResult evaluateRankedLists(TopKRecommender recommender, List<EvalCase> cases) {
        long start = System.nanoTime();
        Acc acc = new Acc();
        int k = options.maxK();
        for (int from = 0; from < cases.size(); from += options.batchSize()) {
            List<EvalCase> batch = cases.subList(from, Math.min(cases.size(), from + options.batchSize()));
            // with masking, ask for more so that k unmasked items remain
            int ask = k;
            if (options.maskHistory()) for (EvalCase c : batch) ask = Math.max(ask, k + c.history().size());
            List<int[]> lists = recommender.recommend(histories(batch), ask);
            for (int i = 0; i < batch.size(); i++) {
                EvalCase c = batch.get(i);
                int[] list = lists.get(i);
                if (options.maskHistory()) list = unmasked(list, c);
                acc.add(c.target(), RankingMetrics.rankOf(list, c.target()));
            }
        }
        return acc.result(System.nanoTime() - start);
    }

    private static int[] unmasked(int[] list, EvalCase c) {
        java.util.Set<Integer> hist = new java.util.HashSet<>(c.history());
        hist.remove(c.target());
        return java.util.Arrays.stream(list).filter(x -> !hist.contains(x)).toArray();
    }

    private static List<List<Integer>> histories(List<EvalCase> batch) {
        List<List<Integer>> out = new ArrayList<>(batch.size());
        for (EvalCase c : batch) out.add(c.history());
        return out;
    }

    private final class Acc {
        final RankingMetrics all = new RankingMetrics(options.ks());
        final RankingMetrics head = new RankingMetrics(options.ks());
        final RankingMetrics tail = new RankingMetrics(options.ks());

        void add(int target, int rank) {
            all.add(rank);
            if (longTail != null) (longTail.isHead(target) ? head : tail).add(rank);
        }

        EvaluationResult result(long nanos) {
            return new EvaluationResult(all.values(), head.values(), tail.values(), nanos / 1e9);
        }
    }
}
