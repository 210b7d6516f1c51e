package dev.sidflow.bench;

import dev.sidflow.model.Devices;
import dev.sidflow.model.HybridRanker;
import dev.sidflow.model.ModelBundle;
import dev.sidflow.model.generator.TigerConfig;
import dev.sidflow.model.generator.TigerGenerator;
import dev.sidflow.model.generator.TigerModel;
import dev.sidflow.model.llmemb.LlmEmb;
import dev.sidflow.model.llmemb.LlmEmbEnsemble;
import dev.sidflow.model.llmemb.SasRecEnsemble;
import dev.sidflow.sid.SemanticId;
import dev.sidflow.sid.SidCatalog;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Model-level speed against the CPU's limit: FLOPs per recommendation from the configs
 * ({@link FlopCount}), users per second measured on a bundle's models, and the share of the
 * measured matrix-multiply peak ({@link MatmulPeak}) that this reaches. Also the before/after of
 * removing the largest gap found (LLMEmb's item table recomputed on every call).
 *
 * <p>Histories are random catalog items (seeded): the work per user depends only on the
 * shapes (history length, beam, catalog size), not on which items they hold.
 */
public final class InferenceBench {

    /** What to run. */
    public record Settings(Path bundle, List<Integer> batches, int historyLength, double secondsPerPoint,
                           int matmulSize, long seed) {}

    /** One measured point. */
    public record Point(String model, String variant, int batch, int threads, double usersPerSecond,
                        double mflopPerUser, double gflops, double shareOfPeak) {}

    /** Everything measured in one run. */
    public record Result(Map<Integer, Double> peakGflopsByThreads, Map<String, Map<String, Double>> flopsPerUser,
                         List<Point> points) {}

    private final Settings settings;
    private final PrintStream log;

    public InferenceBench(Settings settings, PrintStream log) {
        this.settings = settings;
        this.log = log;
    }

    public Result run() throws IOException {
        Map<Integer, Double> peak = new java.util.TreeMap<>();
        for (int threads : new int[] {1, 2}) {
            log.printf("matmul peak, %dx%d fp32, %d thread(s) ...%n", settings.matmulSize(), settings.matmulSize(), threads);
            peak.put(threads, MatmulPeak.gflops(settings.matmulSize(), threads, Math.max(1, settings.secondsPerPoint())));
            log.printf("  %.1f GFLOP/s%n", peak.get(threads));
        }

        ModelBundle bundle = ModelBundle.open(settings.bundle());
        ModelBundle.Manifest manifest = bundle.manifest();
        List<String> ids = bundle.itemIds();
        Map<String, SemanticId> sids = bundle.sids();
        SemanticId[] sidOf = ids.stream().map(sids::get).toArray(SemanticId[]::new);
        SidCatalog catalog = SidCatalog.of(sids, bundle.titles());
        int maxBatch = settings.batches().stream().mapToInt(Integer::intValue).max().orElse(1);
        List<List<Integer>> histories = randomHistories(ids.size(), maxBatch, settings.historyLength(), settings.seed());
        int beam = manifest.beam();

        List<Point> points = new ArrayList<>();
        Map<String, Map<String, Double>> flops = new java.util.LinkedHashMap<>();
        dev.sidflow.model.FusionWeights weights = manifest.fusionWeights();
        // the LLMEmb rows time the bundle's own LLMEmb; the hybrid rows every dense instance it serves
        try (TigerModel tiger = bundle.generator("cpu"); LlmEmbEnsemble llmEmbs = bundle.llmEmbs("cpu");
             SasRecEnsemble sasRecs = weights.usesSasRec() ? bundle.sasRecs("cpu") : null) {
            LlmEmb llmEmb = llmEmbs.primary();
            TigerConfig tc = tiger.config();
            FlopCount.Breakdown genFlops = FlopCount.tiger(tc, beam, false);
            FlopCount.Breakdown genCached = FlopCount.tiger(tc, beam, true);
            FlopCount.Breakdown denseFlops = FlopCount.llmEmb(llmEmb.config(), settings.historyLength(), ids.size(), 0);
            flops.put("TIGER generator (beam " + beam + ", prefix recomputed)", genFlops.parts());
            flops.put("TIGER generator with the KV cache (served)", genCached.parts());
            flops.put("LLMEmb (item table cached)", denseFlops.parts());
            flops.put("LLMEmb (item table recomputed, batch 1)",
                    FlopCount.llmEmb(llmEmb.config(), settings.historyLength(), ids.size(), 1).parts());

            TigerGenerator generator = new TigerGenerator(tiger, catalog.trieSnapshot(), maxBatch);
            TigerGenerator recomputing = new TigerGenerator(tiger, catalog.trieSnapshot(), maxBatch, false);
            HybridRanker ranker = new HybridRanker(generator, llmEmbs, sasRecs, sidOf, ids, weights, beam,
                    manifest.denseCandidates());
            Devices.cpuThreads(1);
            for (boolean cached : new boolean[] {false, true}) {
                TigerGenerator g = cached ? generator : recomputing;
                for (int b : settings.batches()) {
                    List<List<SemanticId>> sidHist = toSids(histories.subList(0, b), sidOf);
                    double ups = measure("generator " + (cached ? "KV cache" : "recomputed"), b, () -> g.recommend(sidHist, beam, beam));
                    points.add(point("TIGER generator", "beam " + beam + (cached ? ", KV cache" : ", prefix recomputed (before)"), b, 1, ups,
                            (cached ? genCached : genFlops).total(), peak));
                }
            }
            // live histories are mostly short: users whose lengths are drawn uniformly from 1..window,
            // run as one batch padded to the window (before) and in length buckets (served)
            List<List<Integer>> mixed = mixedLengthHistories(histories, settings.historyLength(), settings.seed());
            TigerGenerator padded = new TigerGenerator(tiger, catalog.trieSnapshot(), maxBatch, true, false);
            for (boolean buckets : new boolean[] {false, true}) {
                TigerGenerator g = buckets ? generator : padded;
                for (int b : settings.batches()) {
                    List<List<SemanticId>> sidHist = toSids(mixed.subList(0, b), sidOf);
                    double ups = measure("generator mixed " + (buckets ? "buckets" : "padded"), b, () -> g.recommend(sidHist, beam, beam));
                    double f = buckets ? bucketedFlops(tc, beam, mixed.subList(0, b), maxBatch) : genCached.total();
                    points.add(point("TIGER generator", "beam " + beam + ", KV cache, lengths 1.." + settings.historyLength()
                            + (buckets ? ", length buckets" : ", padded to the window (before)"), b, 1, ups, f, peak));
                }
            }
            for (boolean cached : new boolean[] {false, true}) {
                llmEmb.cacheItemTable(cached);
                for (int b : settings.batches()) {
                    List<List<Integer>> h = histories.subList(0, b);
                    double ups = measure("LLMEmb " + (cached ? "cached" : "uncached"), b, () -> llmEmb.scores(h));
                    double f = FlopCount.llmEmb(llmEmb.config(), settings.historyLength(), ids.size(), cached ? 0 : b).total();
                    points.add(point("LLMEmb", cached ? "item table cached" : "item table per call", b, 1, ups, f, peak));
                }
            }
            // the served hybrid (both models + fusion), before/after the fix, 1 and 2 threads
            for (int threads : new int[] {1, 2}) {
                Devices.cpuThreads(threads);
                for (boolean cached : new boolean[] {false, true}) {
                    if (threads == 2 && !cached) continue;
                    for (LlmEmb instance : llmEmbs.instances()) instance.cacheItemTable(cached);
                    for (int b : new int[] {1, maxBatch >= 64 ? 64 : maxBatch}) {
                        List<List<Integer>> h = histories.subList(0, b);
                        double ups = measure("hybrid " + threads + "t " + (cached ? "cached" : "uncached"), b, () -> ranker.rank(h, 10));
                        // only the members the fusion weights use run (LLMEmb also scores cold-start items for ID-SASRec)
                        double f = (weights.usesGenerator() ? genCached.total() : 0)
                                + (weights.usesLlmEmb() || weights.usesSasRec()
                                        ? llmEmbs.instances().stream().mapToDouble(m -> FlopCount.llmEmb(m.config(), settings.historyLength(), ids.size(),
                                                cached ? 0 : b).total()).sum() : 0)
                                + (weights.usesSasRec()
                                        ? sasRecs.instances().stream().mapToDouble(m -> FlopCount.sasRec(m.config(), settings.historyLength(), ids.size()).total()).sum()
                                        : 0);
                        points.add(point("hybrid (served, " + weights + ")", cached ? "item table cached" : "item table per call (before)",
                                b, threads, ups, f, peak));
                    }
                }
            }
            Devices.cpuThreads(1);
        }
        return new Result(peak, flops, points);
    }

    private static Point point(String model, String variant, int batch, int threads, double ups, double flopsPerUser,
                               Map<Integer, Double> peak) {
        double gflops = ups * flopsPerUser / 1e9;
        return new Point(model, variant, batch, threads, ups, flopsPerUser / 1e6, gflops, gflops / peak.get(threads));
    }

    /** Users per second of {@code call} over one batch of {@code batch} users, after one warm-up call. */
    private double measure(String what, int batch, Runnable call) {
        call.run();
        int calls = 0;
        long t0 = System.nanoTime();
        long min = (long) (settings.secondsPerPoint() * 1e9);
        while (calls < 2 || System.nanoTime() - t0 < min) {
            call.run();
            calls++;
        }
        double ups = (double) calls * batch / ((System.nanoTime() - t0) / 1e9);
        log.printf("  %-28s batch %4d: %,10.1f users/s%n", what, batch, ups);
        return ups;
    }

    /** Each history cut to its last n items, n drawn uniformly from 1..window (seeded). */
    static List<List<Integer>> mixedLengthHistories(List<List<Integer>> histories, int window, long seed) {
        Random r = new Random(seed + 1);
        List<List<Integer>> out = new ArrayList<>(histories.size());
        for (List<Integer> h : histories) {
            int n = Math.min(h.size(), 1 + r.nextInt(window));
            out.add(h.subList(h.size() - n, h.size()));
        }
        return out;
    }

    /** FLOPs per user the generator does on these histories in length buckets: each bucket runs over its longest history. */
    static double bucketedFlops(TigerConfig tc, int beam, List<List<Integer>> histories, int batchSize) {
        int[] lengths = TigerGenerator.windowLengths(histories, tc.historyLength());
        Arrays.sort(lengths);
        double total = 0;
        int from = 0;
        for (int to : TigerGenerator.bucketEnds(lengths, batchSize)) {
            TigerConfig bucket = new TigerConfig(Math.max(1, lengths[to - 1]), tc.dModel(), tc.heads(), tc.encoderLayers(),
                    tc.decoderLayers(), tc.ffDim(), tc.dropout());
            total += (to - from) * FlopCount.tiger(bucket, beam, true).total();
            from = to;
        }
        return total / lengths.length;
    }

    static List<List<Integer>> randomHistories(int items, int users, int length, long seed) {
        Random r = new Random(seed);
        List<List<Integer>> out = new ArrayList<>(users);
        for (int u = 0; u < users; u++) {
            List<Integer> h = new ArrayList<>(length);
            for (int i = 0; i < length; i++) h.add(r.nextInt(items));
            out.add(h);
        }
        return out;
    }

    private static List<List<SemanticId>> toSids(List<List<Integer>> histories, SemanticId[] sidOf) {
        List<List<SemanticId>> out = new ArrayList<>(histories.size());
        for (List<Integer> h : histories) out.add(h.stream().map(i -> sidOf[i]).toList());
        return out;
    }

    /** The result as printed/markdown tables. */
    public static String report(Result r, boolean markdown) {
        StringBuilder sb = new StringBuilder();
        Table peak = new Table("PyTorch threads", "matmul GFLOP/s");
        r.peakGflopsByThreads().forEach((t, g) -> peak.add(t, Table.num(g, 1)));
        sb.append(markdown ? peak.toMarkdown() : peak.toText()).append('\n');
        Table flops = new Table("model", "part", "MFLOP per user");
        r.flopsPerUser().forEach((model, parts) -> {
            parts.forEach((part, v) -> flops.add(model, part, Table.num(v / 1e6, 2)));
            flops.add(model, "**total**", Table.num(parts.values().stream().mapToDouble(Double::doubleValue).sum() / 1e6, 2));
        });
        sb.append(markdown ? flops.toMarkdown() : flops.toText()).append('\n');
        Table pts = new Table("model", "variant", "batch", "threads", "users/s", "MFLOP/user", "GFLOP/s", "share of peak");
        for (Point p : r.points()) {
            pts.add(p.model(), p.variant(), p.batch(), p.threads(), Table.num(p.usersPerSecond(), 1),
                    Table.num(p.mflopPerUser(), 1), Table.num(p.gflops(), 2), Table.num(100 * p.shareOfPeak(), 1) + " %");
        }
        sb.append(markdown ? pts.toMarkdown() : pts.toText());
        return sb.toString();
    }
}
