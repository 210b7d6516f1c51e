package dev.sidflow.cli;

import dev.sidflow.data.Dataset;
import dev.sidflow.data.DatasetFormat;
import dev.sidflow.data.LeaveOneOut;
import dev.sidflow.eval.LeaveOneOutCases;
import dev.sidflow.model.BundleTrainer;
import dev.sidflow.model.HybridRanker;
import dev.sidflow.model.ModelBundle;
import dev.sidflow.model.Devices;
import dev.sidflow.model.generator.TigerGenerator;
import dev.sidflow.model.generator.TigerModel;
import dev.sidflow.model.llmemb.LlmEmb;
import dev.sidflow.model.llmemb.SasRec;
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
                "overall and for head and tail (long-tail) targets."})
public final class EvalCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--bundle", required = true, paramLabel = "DIR", description = "Model bundle.")
    Path bundle;

    @Option(names = "--data", required = true, paramLabel = "DIR", description = "The data set the bundle was trained on.")
    Path data;

    @Option(names = "--device", defaultValue = "auto", description = "cpu, gpu or auto (default: ${DEFAULT-VALUE}).")
    String device;

    @Override
    public Integer call() throws Exception {
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
        try (SasRec sasRec = b.sasRec(device); LlmEmb llmEmb = b.llmEmb(device); TigerModel tiger = b.generator(device)) {
            SidCatalog catalog = SidCatalog.of(sids, b.titles());
            HybridRanker served = new HybridRanker(new TigerGenerator(tiger, catalog.trieSnapshot(), 64), llmEmb, sidOf, ids,
                    m.generatorWeight(), m.beam(), m.denseCandidates());
            System.err.printf("evaluating %s on %,d users, full ranking over %,d items%n", m.version(), cases.test().size(), ids.size());
            spec.commandLine().getOut().println(BundleTrainer.evaluate(cases, ids.size(), sasRec, llmEmb, served, new LinkedHashMap<>()));
            spec.commandLine().getOut().flush();
        }
        return 0;
    }
}
