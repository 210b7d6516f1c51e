package dev.sidflow.model.generator;

import dev.sidflow.model.Devices;
import ai.djl.Device;
import dev.sidflow.model.ScoredSid;
import dev.sidflow.sid.SemanticId;
import dev.sidflow.sid.SidTrie;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * By-hand speed measurement on a catalog the size of Amazon Video Games (16,859 items, random SIDs).
 * Run: {@code SIDFLOW_BENCH=1 BENCH_EXAMPLES=4096 BENCH_THREADS=1 ./mvnw -B -o -q test -Dtest=TigerSpeedBench}.
 */
@EnabledIfEnvironmentVariable(named = "SIDFLOW_BENCH", matches = "1")
class TigerSpeedBench {

    @Test
    void measure() {
        int items = env("BENCH_ITEMS", 16_859);
        Devices.cpuThreads(env("BENCH_THREADS", 1));
        Random r = new Random(1);
        SidTrie trie = new SidTrie();
        List<SemanticId> catalog = new ArrayList<>();
        Set<SemanticId> seen = new HashSet<>();
        while (catalog.size() < items) {
            SemanticId sid = new SemanticId(r.nextInt(256), r.nextInt(256), r.nextInt(256), 0);
            if (seen.add(sid)) {
                catalog.add(sid);
                trie.put(sid, "i" + catalog.size());
            }
        }
        TigerConfig config = new TigerConfig(20, 64, 4, 2, 2, 256, 0.1f);
        int n = env("BENCH_EXAMPLES", 4096);
        int s = config.encoderLength();
        int[] enc = new int[n * s];
        int[] tgt = new int[n * 4];
        for (int i = 0; i < n; i++) {
            List<SemanticId> h = new ArrayList<>();
            for (int j = 0; j < 20; j++) h.add(catalog.get(r.nextInt(items)));
            System.arraycopy(SequenceExamples.encoderInput(h, 20), 0, enc, i * s, s);
            SemanticId t = catalog.get(r.nextInt(items));
            for (int l = 1; l <= 4; l++) tgt[i * 4 + l - 1] = SidVocabulary.token(l, t.code(l));
        }
        SequenceExamples train = new SequenceExamples(n, s, enc, tgt);
        try (TigerModel model = TigerModel.create(config, Device.cpu(), 1)) {
            TigerTrainer.Result res = new TigerTrainer(new TrainConfig(1, 256, 1e-3f, 1, 1), System.out, true)
                    .train(model, train, new SequenceExamples(0, s, new int[0], new int[0]));
            System.out.printf("training: %.0f sequences/s (history 20, d=64, 2+2 layers, batch 256)%n", res.examplesPerSecond());

            List<List<SemanticId>> histories = new ArrayList<>();
            for (int u = 0; u < 256; u++) {
                List<SemanticId> h = new ArrayList<>();
                for (int j = 0; j < 20; j++) h.add(catalog.get(r.nextInt(items)));
                histories.add(h);
            }
            TigerGenerator gen = new TigerGenerator(model, trie, 64);
            gen.recommend(histories.subList(0, 64), 10, 20); // warm-up
            long t0 = System.nanoTime();
            List<List<ScoredSid>> recs = gen.recommend(histories, 10, 20);
            double secs = (System.nanoTime() - t0) / 1e9;
            System.out.printf("inference: %.1f users/s (beam 20, top 10, batch 64, %d users, %.2fs)%n", histories.size() / secs, histories.size(), secs);
            if (recs.stream().anyMatch(l -> l.size() != 10)) throw new AssertionError("expected 10 results per user");
        }
    }

    private static int env(String name, int fallback) {
        String v = System.getenv(name);
        return v == null ? fallback : Integer.parseInt(v);
    }
}
