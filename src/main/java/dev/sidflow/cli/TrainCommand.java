package dev.sidflow.cli;

import dev.sidflow.data.Dataset;
import dev.sidflow.data.DatasetFormat;
import dev.sidflow.eval.BundleEvaluation;
import dev.sidflow.model.BundleTrainer;
import dev.sidflow.model.ModelSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code sidflow train}: builds a model bundle from a data set and a model spec. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Build a model bundle from a data set and a model spec.",
                "Item SIDs (text embeddings, residual k-means, dedup), ID-SASRec, LLMEmb, the TIGER generator",
                "and the fusion weight of the served hybrid, chosen on validation.",
                "With --only, trains the named members of the existing bundle --out again (its SIDs and catalog stay),",
                "re-chooses the fusion weights and gives the bundle a new version; --warm-start continues the generator",
                "from the bundle's weights.",
                "Example: sidflow train --spec models/video-games.yaml --data ../shared/data/amazon-video-games-2018 --out target/bundles/video-games --evaluate",
                "         sidflow train --spec models/video-games.yaml --data ../shared/data/amazon-video-games-2018 --out target/bundles/video-games --only generator --warm-start"})
public final class TrainCommand implements Callable<Integer> {
    @Option(names = "--spec", required = true, paramLabel = "FILE", description = "Model spec (models/<name>.yaml).")
    Path spec;

    @Option(names = "--data", required = true, paramLabel = "DIR",
            description = "Data set: a canonical directory (sidflow data import) or a raw one (format detected).")
    Path data;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Bundle directory to write (with --only: the bundle to update).")
    Path out;

    @Option(names = "--only", split = ",", paramLabel = "MEMBER",
            description = "Train only these members of the existing bundle again: sasrec, llmemb, generator (comma-separated).")
    java.util.List<String> only;

    @Option(names = "--warm-start", description = "With --only generator: continue the generator from the bundle's weights (same architecture).")
    boolean warmStart;

    @Option(names = "--evaluate", description = "Also run the leave-one-out test evaluation of every model.")
    boolean evaluate;

    @Option(names = "--embedding-cache", paramLabel = "FILE",
            description = "Text-embedding cache file (default: ~/.cache/sidflow/embeddings/<encoder>.bin).")
    Path embeddingCache;

    @Override
    public Integer call() throws Exception {
        // refused before the data set is read, which can take a while
        if (warmStart && only == null) throw new IllegalArgumentException("--warm-start needs --only generator and an existing bundle in --out");
        ModelSpec modelSpec = ModelSpec.load(spec);
        Dataset dataset = DatasetFormat.loadAuto(data);
        BundleTrainer trainer = new BundleTrainer(modelSpec, System.err);
        BundleTrainer.Built built;
        if (only != null) {
            built = trainer.retrain(dataset, out, only, warmStart, evaluate ? BundleEvaluation::evaluate : null);
        } else {
            Path cache = embeddingCache != null ? embeddingCache : Caches.embeddingCache(modelSpec.encoder());
            built = trainer.build(dataset, out, evaluate ? BundleEvaluation::evaluate : null, cache);
        }
        System.out.println("bundle " + built.manifest().version() + " -> " + built.dir());
        if (!built.resultsTable().isEmpty()) System.out.println(built.resultsTable());
        return 0;
    }
}
