package dev.sidflow.cli;

import dev.sidflow.data.Dataset;
import dev.sidflow.data.DatasetFormat;
import dev.sidflow.data.LeaveOneOut;
import dev.sidflow.model.metrics.LeaveOneOutCases;
import dev.sidflow.eval.BundleEvaluation;
import dev.sidflow.model.FusionFit;
import dev.sidflow.model.FusionWeights;
import dev.sidflow.model.HybridRanker;
import dev.sidflow.model.ModelBundle;
import dev.sidflow.model.Devices;
import dev.sidflow.model.generator.TigerGenerator;
import dev.sidflow.model.generator.TigerModel;
import dev.sidflow.model.llmemb.LlmEmbEnsemble;
import dev.sidflow.model.llmemb.SasRecEnsemble;
import dev.sidflow.sid.SemanticId;
import dev.sidflow.sid.SidCatalog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code sidflow eval}: leave-one-out evaluation of a bundle's models on a data set. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = {"Leave-one-out evaluation of a bundle's models on its data set.",
                "Last item = test, full ranking over all items:",
                "popularity, ID-SASRec, LLMEmb, the TIGER generator and the served hybrid; prints HR@1/5/10 and NDCG@1/5/10,",
                "overall and for head and tail (long-tail) targets.",
                "With --refit-fusion it first re-chooses the served hybrid's fusion weights on validation users",
                "(the models are not retrained) and writes them, with the new test metrics, into the bundle's manifest."})
public final class EvalCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--bundle", required = true, paramLabel = "DIR", description = "Model bundle.")
    Path bundle;

    @Option(names = "--data", required = true, paramLabel = "DIR", description = "The data set the bundle was trained on.")
    Path data;

    @Option(names = "--device", defaultValue = "auto", description = "cpu, gpu or auto (default: ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--refit-fusion", description = "Re-choose the fusion weights (generator / LLMEmb / ID-SASRec) on validation and store them in the bundle.")
    boolean refitFusion;

    @Option(names = "--fusion-step", defaultValue = "0.125", paramLabel = "STEP",
            description = "Grid step of the fusion weights tried with --refit-fusion (default: ${DEFAULT-VALUE}).")
    double fusionStep;

    @Option(names = "--min-generator-weight", defaultValue = "0", paramLabel = "W",
            description = "Lowest generator weight --refit-fusion may choose; above 0 every answer stays generative (default: ${DEFAULT-VALUE}).")
    double minGeneratorWeight;

    @Option(names = "--try-scored-candidates",
            description = "With --refit-fusion, also try the generator scoring the dense members' candidates (slower to serve).")
    boolean tryScoredCandidates;

    @Option(names = "--validation-users", defaultValue = "10000", paramLabel = "N",
            description = "Validation users used by --refit-fusion (default: ${DEFAULT-VALUE}).")
    int validationUsers;

    @Option(names = "--models", split = ",", paramLabel = "NAME",
            description = "Models to evaluate, comma-separated: popularity, sasrec, llmemb, generator, hybrid (default: all).")
    List<String> models = BundleEvaluation.EVALUATED_MODELS;

    @Override
    public Integer call() throws Exception {
        for (String name : models) {
            if (!BundleEvaluation.EVALUATED_MODELS.contains(name)) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                        "unknown model '" + name + "' in --models; known: " + String.join(", ", BundleEvaluation.EVALUATED_MODELS));
            }
        }
        Devices.cpuThreads(Integer.getInteger("sidflow.torch.threads", 1));
        ModelBundle b = ModelBundle.open(bundle);
        Dataset dataset = DatasetFormat.loadAuto(data);
        List<String> ids = b.itemIds();
        if (!ids.equals(dataset.items().stream().map(i -> i.itemId()).toList())) {
            throw new IllegalArgumentException("the data set's catalog differs from the bundle's (" + dataset.items().size()
                    + " vs " + ids.size() + " items): evaluate a bundle on the data set it was trained on");
        }
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < ids.size(); i++) index.put(ids.get(i), i);
        LeaveOneOutCases cases = LeaveOneOutCases.of(LeaveOneOut.split(dataset), index);
        Map<String, SemanticId> sids = b.sids();
        SemanticId[] sidOf = ids.stream().map(sids::get).toArray(SemanticId[]::new);
        ModelBundle.Manifest m = b.manifest();
        try (SasRecEnsemble sasRec = b.sasRecs(device); LlmEmbEnsemble llmEmb = b.llmEmbs(device); TigerModel tiger = b.generator(device)) {
            SidCatalog catalog = SidCatalog.of(sids, b.titles());
            TigerGenerator generator = new TigerGenerator(tiger, catalog.trieSnapshot(), 64);
            FusionWeights weights = m.fusionWeights();
            if (refitFusion) {
                HybridRanker all = new HybridRanker(generator, llmEmb, sasRec, sidOf, ids, weights, m.beam(), m.denseCandidates());
                System.err.printf("choosing fusion weights on %,d validation users (was: %s)%n", Math.min(validationUsers, cases.validation().size()), weights);
                weights = FusionFit.choose(all, cases.validation(), fusionStep, validationUsers, minGeneratorWeight, tryScoredCandidates,
                        System.err);
                // stored at once: the test evaluation below can take long and is not needed to serve them
                b = b.withFusion(weights, Map.of());
                System.err.printf("fusion weights %s written to %s%n", weights, bundle.resolve(ModelBundle.MANIFEST));
            }
            HybridRanker served = new HybridRanker(generator, llmEmb, sasRec, sidOf, ids, weights, m.beam(), m.denseCandidates());
            System.err.printf("evaluating %s on %,d users, full ranking over %,d items%n", m.version(), cases.test().size(), ids.size());
            Map<String, Map<String, Double>> metrics = new LinkedHashMap<>();
            spec.commandLine().getOut().println(BundleEvaluation.evaluate(cases, ids.size(), sasRec, llmEmb, served, m.historyLength(), metrics, models));
            spec.commandLine().getOut().flush();
            if (refitFusion) b.withFusion(weights, metrics);
        }
        return 0;
    }
}
