package dev.sidflow.model;

import dev.sidflow.data.Dataset;
import dev.sidflow.data.FileTrees;
import dev.sidflow.data.Interaction;
import dev.sidflow.data.Item;
import dev.sidflow.data.LeaveOneOut;
import dev.sidflow.embed.KnownEncoder;
import dev.sidflow.embed.TextEncoder;
import dev.sidflow.model.metrics.LeaveOneOutCases;
import dev.sidflow.model.metrics.LongTail;
import dev.sidflow.model.generator.SequenceExamples;
import dev.sidflow.model.generator.TigerConfig;
import dev.sidflow.model.generator.TigerGenerator;
import dev.sidflow.model.generator.TigerModel;
import dev.sidflow.model.generator.TigerTrainer;
import dev.sidflow.model.llmemb.LlmEmb;
import dev.sidflow.model.llmemb.LlmEmbEnsemble;
import dev.sidflow.model.llmemb.SasRec;
import dev.sidflow.model.llmemb.SasRecEnsemble;
import dev.sidflow.quantize.SidBuilder;
import dev.sidflow.sid.SemanticId;
import dev.sidflow.sid.SidCatalog;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a model bundle from a data set and a model spec: SIDs (embed, quantize, dedup), the
 * ID-SASRec baseline, LLMEmb aligned to it, the TIGER generator, the fusion weight of the served
 * hybrid (chosen on validation), and optionally the leave-one-out test evaluation of all of them.
 */
public final class BundleTrainer {
    private final ModelSpec spec;
    private final PrintStream log;

    public BundleTrainer(ModelSpec spec, PrintStream log) {
        this.spec = spec;
        this.log = log;
    }

    /** What a build produced: where the bundle is and the test metrics (empty if not evaluated). */
    public record Built(Path dir, ModelBundle.Manifest manifest, String resultsTable) {}

    /**
     * The leave-one-out test evaluation a build can end with ({@code eval.BundleEvaluation}, which
     * sits downstream of the models): returns the printed table and fills {@code metrics} by row name.
     */
    @FunctionalInterface
    public interface TestEvaluation {
        String evaluate(LeaveOneOutCases cases, int numItems, SasRecEnsemble sasRec, LlmEmbEnsemble llmEmb, HybridRanker served,
                        int streamedHistory, Map<String, Map<String, Double>> metrics);
    }

    public Built build(Dataset data, Path out, TestEvaluation testEvaluation, Path embeddingCache) throws IOException {
        long t0 = System.nanoTime();
        // PyTorch's default intra-op pool is far slower than one thread on small shared machines.
        Devices.cpuThreads(Integer.getInteger("sidflow.torch.threads", 1));
        Files.createDirectories(out);
        List<Item> items = data.items();
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < items.size(); i++) index.put(items.get(i).itemId(), i);

        log.printf("[1/6] semantic IDs for %,d items (%s)%n", items.size(), spec.encoder());
        SidBuilder.Result sids;
        try (TextEncoder encoder = TextEncoder.open(KnownEncoder.byId(spec.encoder()))) {
            sids = SidBuilder.build(items, encoder, spec.quantizer().toConfig(), embeddingCache);
        }
        log.println(sids.quantization().toText());
        log.println(sids.collisions().report());

        List<LeaveOneOut.UserSplit> splits = LeaveOneOut.split(data);
        LeaveOneOutCases cases = LeaveOneOutCases.of(splits, index);
        String device = spec.device() == null ? "auto" : spec.device();

        // instance i of the dense members trains with every seed + i; each LLMEmb aligns to its own ID-SASRec
        int instances = spec.denseInstances();
        List<SasRec> sasRecList = new ArrayList<>(instances);
        List<LlmEmb> llmEmbList = new ArrayList<>(instances);
        for (int i = 0; i < instances; i++) {
            String of = instances == 1 ? "" : String.format(" (instance %d of %d, seeds + %d)", i + 1, instances, i);
            log.printf("[2/6] ID-SASRec on %,d training sequences%s%n", cases.trainSequences().size(), of);
            sasRecList.add(trainSasRec(cases, items.size(), device, i));
            log.printf("[3/6] LLMEmb: text vectors -> adapter -> SASRec, aligned to ID-SASRec%s%n", of);
            llmEmbList.add(trainLlmEmb(sids.embeddings(), sasRecList.get(i), cases, items.size(), device, i));
        }
        SasRecEnsemble sasRec = new SasRecEnsemble(sasRecList);
        LlmEmbEnsemble llmEmb = new LlmEmbEnsemble(llmEmbList);

