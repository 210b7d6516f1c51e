package dev.sidflow.bench.jmh;

import dev.sidflow.model.ScoredSid;
import dev.sidflow.model.generator.ConstrainedBeamSearch;
import dev.sidflow.model.generator.StepScorer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The Java side of constrained beam search (trie lookups, log-softmax unless the rows come normalised, top-k over allowed codes)
 * for one batch of users, beam 20, over 16,859 SIDs. The model is replaced by precomputed random
 * logits, so this is the search's own cost per batch, without inference.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class BeamSearchBenchmarks {
    @Param({"1", "64"})
    public int users;

    /** Rows already log-softmaxed by the scorer (as the generator's engine does), or raw logits the search normalises. */
    @Param({"false", "true"})
    public boolean normalised;

    private ConstrainedBeamSearch search;
    private float[][][] logits;

    @Setup
    public void setUp() {
        search = new ConstrainedBeamSearch(Catalogs.trie(Catalogs.randomSids(Catalogs.VIDEO_GAMES_ITEMS, 7)));
        Random r = new Random(3);
        logits = new float[users][20][256];
        for (float[][] u : logits) for (float[] row : u) for (int c = 0; c < row.length; c++) row[c] = (float) r.nextGaussian();
    }

    @Benchmark
    public List<List<ScoredSid>> beam20Top20() {
        StepScorer scorer = new StepScorer() {
            @Override
            public float[][][] levelLogits(int level, int[][][] prefixes) {
                return logits;
            }

            @Override
            public boolean normalised() {
                return normalised;
            }

            @Override
            public void close() {}
        };
        return search.search(scorer, users, 20, 20);
    }

}
