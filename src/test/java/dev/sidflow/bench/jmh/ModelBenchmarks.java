package dev.sidflow.bench.jmh;

import dev.sidflow.model.Devices;
import dev.sidflow.model.ModelBundle;
import dev.sidflow.model.ScoredSid;
import dev.sidflow.model.generator.TigerGenerator;
import dev.sidflow.model.generator.TigerModel;
import dev.sidflow.model.llmemb.LlmEmb;
import dev.sidflow.sid.SemanticId;
import dev.sidflow.sid.SidCatalog;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Forward passes per batch of users (time per call; divide by the batch for per-user cost): the
 * TIGER generator with trie-constrained beam search (beam from the bundle, top = beam) and LLMEmb
 * scoring of the whole catalog. One PyTorch thread. Histories: 20 random catalog items.
 * The bundle: {@code -Dsidflow.bench.bundle=DIR} or a tiny trained one (see {@link Catalogs#bundle()}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ModelBenchmarks {
    @Param({"1", "8", "64", "256"})
    public int batch;

    private TigerModel tiger;
    private LlmEmb llmEmb;
    private TigerGenerator generator;
    private List<List<SemanticId>> sidHistories;
    private List<List<Integer>> indexHistories;
    private int beam;

    @Setup
    public void setUp() throws Exception {
        Devices.cpuThreads(1);
        ModelBundle bundle = ModelBundle.open(Catalogs.bundle());
        List<String> ids = bundle.itemIds();
        Map<String, SemanticId> sids = bundle.sids();
        tiger = bundle.generator("cpu");
        llmEmb = bundle.llmEmb("cpu");
        beam = bundle.manifest().beam();
        generator = new TigerGenerator(tiger, SidCatalog.of(sids, bundle.titles()).trieSnapshot(), 256);
        Random r = new Random(11);
        sidHistories = new ArrayList<>();
        indexHistories = new ArrayList<>();
        for (int u = 0; u < batch; u++) {
            List<Integer> h = new ArrayList<>();
            for (int k = 0; k < 20; k++) h.add(r.nextInt(ids.size()));
            indexHistories.add(h);
            sidHistories.add(h.stream().map(i -> sids.get(ids.get(i))).toList());
        }
    }

    @TearDown
    public void tearDown() {
        tiger.close();
        llmEmb.close();
    }

    @Benchmark
    public List<List<ScoredSid>> generatorBeamSearch() {
        return generator.recommend(sidHistories, beam, beam);
    }

    @Benchmark
    public float[][] llmEmbScores() {
        return llmEmb.scores(indexHistories);
    }
}
