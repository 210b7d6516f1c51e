package dev.sidflow.model.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.sidflow.model.Generation;
import dev.sidflow.model.ScoredSid;
import dev.sidflow.sid.SemanticId;
import dev.sidflow.sid.SidTrie;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ConstrainedBeamSearchTest {

    /** Deterministic pseudo-model: a code's logit depends on the user, level, prefix and code. */
    private static final class HashScorer implements StepScorer {
        int calls;

        static float logit(int user, int level, int[] prefix, int code) {
            long h = 1469598103934665603L ^ user;
            h = h * 1099511628211L ^ level;
            for (int p : prefix) h = h * 1099511628211L ^ p;
            h = h * 1099511628211L ^ code;
            h ^= h >>> 29;
            return (float) ((h & 0xffff) / 65536.0 * 8.0);
        }

        @Override
        public float[][][] levelLogits(int level, int[][][] prefixes) {
            calls++;
            float[][][] out = new float[prefixes.length][][];
            for (int u = 0; u < prefixes.length; u++) {
                out[u] = new float[prefixes[u].length][256];
                for (int g = 0; g < prefixes[u].length; g++) {
                    assertThat(prefixes[u][g]).hasSize(level - 1);
                    for (int c = 0; c < 256; c++) out[u][g][c] = logit(u, level, prefixes[u][g], c);
                }
            }
            return out;
        }

        @Override
        public void close() {}
    }

    private static double exactScore(int user, SemanticId sid) {
        double score = 0;
        int[] codes = sid.codes();
        for (int level = 1; level <= 4; level++) {
            int[] prefix = Arrays.copyOf(codes, level - 1);
            float[] row = new float[256];
            for (int c = 0; c < 256; c++) row[c] = HashScorer.logit(user, level, prefix, c);
            score += row[codes[level - 1]] - ConstrainedBeamSearch.logSumExp(row);
        }
        return score;
    }

    private static SidTrie randomTrie(int n, int codesPerLevel, long seed, List<SemanticId> out) {
        Random r = new Random(seed);
        SidTrie trie = new SidTrie();
        while (trie.size() < n) {
            SemanticId sid = new SemanticId(r.nextInt(codesPerLevel), r.nextInt(codesPerLevel), r.nextInt(codesPerLevel), r.nextInt(2));
            if (trie.put(sid, "item-" + trie.size()) == null) out.add(sid);
        }
        return trie;
    }

    @Test
    void wideBeamFindsTheExactTopKOfAllValidSids() {
        List<SemanticId> all = new ArrayList<>();
        SidTrie trie = randomTrie(40, 4, 3, all);
        HashScorer scorer = new HashScorer();
        List<List<ScoredSid>> recs = new ConstrainedBeamSearch(trie).search(scorer, 3, 5, 40);
        assertThat(scorer.calls).isEqualTo(4); // one batched call per level
        for (int u = 0; u < 3; u++) {
            final int user = u;
            List<SemanticId> expected = all.stream()
                    .sorted(Comparator.comparingDouble((SemanticId s) -> exactScore(user, s)).reversed()).limit(5).toList();
            assertThat(recs.get(u)).extracting(ScoredSid::sid).containsExactlyElementsOf(expected);
            for (ScoredSid s : recs.get(u)) assertThat(s.score()).isCloseTo(exactScore(u, s.sid()), within(1e-4));
        }
    }

    /**
     * Candidates are scored with the same sum of per-level log-softmax values as a beam: those the
     * beam found keep its score, the others are teacher-forced, including a SID outside the trie.
     */
    @Test
    void candidatesGetTheirExactLogProbabilityInOrder() {
        List<SemanticId> all = new ArrayList<>();
        SidTrie trie = randomTrie(60, 4, 5, all);
        SemanticId outsideTrie = new SemanticId(200, 201, 202, 3);
        List<List<SemanticId>> candidates = List.of(
                List.of(all.get(7), outsideTrie, all.get(0), all.get(33), all.get(7)),
                List.of(),
                List.of(all.get(59)));
        HashScorer scorer = new HashScorer();
        Generation g = new ConstrainedBeamSearch(trie).searchAndScore(scorer, 3, 5, 4, candidates);
        assertThat(scorer.calls).isEqualTo(8); // four levels of search, then four of scoring
        assertThat(g.recommended()).isEqualTo(new ConstrainedBeamSearch(trie).search(new HashScorer(), 3, 5, 4));
        for (int u = 0; u < 3; u++) {
            double[] logp = g.candidateLogp().get(u);
            assertThat(logp).hasSize(candidates.get(u).size());
            for (int c = 0; c < logp.length; c++) assertThat(logp[c]).isCloseTo(exactScore(u, candidates.get(u).get(c)), within(1e-4));
        }
        // some candidates were outside the beam: they really were teacher-forced
        List<SemanticId> found = g.recommended().get(0).stream().map(ScoredSid::sid).toList();
        assertThat(candidates.get(0)).anyMatch(c -> !found.contains(c));
        assertThatThrownBy(() -> new ConstrainedBeamSearch(trie).searchAndScore(new HashScorer(), 3, 5, 4, List.of()))
                .hasMessageContaining("candidate lists");
    }

    @Test
    void scoringNothingAddsNoCalls() {
        List<SemanticId> all = new ArrayList<>();
        SidTrie trie = randomTrie(20, 4, 9, all);
        HashScorer scorer = new HashScorer();
        Generation g = new ConstrainedBeamSearch(trie).searchAndScore(scorer, 2, 3, 3, List.of(List.of(), List.of()));
        assertThat(scorer.calls).isEqualTo(4);
        assertThat(g.candidateLogp()).allSatisfy(v -> assertThat(v).isEmpty());
    }

    @Test
    void neverLeavesTheTrieEvenWithNarrowBeamsOrFewSids() {
        for (int n : new int[] {1, 2, 7, 300}) {
            List<SemanticId> all = new ArrayList<>();
            SidTrie trie = randomTrie(n, 16, n, all);
            List<List<ScoredSid>> recs = new ConstrainedBeamSearch(trie).search(new HashScorer(), 4, 10, 3);
            for (List<ScoredSid> userRecs : recs) {
                assertThat(userRecs).hasSize(Math.min(n, 10));
                assertThat(userRecs).allSatisfy(s -> assertThat(trie.itemId(s.sid())).isEqualTo(s.itemId()).isNotNull());
                assertThat(userRecs.stream().map(ScoredSid::sid).distinct().count()).isEqualTo(userRecs.size());
            }
        }
    }

    /** A scorer whose rows arrive already log-softmaxed (as the engine does it) gives the same search. */
    @Test
    void rowsNormalisedByTheScorerGiveTheSameBeamsAsNormalisingInTheSearch() {
        List<SemanticId> all = new ArrayList<>();
        SidTrie trie = randomTrie(300, 16, 11, all);
        HashScorer raw = new HashScorer();
        StepScorer normalised = new StepScorer() {
            @Override
            public float[][][] levelLogits(int level, int[][][] prefixes) {
                float[][][] rows = raw.levelLogits(level, prefixes);
                for (float[][] u : rows) {
                    for (float[] row : u) {
                        double logZ = ConstrainedBeamSearch.logSumExp(row);
                        for (int c = 0; c < row.length; c++) row[c] = (float) (row[c] - logZ);
                    }
                }
                return rows;
            }

            @Override
            public boolean normalised() {
                return true;
            }

            @Override
            public void close() {}
        };
        ConstrainedBeamSearch search = new ConstrainedBeamSearch(trie);
        List<List<ScoredSid>> expected = search.search(new HashScorer(), 3, 10, 8);
        List<List<ScoredSid>> actual = search.search(normalised, 3, 10, 8);
        for (int u = 0; u < 3; u++) {
            assertThat(actual.get(u)).extracting(ScoredSid::sid).containsExactlyElementsOf(
                    expected.get(u).stream().map(ScoredSid::sid).toList());
            for (int i = 0; i < expected.get(u).size(); i++) {
                assertThat(actual.get(u).get(i).score()).isCloseTo(expected.get(u).get(i).score(), within(1e-5));
            }
        }
    }

    /** Equal scores are ordered by their codes, so a search never depends on the order candidates arrive in. */
    @Test
    void tiesAreBrokenBySmallerCodesFirst() {
        List<SemanticId> all = new ArrayList<>();
        SidTrie trie = randomTrie(60, 4, 5, all);
        StepScorer flat = new StepScorer() {
            @Override
            public float[][][] levelLogits(int level, int[][][] prefixes) {
                return new float[prefixes.length][prefixes[0].length][256];
            }

            @Override
            public void close() {}
        };
        // a beam as wide as the catalog keeps every SID, so the k best are the k smallest codes
        List<ScoredSid> recs = new ConstrainedBeamSearch(trie).search(flat, 1, 12, 60).get(0);
        List<SemanticId> smallest = all.stream().sorted((a, b) -> Arrays.compare(a.codes(), b.codes())).limit(12).toList();
        assertThat(recs).extracting(ScoredSid::sid).containsExactlyElementsOf(smallest);
    }

    @Test
    void emptyTrieGivesNoRecommendations() {
        List<List<ScoredSid>> recs = new ConstrainedBeamSearch(new SidTrie()).search(new HashScorer(), 2, 5, 5);
        assertThat(recs).hasSize(2).allSatisfy(l -> assertThat(l).isEmpty());
    }
}