        log.println("[4/6] TIGER generator");
        TigerModel tiger = trainGenerator(TigerModel.create(spec.generator().toConfig(), Devices.resolve(device), spec.generator().seed()),
                splits, sids.sids());

        SemanticId[] sidOf = new SemanticId[items.size()];
        for (int i = 0; i < items.size(); i++) sidOf[i] = sids.sids().get(items.get(i).itemId());
        Map<String, String> titles = new LinkedHashMap<>();
        for (Item it : items) titles.put(it.itemId(), it.title());

        log.println("[5/6] fusion weights on validation");
        HybridRanker served = chooseFusion(tiger, llmEmb, sasRec, sidOf, items.stream().map(Item::itemId).toList(), titles, cases);

        Map<String, Map<String, Double>> metrics = new LinkedHashMap<>();
        String table = "";
        if (testEvaluation != null) {
            log.printf("[6/6] leave-one-out test evaluation, full ranking over %,d items, %,d users%n", items.size(), cases.test().size());
            table = testEvaluation.evaluate(cases, items.size(), sasRec, llmEmb, served, tiger.config().historyLength(), metrics);
            log.println(table);
        }

        long[] counts = LongTail.popularity(items.size(), cases.trainSequences());
        List<ModelBundle.Entry> entries = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            entries.add(new ModelBundle.Entry(items.get(i).itemId(), items.get(i).title(), sidOf[i].toString(), counts[i]));
        }
        String fingerprint = fingerprint(data);
        ModelSpec.Serve serve = spec.serve();
        FusionWeights weights = served.weights();
        ModelBundle.Manifest manifest = new ModelBundle.Manifest(ModelBundle.FORMAT, version(fingerprint), spec.name(), data.name(),
                fingerprint, items.size(), data.userCount(), data.interactions().size(), spec.encoder(),
                sids.embeddings().dim(), 3, spec.quantizer().codebookSize(), sids.collisions().shareUnique(),
                sids.collisions().largestGroup(), tiger.config().historyLength(), serve.beam(), serve.topK(), serve.denseCandidates(),
                weights.generator(), weights, Instant.now().toString(), metrics);
        ModelBundle.writeCatalog(out, entries);
        dev.sidflow.data.DatasetStore.writeItems(items, out.resolve(ModelBundle.ITEMS));
        sids.codebooks().save(out.resolve(ModelBundle.CODEBOOKS));
        sids.embeddings().save(out.resolve(ModelBundle.ITEM_EMBEDDINGS));
        tiger.save(out.resolve(ModelBundle.GENERATOR));
        MemberEnsembles ensembles = MemberEnsembles.single();
        for (int i = 0; i < instances; i++) {
            String sasRecDir = MemberEnsembles.instanceDir(ModelBundle.SASREC, i + 1);
            String llmEmbDir = MemberEnsembles.instanceDir(ModelBundle.LLMEMB, i + 1);
            sasRecList.get(i).save(out.resolve(sasRecDir));
            llmEmbList.get(i).save(out.resolve(llmEmbDir));
            if (i > 0) ensembles = ensembles.with(ModelBundle.SASREC, sasRecDir).with(ModelBundle.LLMEMB, llmEmbDir);
        }
        if (instances > 1) ModelBundle.writeEnsembles(out, ensembles);
        // the manifest goes last: a bundle directory without one is an unfinished build
        ModelBundle.writeManifest(out, manifest);
        tiger.close();
        sasRec.close();
        llmEmb.close();
        log.printf("bundle %s written to %s in %.0f s%n", manifest.version(), out, (System.nanoTime() - t0) / 1e9);
        return new Built(out, manifest, table);
    }

    /** The members {@link #retrain} can train again, by the names {@code sidflow train --only} takes. */
    public static final List<String> MEMBERS = List.of("sasrec", "llmemb", "generator");

    /**
     * Trains some members of an existing bundle again, with this spec's settings, and keeps the
     * rest: its SIDs, catalog and codebooks stay as they are (the stream's state and the catalog
     * topic speak in those SIDs), the fusion weights are chosen again on validation and the bundle
     * gets a new version. With {@code warmStart} the generator continues from the bundle's weights
     * (same architecture) instead of starting over: the generator is the member whose training
     * stops on a time budget while it still improves.
     *
     * <p>New members are written beside the old ones first; only then is the manifest removed, the
     * members swapped in and the new manifest written, so a failed run leaves the old bundle.
     *
     * @param members        some of {@link #MEMBERS}
     * @param testEvaluation run after the fusion is chosen (null: none; old metrics of unchanged members stay)
     */
    public Built retrain(Dataset data, Path dir, java.util.Collection<String> members, boolean warmStart, TestEvaluation testEvaluation)
            throws IOException {
        long t0 = System.nanoTime();
        if (members.isEmpty()) throw new IllegalArgumentException("name the members to train again, some of " + MEMBERS);
        for (String m : members) {
            if (!MEMBERS.contains(m)) throw new IllegalArgumentException("unknown member '" + m + "'; known: " + MEMBERS);
        }
        if (warmStart && !members.contains("generator")) {
            throw new IllegalArgumentException("a warm start continues the generator's training: add generator to the members");
        }
        ModelBundle bundle = ModelBundle.open(dir);
        ModelBundle.Manifest old = bundle.manifest();
        String fingerprint = fingerprint(data);
        if (!fingerprint.equals(old.dataFingerprint())) {
            throw new IllegalArgumentException("the data set is not the one bundle " + old.version() + " was built on (data fingerprint "
                    + fingerprint.substring(0, 8) + " vs " + old.dataFingerprint().substring(0, 8) + "): train a new bundle instead");
        }
        Devices.cpuThreads(Integer.getInteger("sidflow.torch.threads", 1));
        List<String> itemIds = bundle.itemIds();
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < itemIds.size(); i++) index.put(itemIds.get(i), i);
        List<LeaveOneOut.UserSplit> splits = LeaveOneOut.split(data);
        LeaveOneOutCases cases = LeaveOneOutCases.of(splits, index);
        Map<String, SemanticId> sids = bundle.sids();
        String device = spec.device() == null ? "auto" : spec.device();
        int step = 0;
        int steps = members.size() + 1 + (testEvaluation != null ? 1 : 0);

        SasRec sasRec;
        if (members.contains("sasrec")) {
            log.printf("[%d/%d] ID-SASRec on %,d training sequences%n", ++step, steps, cases.trainSequences().size());
            sasRec = trainSasRec(cases, itemIds.size(), device);
        } else {
            sasRec = bundle.sasRec(device);
        }
        LlmEmb llmEmb;
        if (members.contains("llmemb")) {
            log.printf("[%d/%d] LLMEmb: text vectors -> adapter -> SASRec, aligned to ID-SASRec%n", ++step, steps);
            llmEmb = trainLlmEmb(bundle.itemEmbeddings(), sasRec, cases, itemIds.size(), device);
        } else {
            llmEmb = bundle.llmEmb(device);
        }
        TigerModel tiger;
        if (members.contains("generator")) {
            TigerModel start;
            if (warmStart) {
                start = bundle.generator(device);
                if (!start.config().equals(spec.generator().toConfig())) {
                    TigerConfig had = start.config();
                    start.close();
                    throw new IllegalArgumentException("a warm start keeps the bundle's generator architecture, and the spec's differs: bundle "
                            + had + ", spec " + spec.generator().toConfig());
                }
                log.printf("[%d/%d] TIGER generator, continuing from %s%n", ++step, steps, old.version());
            } else {
                start = TigerModel.create(spec.generator().toConfig(), Devices.resolve(device), spec.generator().seed());
                log.printf("[%d/%d] TIGER generator%n", ++step, steps);
            }
            tiger = trainGenerator(start, splits, sids);
        } else {
            tiger = bundle.generator(device);
        }

        // a bundle whose dense members are ensembles keeps them, with the (re)trained instance first
        SasRecEnsemble sasRecs = bundle.sasRecsAround(sasRec, device);
        LlmEmbEnsemble llmEmbs = bundle.llmEmbsAround(llmEmb, device);

        SemanticId[] sidOf = itemIds.stream().map(sids::get).toArray(SemanticId[]::new);
        log.printf("[%d/%d] fusion weights on validation%n", ++step, steps);
        HybridRanker served = chooseFusion(tiger, llmEmbs, sasRecs, sidOf, itemIds, bundle.titles(), cases);
        FusionWeights weights = served.weights();

        Map<String, Map<String, Double>> metrics = new LinkedHashMap<>();
        String table = "";
        if (testEvaluation != null) {
            log.printf("[%d/%d] leave-one-out test evaluation, full ranking over %,d items, %,d users%n", ++step, steps, itemIds.size(),
                    cases.test().size());
            table = testEvaluation.evaluate(cases, itemIds.size(), sasRecs, llmEmbs, served, old.historyLength(), metrics);
            log.println(table);
        } else if (old.metrics() != null) {
            // rows of models that did not change stay; the retrained members' and the hybrid's are stale
            Map<String, String> rowOf = Map.of("sasrec", "ID-SASRec", "llmemb", "LLMEmb", "generator", "TIGER generator");
            old.metrics().forEach((name, values) -> {
                boolean stale = name.startsWith("hybrid") || members.stream().anyMatch(m -> name.startsWith(rowOf.get(m)));
                if (!stale) metrics.put(name, values);
            });
        }

        Map<String, Path> fresh = new LinkedHashMap<>();
        if (members.contains("sasrec")) fresh.put(ModelBundle.SASREC, saveBeside(dir, ModelBundle.SASREC, sasRec::save));
        if (members.contains("llmemb")) fresh.put(ModelBundle.LLMEMB, saveBeside(dir, ModelBundle.LLMEMB, llmEmb::save));
        if (members.contains("generator")) fresh.put(ModelBundle.GENERATOR, saveBeside(dir, ModelBundle.GENERATOR, tiger::save));
        ModelSpec.Serve serve = spec.serve();
        ModelBundle.Manifest manifest = new ModelBundle.Manifest(ModelBundle.FORMAT, version(fingerprint), spec.name(), old.dataset(),
                fingerprint, old.items(), old.users(), old.interactions(), old.encoder(), old.embeddingDim(), old.sidLevels(),
                old.codebookSize(), old.shareUniqueSid(), old.largestCollisionGroup(), tiger.config().historyLength(), serve.beam(),
                serve.topK(), serve.denseCandidates(), weights.generator(), weights, Instant.now().toString(), metrics);
        Files.delete(dir.resolve(ModelBundle.MANIFEST));
        for (Map.Entry<String, Path> e : fresh.entrySet()) {
            FileTrees.delete(dir.resolve(e.getKey()));
            Files.move(e.getValue(), dir.resolve(e.getKey()));
        }
        ModelBundle.writeManifest(dir, manifest);
        tiger.close();
        sasRecs.close();
        llmEmbs.close();
        log.printf("bundle %s (from %s, retrained: %s) written to %s in %.0f s%n", manifest.version(), old.version(),
                String.join(", ", members), dir, (System.nanoTime() - t0) / 1e9);
        return new Built(dir, manifest, table);
    }

    private SasRec trainSasRec(LeaveOneOutCases cases, int numItems, String device) {
        return trainSasRec(cases, numItems, device, 0);
    }

    private SasRec trainSasRec(LeaveOneOutCases cases, int numItems, String device, int seedOffset) {
        SasRec sasRec = SasRec.train(spec.sasrec().toConfig(numItems), spec.sasrec().train().toConfig(device, seedOffset),
                cases.trainSequences(), cases.validation());
        log.println("      " + sasRec.trainingSummary());
        return sasRec;
    }

    private LlmEmb trainLlmEmb(dev.sidflow.embed.ItemEmbeddings embeddings, SasRec sasRec, LeaveOneOutCases cases, int numItems,
                               String device) {
        return trainLlmEmb(embeddings, sasRec, cases, numItems, device, 0);
    }

    private LlmEmb trainLlmEmb(dev.sidflow.embed.ItemEmbeddings embeddings, SasRec sasRec, LeaveOneOutCases cases, int numItems,
                               String device, int seedOffset) {
        float[][] text = new float[numItems][];
        for (int i = 0; i < numItems; i++) text[i] = embeddings.vector(i);
        LlmEmb llmEmb = LlmEmb.train(spec.llmemb().toConfig(numItems), spec.llmemb().backbone().train().toConfig(device, seedOffset),
                text, sasRec, cases.trainSequences(), cases.validation());
        log.println("      " + llmEmb.trainingSummary());
        return llmEmb;
    }

    /** Trains {@code tiger} (fresh or a bundle's) with the spec's generator training settings. */
    private TigerModel trainGenerator(TigerModel tiger, List<LeaveOneOut.UserSplit> splits, Map<String, SemanticId> sids) {
        ModelSpec.Generator g = spec.generator();
        TigerTrainer.Result tr = new TigerTrainer(g.toTrainConfig(), log, true).train(tiger,
                SequenceExamples.trainingWindows(splits, sids, g.historyLength()),
                SequenceExamples.validation(splits, sids, g.historyLength()));
        log.printf("      best epoch %d, validation loss %.4f, %.0f examples/s%n", tr.bestEpoch(), tr.bestValidationLoss(), tr.examplesPerSecond());
        return tiger;
    }

    /** The served hybrid over the catalog's trie, with fusion weights chosen on validation. */
    private HybridRanker chooseFusion(TigerModel tiger, LlmEmbEnsemble llmEmb, SasRecEnsemble sasRec, SemanticId[] sidOf, List<String> itemIds,
                                      Map<String, String> titles, LeaveOneOutCases cases) {
        Map<String, SemanticId> sidById = new LinkedHashMap<>();
        for (int i = 0; i < itemIds.size(); i++) sidById.put(itemIds.get(i), sidOf[i]);
        SidCatalog catalog = SidCatalog.of(sidById, titles);
        ModelSpec.Serve serve = spec.serve();
        TigerGenerator generator = new TigerGenerator(tiger, catalog.trieSnapshot(), 64);
        HybridRanker ranker = new HybridRanker(generator, llmEmb, sasRec, sidOf, itemIds, new FusionWeights(1.0 / 3, 1.0 / 3, 1.0 / 3),
                serve.beam(), serve.denseCandidates());
        FusionWeights weights = FusionFit.choose(ranker, cases.validation(), serve.fusionStep(), serve.validationUsers(), serve.minGeneratorWeight(),
                serve.tryScoredCandidates(), log);
        return new HybridRanker(generator, llmEmb, sasRec, sidOf, itemIds, weights, serve.beam(), serve.denseCandidates());
    }

    private String version(String fingerprint) {
        return spec.name() + "-" + DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss").withZone(ZoneOffset.UTC)
                .format(Instant.now()) + "-" + fingerprint.substring(0, 8);
    }

    /** A member's save method. */
    private interface Saver {
        void save(Path dir) throws IOException;
    }

    /** Saves a member into {@code <name>.new} beside its old directory; returns that directory. */
    private static Path saveBeside(Path dir, String name, Saver save) throws IOException {
        Path next = dir.resolve(name + ".new");
        FileTrees.delete(next);
        save.save(next);
        return next;
    }

    static String fingerprint(Dataset data) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (Item it : data.items()) md.update((it.itemId() + '\u0001' + it.title() + '\n').getBytes(StandardCharsets.UTF_8));
            for (Interaction in : data.interactions()) {
                md.update((in.userId() + '\u0001' + in.itemId() + '\u0001' + in.timestamp() + '\n').getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
