package dev.sidflow.model.metrics;

import dev.sidflow.data.LeaveOneOut;
import dev.sidflow.eval.PopularityRecommender;
import dev.sidflow.eval.ResultsTable;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class EvaluatorTest {
    static double log2(double x) { return Math.log(x) / Math.log(2); }

    /** A fixed score table: history of length n gets row n (a test double implementing the interface). */
    record TableScorer(float[][] rows) implements Scorer {
        @Override public int numItems() { return rows[0].length; }
        @Override public float[][] scores(List<List<Integer>> histories) {
            float[][] out = new float[histories.size()][];
            for (int i = 0; i < out.length; i++) out[i] = rows[histories.get(i).size()].clone();
            return out;
        }
    }

    @Test
    void hitRatioAndNdcgOnHandComputedRanks() {
        RankingMetrics m = new RankingMetrics(1, 5, 10);
        for (int rank : new int[] {0, 1, 4, 12}) m.add(rank);
        m.add(RankingMetrics.MISS);
        MetricValues v = m.values();
        assertThat(v.count()).isEqualTo(5);
        assertThat(v.hr(1)).isEqualTo(1.0 / 5);
        assertThat(v.hr(5)).isEqualTo(3.0 / 5);
        assertThat(v.hr(10)).isEqualTo(3.0 / 5);
        assertThat(v.ndcg(1)).isEqualTo(1.0 / 5);
        double ndcg5 = (1 + 1 / log2(3) + 1 / log2(6)) / 5;
        assertThat(v.ndcg(5)).isCloseTo(ndcg5, within(1e-12));
        assertThat(v.ndcg(10)).isCloseTo(ndcg5, within(1e-12));
        assertThatThrownBy(() -> v.hr(20)).hasMessageContaining("K=20");
    }

    @Test
    void rankCountsHigherScoresAndBreaksTiesByItemIndex() {
        float[] s = {0.1f, 0.5f, 0.3f, 0.5f};
        assertThat(RankingMetrics.rankOf(s, 2)).isEqualTo(2);
        assertThat(RankingMetrics.rankOf(s, 1)).isEqualTo(0);
        assertThat(RankingMetrics.rankOf(s, 3)).isEqualTo(1);
        assertThat(RankingMetrics.rankOf(new int[] {7, 3, 9}, 9)).isEqualTo(2);
        assertThat(RankingMetrics.rankOf(new int[] {7, 3, 9}, 4)).isEqualTo(RankingMetrics.MISS);
    }

    @Test
    void denseEvaluationWithAndWithoutHistoryMasking() {
        // 6 items; history items 0 and 1 score highest, target 2 is third
        float[][] rows = new float[3][];
        rows[2] = new float[] {0.9f, 0.8f, 0.7f, 0.1f, 0.2f, 0.3f};
        List<EvalCase> cases = List.of(new EvalCase(List.of(0, 1), 2), new EvalCase(List.of(1, 0), 5));
        Scorer scorer = new TableScorer(rows);

        EvaluationResult plain = new Evaluator(EvaluationOptions.defaults(), null).evaluateScores(scorer, cases);
        // target 2 at rank 2, target 5 at rank 3
        assertThat(plain.overall().hr(1)).isEqualTo(0.0);
        assertThat(plain.overall().hr(5)).isEqualTo(1.0);
        assertThat(plain.overall().ndcg(5)).isCloseTo((1 / log2(4) + 1 / log2(5)) / 2, within(1e-12));

        EvaluationResult masked = new Evaluator(EvaluationOptions.defaults().withMaskHistory(true).withBatchSize(1), null)
                .evaluateScores(scorer, cases);
        // masking removes items 0 and 1: target 2 at rank 0, target 5 at rank 1
        assertThat(masked.overall().hr(1)).isEqualTo(0.5);
        assertThat(masked.overall().ndcg(5)).isCloseTo((1 + 1 / log2(3)) / 2, within(1e-12));
    }

    @Test
    void rankedListEvaluationMatchesDenseEvaluationOfTheSameRanking() {
        float[][] rows = {null, new float[] {0.1f, 0.9f, 0.5f, 0.4f}};
        TableScorer scorer = new TableScorer(rows);
        TopKRecommender lists = (histories, k) -> {
            List<int[]> out = new ArrayList<>();
            for (int i = 0; i < histories.size(); i++) out.add(new int[] {1, 2, 3, 0});
            return out;
        };
        List<EvalCase> cases = List.of(new EvalCase(List.of(1), 3), new EvalCase(List.of(2), 0), new EvalCase(List.of(0), 1));
        Evaluator ev = new Evaluator(EvaluationOptions.defaults(), null);
        MetricValues a = ev.evaluateScores(scorer, cases).overall();
        MetricValues b = ev.evaluateRankedLists(lists, cases).overall();
        assertThat(b).isEqualTo(a);
        // masking in list mode drops the history item from the list: case 1 (history 1, target 3) moves up to rank 1
        MetricValues masked = new Evaluator(EvaluationOptions.defaults().withMaskHistory(true), null).evaluateRankedLists(lists, cases).overall();
        assertThat(masked.hr(1)).isEqualTo(1.0 / 3); // case 3: history 0, target 1 at rank 0
        assertThat(masked.hr(5)).isEqualTo(1.0);
    }

    @Test
    void nanScoresFailLoudly() {
        float[][] rows = {new float[] {Float.NaN, 1f}};
        assertThatThrownBy(() -> new Evaluator(EvaluationOptions.defaults(), null)
                .evaluateScores(new TableScorer(rows), List.of(new EvalCase(List.of(), 0)))).hasMessageContaining("NaN");
    }

    @Test
    void popularityBaselineAndLongTailBreakdown() {
        // training popularity: item 0: 4, item 1: 2, item 2: 1, items 3, 4: 0
        List<List<Integer>> train = List.of(List.of(0, 1, 2), List.of(0, 1), List.of(0), List.of(0));
        PopularityRecommender pop = PopularityRecommender.fit(5, train);
        assertThat(pop.recommend(List.of(List.of()), 3).get(0)).containsExactly(0, 1, 2);
        assertThat(pop.scores(List.of(List.of(3)))[0]).containsExactly(4f, 2f, 1f, 0f, 0f);

        LongTail tail = LongTail.of(LongTail.popularity(5, train), 0.2);
        assertThat(tail.isHead(0)).isTrue();
        assertThat(tail.isTail(1)).isTrue();
        assertThat(tail.popularity(0)).isEqualTo(4);

        List<EvalCase> cases = List.of(new EvalCase(List.of(1), 0), new EvalCase(List.of(0), 2), new EvalCase(List.of(0), 4));
        EvaluationResult r = new Evaluator(EvaluationOptions.defaults(), tail).evaluateScores(pop, cases);
        // ranks: item 0 -> 0, item 2 -> 2, item 4 -> 4 (tie with item 3 broken by index)
        assertThat(r.overall().hr(1)).isCloseTo(1.0 / 3, within(1e-12));
        assertThat(r.head().count()).isEqualTo(1);
        assertThat(r.head().hr(1)).isEqualTo(1.0);
        assertThat(r.tail().count()).isEqualTo(2);
        assertThat(r.tail().hr(1)).isEqualTo(0.0);
        assertThat(r.tail().hr(5)).isEqualTo(1.0);
        assertThat(r.tail().ndcg(5)).isCloseTo((1 / log2(4) + 1 / log2(6)) / 2, within(1e-12));
        // the ranked-list path of the same baseline agrees
        assertThat(new Evaluator(EvaluationOptions.defaults(), tail).evaluateRankedLists(pop, cases).tail()).isEqualTo(r.tail());

        String md = new ResultsTable(1, 5, 10).add("Popularity", r, "baseline").toMarkdown();
        assertThat(md).startsWith("| Model | Cases | HR@1 | HR@5 | HR@10 | NDCG@1 | NDCG@5 | NDCG@10 | Note |\n|---|---:|");
        assertThat(md).contains("| Popularity | 3 | 0.3333 | 1.0000 | 1.0000 | 0.3333 |");
        assertThat(md).contains("| Popularity (tail targets) | 2 |");
        assertThat(md.lines().count()).isEqualTo(5);
    }

    @Test
    void leaveOneOutCasesFollowThePublishedProtocol() {
        Map<String, List<String>> seqs = new java.util.LinkedHashMap<>();
        seqs.put("u1", List.of("a", "b", "c", "d"));
        seqs.put("u2", List.of("b", "c"));
        LeaveOneOutCases c = LeaveOneOutCases.of(LeaveOneOut.split(seqs), Map.of("a", 0, "b", 1, "c", 2, "d", 3));
        assertThat(c.trainSequences()).containsExactly(List.of(0, 1), List.of(1, 2));
        assertThat(c.validation()).containsExactly(new EvalCase(List.of(0, 1), 2));
        assertThat(c.test()).containsExactly(new EvalCase(List.of(0, 1, 2), 3));
        assertThatThrownBy(() -> LeaveOneOutCases.of(LeaveOneOut.split(seqs), Map.of("a", 0)))
                .hasMessageContaining("not in the catalog");
    }
}
