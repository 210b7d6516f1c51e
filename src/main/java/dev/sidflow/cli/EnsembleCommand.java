package dev.sidflow.cli;

import dev.sidflow.model.DenseEnsembles;
import dev.sidflow.model.MemberEnsembles;
import dev.sidflow.model.ModelBundle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "ensemble", mixinStandardHelpOptions = true,
        description = {"Adds another bundle's ID-SASRec and/or LLMEmb to a bundle as more instances of those members: each",
                "member is then scored as the mean log-probability of its instances (the served hybrid, the stream and",
                "`sidflow eval` use them all). The other bundle must be trained on the same data, e.g. with",
                "`sidflow train --only sasrec,llmemb` on a copy of the bundle and a spec with other seeds.",
                "Afterwards re-fit the fusion weights: `sidflow eval --refit-fusion`."})
public final class EnsembleCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--bundle", required = true, paramLabel = "DIR", description = "The bundle to add to (changed in place).")
    Path bundle;

    @Option(names = "--add", required = true, paramLabel = "DIR", description = "The bundle whose members are added.")
    Path add;

    @Option(names = "--members", split = ",", defaultValue = "sasrec,llmemb", paramLabel = "NAME",
            description = "Members to add: sasrec, llmemb (default: ${DEFAULT-VALUE}).")
    List<String> members;

    @Override
    public Integer call() throws Exception {
        for (String m : members) {
            if (!DenseEnsembles.MEMBERS.contains(m)) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                        "unknown member '" + m + "' in --members; known: " + String.join(", ", DenseEnsembles.MEMBERS));
            }
        }
        MemberEnsembles e = DenseEnsembles.add(ModelBundle.open(bundle), ModelBundle.open(add), members);
        PrintWriter out = spec.commandLine().getOut();
        out.printf("%s now scores ID-SASRec with %d instance(s) %s and LLMEmb with %d %s (%s)%n", bundle, e.sasrec().size(), e.sasrec(),
                e.llmemb().size(), e.llmemb(), bundle.resolve(ModelBundle.ENSEMBLES));
        out.printf("re-fit the fusion weights for them: sidflow eval --bundle %s --data <data set> --refit-fusion%n", bundle);
        out.flush();
        return 0;
    }
}
