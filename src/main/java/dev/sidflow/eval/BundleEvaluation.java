package dev.sidflow.eval;

import dev.sidflow.model.FusionWeights;
import dev.sidflow.model.Generator;
import dev.sidflow.model.HybridRanker;
import dev.sidflow.model.MemoizingGenerator;
import dev.sidflow.model.llmemb.LlmEmbEnsemble;
import dev.sidflow.model.llmemb.SasRecEnsemble;
import dev.sidflow.model.metrics.EvaluationOptions;
import dev.sidflow.model.metrics.EvaluationResult;
import dev.sidflow.model.metrics.Evaluator;
import dev.sidflow.model.metrics.LeaveOneOutCases;
import dev.sidflow.model.metrics.LongTail;
import dev.sidflow.model.metrics.MetricValues;
import dev.sidflow.model.metrics.TopKRecommender;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The leave-one-out test evaluation of a bundle's models, as {@code sidflow train --evaluate} and
 * {@code sidflow eval} print it: one row per model, plus the generator and the served hybrid with
 * the user's rolling history dropped from their answers, as the stream serves them.
 */
public final class BundleEvaluation {
    private BundleEvaluation() {}

    /**
     * Leave-one-out test metrics of every model; also stores them by name in {@code metrics}.
     *
     * @param streamedHistory items of rolling history the stream keeps per user (and drops from its
     *                        answers): the hybrid's "as streamed" row drops the last that many
     */
    public static String evaluate(LeaveOneOutCases cases, int numItems, SasRecEnsemble sasRec, LlmEmbEnsemble llmEmb, HybridRanker served,
                                  int streamedHistory, Map<String, Map<String, Double>> metrics) {
        return evaluate(cases, numItems, sasRec, llmEmb, served, streamedHistory, metrics, EVALUATED_MODELS);
    }

    /** What {@link #evaluate} can evaluate, by the names {@code sidflow eval --models} takes. */
    public static final List<String> EVALUATED_MODELS = List.of("popularity", "sasrec", "llmemb", "generator", "hybrid");

    /** Leave-one-out test metrics of the named models (see {@link #EVALUATED_MODELS}). */
    public static String evaluate(LeaveOneOutCases cases, int numItems, SasRecEnsemble sasRec, LlmEmbEnsemble llmEmb, HybridRanker served,
                                  int streamedHistory, Map<String, Map<String, Double>> metrics, java.util.Collection<String> models) {
        for (String name : models) {
            if (!EVALUATED_MODELS.contains(name)) throw new IllegalArgumentException("unknown model '" + name + "'; known: " + EVALUATED_MODELS);
        }
        long[] pop = LongTail.popularity(numItems, cases.trainSequences());
        LongTail tail = LongTail.of(pop, LongTail.DEFAULT_HEAD_FRACTION);
        Evaluator evaluator = new Evaluator(EvaluationOptions.defaults().withBatchSize(64), tail);
        ResultsTable table = new ResultsTable(1, 5, 10);
        record Row(String name, EvaluationResult result) {}
        List<Row> rows = new ArrayList<>();
        if (models.contains("popularity")) rows.add(new Row("popularity", evaluator.evaluateScores(new PopularityRecommender(pop), cases.test())));
        // an ensemble's row is the mean of its instances, as the hybrid scores it
        if (models.contains("sasrec")) rows.add(new Row("ID-SASRec" + instances(sasRec.size()), evaluator.evaluateScores(sasRec, cases.test())));
        if (models.contains("llmemb")) rows.add(new Row("LLMEmb" + instances(llmEmb.size()), evaluator.evaluateScores(llmEmb, cases.test())));
        // the generator row and the hybrid row decode the same users: decode each once
        Generator decoder = served.generator();
        served.setGenerator(new MemoizingGenerator(decoder));
        try {
            if (models.contains("generator")) {
                rows.add(new Row("TIGER generator", evaluator.evaluateRankedLists(topK(served, new FusionWeights(1, 0, 0)), cases.test())));
                // what the same drop rule is worth to a generator alone (its beam is the candidate list)
                rows.add(new Row("TIGER generator, history items dropped", evaluator.evaluateRankedLists(
                        topK(served, new FusionWeights(1, 0, 0)).droppingRecent(streamedHistory), cases.test())));
            }
            FusionWeights w = served.weights();
            if (models.contains("hybrid")) {
                rows.add(new Row(String.format(java.util.Locale.ROOT, "hybrid (served: %.2f gen / %.2f LLMEmb / %.2f SASRec%s)",
                        w.generator(), w.llmEmb(), w.sasRec(), w.scoreDenseCandidates() ? ", gen scores dense" : ""),
                        evaluator.evaluateRankedLists(topK(served, w), cases.test())));
                // the stream drops the items of the user's rolling history from every answer: this row is what it
                // serves, on the same protocol (the evaluator masks nothing; the recommender leaves those items out)
                rows.add(new Row("hybrid, history items dropped (as streamed)",
                        evaluator.evaluateRankedLists(topK(served, w).droppingRecent(streamedHistory), cases.test())));
            }
        } finally {
            served.setGenerator(decoder);
        }
        for (Row r : rows) {
            table.add(r.name(), r.result(), String.format("%.0f s", r.result().seconds()));
            metrics.put(r.name(), flatten(r.result()));
        }
        return table.toMarkdown();
    }

    private static String instances(int n) {
        return n == 1 ? "" : " (ensemble of " + n + ")";
    }

    private static TopKRecommender topK(HybridRanker ranker, FusionWeights weight) {
        return (histories, k) -> {
            HybridRanker.Prepared p = ranker.prepare(histories, weight);
            List<int[]> out = new ArrayList<>(histories.size());
            for (List<HybridRanker.Ranked> list : ranker.fuse(p, k, weight)) {
                out.add(list.stream().mapToInt(HybridRanker.Ranked::item).toArray());
            }
            return out;
        };
    }

    private static Map<String, Double> flatten(EvaluationResult r) {
        Map<String, Double> m = new LinkedHashMap<>();
        put(m, "", r.overall());
        if (r.tail() != null) put(m, "tail.", r.tail());
        return m;
    }

    private static void put(Map<String, Double> m, String prefix, MetricValues v) {
        for (int k : new int[] {1, 5, 10}) {
            m.put(prefix + "HR@" + k, v.hr(k));
            m.put(prefix + "NDCG@" + k, v.ndcg(k));
        }
        m.put(prefix + "users", (double) v.count());
    }

}
